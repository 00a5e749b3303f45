import type { MapSnapshot, TruckPositionEvent } from '@sanitation/contracts';
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
