import type { LonLat } from '../travel/travel-time.provider.js';

const M_PER_DEG = 111_195;

/**
 * Metres from `p` to the nearest point of a [lon, lat] polyline (equirectangular around `p`:
 * exact enough at the few hundred metres that matter for off-route). Infinity for an empty path.
 */
export function distanceToPathM(p: LonLat, path: readonly (readonly [number, number])[]): number {
  if (path.length === 0) return Infinity;
  const kx = M_PER_DEG * Math.cos((p.lat * Math.PI) / 180);
  const ky = M_PER_DEG;
  let best = Infinity;
  let xa = (path[0]![0] - p.lon) * kx;
  let ya = (path[0]![1] - p.lat) * ky;
  if (path.length === 1) return Math.hypot(xa, ya);
  for (let i = 1; i < path.length; i++) {
    const xb = (path[i]![0] - p.lon) * kx;
    const yb = (path[i]![1] - p.lat) * ky;
    const dx = xb - xa;
    const dy = yb - ya;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(xa * dx + ya * dy) / len2));
    const d2 = (xa + t * dx) ** 2 + (ya + t * dy) ** 2;
    if (d2 < best) best = d2;
    xa = xb;
    ya = yb;
  }
  return Math.sqrt(best);
}
