import type { VehicleTrail } from '@sanitation/contracts';
import { api } from '../api/http';
import { trail, type TrailRequest } from '../state/trail';
import { SRC, trailFeatures } from './asset-layers';
import type { GeoJSONSource, MapInstance } from './map-adapter';

/**
 * The truck trail on the map: follows the trail store (set by the asset panel), fetches
 * `GET /api/vehicles/:id/trail` once per vehicle and period, and during a replay draws the trail
 * up to the replay cursor with a marker there.
 */
export class TrailLayer {
  private data: VehicleTrail | null = null;
  private key = '';
  private readonly off: () => void;

  constructor(private readonly map: MapInstance) {
    this.off = trail.subscribe((t) => void this.show(t));
    const t = trail.get();
    if (t) void this.show(t);
  }

  destroy(): void {
    this.off();
  }

  private async show(t: TrailRequest | null): Promise<void> {
    const src = this.map.getSource(SRC.trail) as GeoJSONSource | undefined;
    if (!src) return;
    if (!t) {
      this.data = null;
      this.key = '';
      src.setData({ type: 'FeatureCollection', features: [] } as never);
      return;
    }
    const key = `${t.vehicleId}|${t.from}|${t.to}`;
    if (key !== this.key) {
      this.key = key;
      this.data = null;
      const data = await api
        .get<VehicleTrail>(`/vehicles/${encodeURIComponent(t.vehicleId)}/trail`, { from: new Date(t.from).toISOString(), to: new Date(t.to).toISOString() })
        .catch(() => null);
      if (this.key !== key) return; // a newer request won
      this.data = data;
    }
    const current = trail.get();
    const features = this.data && current ? trailFeatures(this.data, current.replayAt) : [];
    src.setData({ type: 'FeatureCollection', features } as never);
  }
}
