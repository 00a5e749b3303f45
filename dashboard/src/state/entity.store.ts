import { Store } from './store';

/**
 * A keyed collection fed by REST loads and live events. A live event older than what is held
 * (by `updatedAt`) is ignored, so a late REST page cannot roll back a newer socket update.
 */
export class EntityStore<T> extends Store<ReadonlyMap<string, T>> {
  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly versionOf: (item: T) => string,
  ) {
    super(new Map());
  }

  upsert(items: readonly T[]): void {
    if (items.length === 0) return;
    const next = new Map(this.get());
    let changed = false;
    for (const item of items) {
      const key = this.keyOf(item);
      const held = next.get(key);
      if (held && this.versionOf(held) > this.versionOf(item)) continue;
      next.set(key, item);
      changed = true;
    }
    if (changed) this.set(next);
  }

  /** Replaces the whole collection (a fresh full load). */
  replace(items: readonly T[]): void {
    this.set(new Map(items.map((i) => [this.keyOf(i), i])));
  }

  byId(id: string): T | undefined {
    return this.get().get(id);
  }
}
