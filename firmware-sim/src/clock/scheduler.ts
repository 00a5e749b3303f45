import type { SimClock } from './sim-clock.js';

interface Task {
  at: number;
  order: number;
  key: string;
  run: (at: number) => void;
}

/**
 * One timer for the whole fleet: a binary min-heap of due times in sim time, drained by a single
 * interval. 10,000 devices must not mean 10,000 setIntervals (each a timer-list entry and a wakeup).
 * Each key has at most one pending task; scheduling it again replaces the earlier one.
 */
export class Scheduler {
  private heap: Task[] = [];
  private readonly current = new Map<string, Task>();
  private timer: NodeJS.Timeout | null = null;
  private order = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly tickMs = 50,
    /** Most tasks run per tick before yielding to the event loop (I/O must not starve). */
    private readonly budget = 2000,
  ) {}

  schedule(key: string, at: number, run: (at: number) => void): void {
    const task = { at, order: this.order++, key, run };
    this.current.set(key, task);
    this.push(task);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs every task due by the clock's now (up to the budget); returns how many ran. */
  tick(): number {
    const now = this.clock.now();
    let ran = 0;
    while (this.heap.length > 0 && this.heap[0]!.at <= now && ran < this.budget) {
      const task = this.pop();
      if (this.current.get(task.key) !== task) continue; // replaced by a later schedule()
      this.current.delete(task.key);
      ran++;
      task.run(task.at);
    }
    // Overloaded: keep going soon, but after pending I/O (PUBACKs) has had its turn.
    if (ran >= this.budget && this.timer) setImmediate(() => this.timer && this.tick());
    return ran;
  }

  private less(a: Task, b: Task): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(task: Task): void {
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Task {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
