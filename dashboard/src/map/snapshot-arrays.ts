import type { MapSnapshot, MapSnapshotColumns, ReadingValues, TruckPositionEvent } from '@sanitation/contracts';
import { KIND_CODE, classifyAsset } from './asset-state';

/** The snapshot as the map keeps it: typed arrays per field (trucks apart, they are drawn on their own). */
export interface TruckDevice {
  id: string;
  lon: number;
  lat: number;
  online: boolean;
}

export interface SnapshotArrays {
  at: number;
  ids: string[];
  lon: Float64Array;
  lat: Float64Array;
  state: Uint8Array;
  kind: Uint8Array;
  trucks: TruckPositionEvent[];
  truckDevices: TruckDevice[];
}

export function snapshotArrays(snap: MapSnapshot): SnapshotArrays {
  const n = snap.devices.length;
  const ids: string[] = [];
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const state = new Uint8Array(n);
  const kind = new Uint8Array(n);
  const truckDevices: TruckDevice[] = [];
  let k = 0;
  for (const d of snap.devices) {
    if (d.kind === 'truck') {
      truckDevices.push({ id: d.id, lon: d.lon, lat: d.lat, online: d.online });
      continue;
    }
    ids.push(d.id);
    lon[k] = d.lon;
    lat[k] = d.lat;
    state[k] = classifyAsset(d.kind, d.values, d.online);
    kind[k] = KIND_CODE[d.kind];
    k++;
  }
  return { at: snap.at, ids, lon: lon.slice(0, k), lat: lat.slice(0, k), state: state.slice(0, k), kind: kind.slice(0, k), trucks: snap.trucks, truckDevices };
}

/** The same from the columns format: no object per asset on the way (the first render waits for this). */
export function snapshotArraysFromColumns(c: MapSnapshotColumns): SnapshotArrays {
  let n = 0;
  for (const g of c.groups) if (g.kind !== 'truck') n += g.ids.length;
  const ids: string[] = new Array(n);
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const state = new Uint8Array(n);
  const kind = new Uint8Array(n);
  const truckDevices: TruckDevice[] = [];
  let k = 0;
  for (const g of c.groups) {
    if (g.kind === 'truck') {
      for (let i = 0; i < g.ids.length; i++) truckDevices.push({ id: g.ids[i]!, lon: g.lon[i]!, lat: g.lat[i]!, online: g.online[i] === 1 });
      continue;
    }
    const fields = Object.entries(g.values);
    const code = KIND_CODE[g.kind];
    for (let i = 0; i < g.ids.length; i++, k++) {
      let values: ReadingValues | null = null;
      if (g.ts[i] !== null) {
        values = {};
        for (const [field, column] of fields) {
          const v = column[i];
          if (v !== null && v !== undefined) values[field] = v;
        }
      }
      ids[k] = g.ids[i]!;
      lon[k] = g.lon[i]!;
      lat[k] = g.lat[i]!;
      state[k] = classifyAsset(g.kind, values, g.online[i] === 1);
      kind[k] = code;
    }
  }
  return { at: c.at, ids, lon, lat, state, kind, trucks: c.trucks, truckDevices };
}

/** Either snapshot format (the server answers `format=columns`; an older one sends objects). */
export function snapshotArraysOf(body: MapSnapshot | MapSnapshotColumns): SnapshotArrays {
  return 'format' in body && body.format === 'columns' ? snapshotArraysFromColumns(body) : snapshotArrays(body as MapSnapshot);
}
