/** Placeholder until the job queue lands. */
export function JobQueue(_props: { canDispatch: boolean }) {
  return <div data-testid="job-queue" />;
}
