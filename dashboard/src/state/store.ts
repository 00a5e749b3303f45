import { useEffect, useState } from 'preact/hooks';

/**
 * A minimal observable value: the state modules are plain TypeScript (unit-tested without a DOM)
 * and components subscribe through `useStore`.
 */
export class Store<T> {
  private readonly listeners = new Set<(value: T) => void>();
  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener(value);
  }

  update(fn: (value: T) => T): void {
    this.set(fn(this.value));
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Re-renders the component when the selected slice changes (compared with Object.is). */
export function useStore<T, S = T>(store: Store<T>, select: (value: T) => S = (v) => v as unknown as S): S {
  const [slice, setSlice] = useState(() => select(store.get()));
  useEffect(() => {
    setSlice(() => select(store.get()));
    return store.subscribe((value) => setSlice(() => select(value)));
    // `select` is expected to be stable in meaning; re-subscribing on each render would drop updates.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store]);
  return slice;
}
