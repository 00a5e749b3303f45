/**
 * Runs async work one piece at a time, in call order: a later step never overtakes an earlier one
 * that touches the same state. A failed piece is reported and does not stop the queue.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (err: unknown) => void) {}

  run(work: () => Promise<void>): Promise<void> {
    const next = this.tail.then(work).catch(this.onError);
    this.tail = next;
    return next;
  }
}
