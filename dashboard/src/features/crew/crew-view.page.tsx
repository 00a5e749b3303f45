/** Placeholder until the crew view lands. */
export function CrewView() {
  return <div data-testid="crew-view" />;
}
