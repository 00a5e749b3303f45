/**
 * Smooth truck movement: each new fix starts a glide from where the truck is drawn now to the
 * new position over `durationMs`, heading turning the short way round. The map only animates
 * (requestAnimationFrame) while `moving(now)` is true.
 */
export interface TruckPose {
  id: string;
  lon: number;
  lat: number;
  heading: number;
}

interface Glide {
  fromLon: number;
  fromLat: number;
  fromHeading: number;
  toLon: number;
  toLat: number;
  toHeading: number;
  start: number;
  duration: number;
}

const ease = (t: number): number => t * (2 - t);

/** Shortest signed turn from a to b in degrees, in (-180, 180]. */
export function turn(a: number, b: number): number {
  let d = (((b - a) % 360) + 360) % 360;
  if (d > 180) d -= 360;
  return d;
}

export class TruckMotion {
  private readonly glides = new Map<string, Glide>();

  constructor(private readonly durationMs = 1000) {}

  /** A new fix; `heading` null keeps the drawn heading, or points along the move when it is long enough. */
  update(id: string, lon: number, lat: number, heading: number | null, now: number): void {
    const g = this.glides.get(id);
    if (!g) {
      const h = heading ?? 0;
      this.glides.set(id, { fromLon: lon, fromLat: lat, fromHeading: h, toLon: lon, toLat: lat, toHeading: h, start: now, duration: 0 });
      return;
    }
    const at = this.poseOf(g, now);
    let toHeading = heading ?? at.heading;
    if (heading === null && (lon !== at.lon || lat !== at.lat)) {
      toHeading = (Math.atan2(lon - at.lon, lat - at.lat) * 180) / Math.PI;
    }
    this.glides.set(id, {
      fromLon: at.lon,
      fromLat: at.lat,
      fromHeading: at.heading,
      toLon: lon,
      toLat: lat,
      toHeading,
      start: now,
      duration: this.durationMs,
    });
  }

  remove(id: string): void {
    this.glides.delete(id);
  }

  private poseOf(g: Glide, now: number): { lon: number; lat: number; heading: number } {
    const t = g.duration <= 0 ? 1 : Math.min(1, Math.max(0, (now - g.start) / g.duration));
    const k = ease(t);
    const heading = g.fromHeading + turn(g.fromHeading, g.toHeading) * k;
    return {
      lon: g.fromLon + (g.toLon - g.fromLon) * k,
      lat: g.fromLat + (g.toLat - g.fromLat) * k,
      heading: ((heading % 360) + 360) % 360,
    };
  }

  pose(id: string, now: number): TruckPose | null {
    const g = this.glides.get(id);
    return g ? { id, ...this.poseOf(g, now) } : null;
  }

  poses(now: number): TruckPose[] {
    return [...this.glides.entries()].map(([id, g]) => ({ id, ...this.poseOf(g, now) }));
  }

  moving(now: number): boolean {
    for (const g of this.glides.values()) if (g.duration > 0 && now < g.start + g.duration) return true;
    return false;
  }
}
