/** Small-area geodesy helpers (equirectangular is accurate to well under 1 m over a city). */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

export function haversineM(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * DEG;
  const dLon = (b.lon - a.lon) * DEG;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * DEG) * Math.cos(b.lat * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Moves `origin` by east/north metres. */
export function offsetM(origin: LatLon, eastM: number, northM: number): LatLon {
  return {
    lat: origin.lat + northM / EARTH_RADIUS_M / DEG,
    lon: origin.lon + eastM / (EARTH_RADIUS_M * Math.cos(origin.lat * DEG)) / DEG,
  };
}

/** Initial bearing a → b in degrees [0, 360). */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const y = Math.sin((b.lon - a.lon) * DEG) * Math.cos(b.lat * DEG);
  const x =
    Math.cos(a.lat * DEG) * Math.sin(b.lat * DEG) -
    Math.sin(a.lat * DEG) * Math.cos(b.lat * DEG) * Math.cos((b.lon - a.lon) * DEG);
  const deg = Math.atan2(y, x) / DEG;
  return (deg + 360) % 360;
}

export function lerp(a: LatLon, b: LatLon, f: number): LatLon {
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
}

export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
