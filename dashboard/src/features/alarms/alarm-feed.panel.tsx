/** Placeholder until the alarm feed lands. */
export function AlarmFeed(_props: { canDispatch: boolean }) {
  return <div data-testid="alarm-feed" />;
}
