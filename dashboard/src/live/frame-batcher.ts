/**
 * Collects items between animation frames and hands them over once per frame, so a burst of
 * socket messages costs one state update and one repaint instead of one per message.
 */
export class FrameBatcher<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(
    private readonly apply: (items: T[]) => void,
    private readonly schedule: (cb: () => void) => void = (cb) => requestAnimationFrame(() => cb()),
  ) {}

  push(items: readonly T[]): void {
    for (const item of items) this.pending.push(item);
    if (this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Applies what is pending now (also used by tests and on teardown). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.apply(items);
  }
}
