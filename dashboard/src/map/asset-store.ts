import type { DeviceKind } from '@sanitation/contracts';
import { KIND_CODE, KIND_CODES } from './asset-state';

/** What changed when an asset was written: the aggregation moves its count from `prev` to the new values. */
export interface AssetChange {
  index: number;
  isNew: boolean;
  prevLon: number;
  prevLat: number;
  prevState: number;
}

/**
 * Every asset's position, kind and drawn state in typed arrays (100,000 assets ≈ 2 MB), so a
 * state update costs one Map lookup and a few array writes — no object per asset, no GC churn.
 */
export class AssetStore {
  private readonly index = new Map<string, number>();
  ids: string[] = [];
  lon: Float64Array<ArrayBufferLike> = new Float64Array(0);
  lat: Float64Array<ArrayBufferLike> = new Float64Array(0);
  state: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  kind: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  size = 0;

  constructor(capacity = 1024) {
    this.grow(capacity);
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array<ArrayBufferLike> | Uint8Array<ArrayBufferLike>>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.size));
      return next;
    };
    this.lon = copy(this.lon, (n) => new Float64Array(n));
    this.lat = copy(this.lat, (n) => new Float64Array(n));
    this.state = copy(this.state, (n) => new Uint8Array(n));
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
  }

  /** Takes over arrays built elsewhere (the snapshot worker); `ids[i]` belongs to index i. */
  static fromArrays(ids: string[], lon: Float64Array, lat: Float64Array, state: Uint8Array, kind: Uint8Array): AssetStore {
    const store = new AssetStore(0);
    store.ids = ids;
    store.lon = lon;
    store.lat = lat;
    store.state = state;
    store.kind = kind;
    store.size = ids.length;
    for (let i = 0; i < ids.length; i++) store.index.set(ids[i]!, i);
    return store;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  kindAt(i: number): DeviceKind {
    return KIND_CODES[this.kind[i]!]!;
  }

  /** Inserts or updates one asset; returns what it was before. */
  put(id: string, kind: DeviceKind, lon: number, lat: number, state: number): AssetChange {
    let i = this.index.get(id);
    if (i === undefined) {
      if (this.size === this.lon.length) this.grow(Math.max(1024, this.lon.length * 2));
      i = this.size++;
      this.index.set(id, i);
      this.ids[i] = id;
      this.lon[i] = lon;
      this.lat[i] = lat;
      this.state[i] = state;
      this.kind[i] = KIND_CODE[kind];
      return { index: i, isNew: true, prevLon: lon, prevLat: lat, prevState: state };
    }
    const change = { index: i, isNew: false, prevLon: this.lon[i]!, prevLat: this.lat[i]!, prevState: this.state[i]! };
    this.lon[i] = lon;
    this.lat[i] = lat;
    this.state[i] = state;
    this.kind[i] = KIND_CODE[kind];
    return change;
  }
}
