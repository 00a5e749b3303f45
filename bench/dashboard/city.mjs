// A synthetic demo city for the dashboard benchmark: a ~20 × 15 km street grid with zones,
// depots, disposal sites and cabinets (contracts Basemap), and N assets placed along the streets
// (contracts AssetState), from a seeded generator so every run draws the same city.

export const CITY = { name: 'Bench City', center: [121.47, 31.23], widthKm: 20, heightKm: 15 };
const KM_LAT = 1 / 110.57;
const KM_LON = 1 / (111.32 * Math.cos((CITY.center[1] * Math.PI) / 180));
const W = CITY.center[0] - (CITY.widthKm / 2) * KM_LON;
const S = CITY.center[1] - (CITY.heightKm / 2) * KM_LAT;
const E = CITY.center[0] + (CITY.widthKm / 2) * KM_LON;
const N = CITY.center[1] + (CITY.heightKm / 2) * KM_LAT;
export const CITY_BBOX = /** @type {[number, number, number, number]} */ ([W, S, E, N]);

/** Park–Miller, deterministic. @param {number} seed */
export function rng(seed) {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const round = (/** @type {number} */ x) => Math.round(x * 1e6) / 1e6;

/** @returns {{ basemap: import('@sanitation/contracts').Basemap, streets: number[][][] }} */
export function makeBasemap(seed = 1) {
  const r = rng(seed);
  /** @type {import('@sanitation/contracts').BasemapFeature[]} */
  const features = [];
  /** @type {number[][][]} */
  const streets = [];
  const line = (/** @type {number[][]} */ coords, /** @type {string} */ cls, /** @type {string} */ id) => {
    const c = coords.map(([x, y]) => [round(x), round(y)]);
    streets.push(c);
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: /** @type {any} */ (c) }, properties: { layer: 'street', id, class: cls } });
  };
  const stepKm = 0.25;
  for (let k = 0, x = 0; x <= CITY.widthKm + 1e-9; k++, x += stepKm) {
    const cls = k % 8 === 0 ? 'main' : k % 4 === 0 ? 'secondary' : 'local';
    const lon = W + x * KM_LON;
    // Local streets wobble a little so the grid does not look ruled.
    const pts = [];
    for (let y = 0; y <= CITY.heightKm + 1e-9; y += 1.5) pts.push([lon + (cls === 'local' ? (r() - 0.5) * 0.05 * KM_LON : 0), S + y * KM_LAT]);
    line(pts, cls, `ns-${k}`);
  }
  for (let k = 0, y = 0; y <= CITY.heightKm + 1e-9; k++, y += stepKm) {
    const cls = k % 8 === 0 ? 'main' : k % 4 === 0 ? 'secondary' : 'local';
    const lat = S + y * KM_LAT;
    const pts = [];
    for (let x = 0; x <= CITY.widthKm + 1e-9; x += 1.5) pts.push([W + x * KM_LON, lat + (cls === 'local' ? (r() - 0.5) * 0.05 * KM_LAT : 0)]);
    line(pts, cls, `ew-${k}`);
  }
  // A ring road and a river-like diagonal main road.
  const ring = [];
  for (let a = 0; a <= 64; a++) {
    const t = (a / 64) * 2 * Math.PI;
    ring.push([CITY.center[0] + Math.cos(t) * 6.5 * KM_LON, CITY.center[1] + Math.sin(t) * 5 * KM_LAT]);
  }
  line(ring, 'main', 'ring');
  const zx = 4;
  const zy = 3;
  for (let i = 0; i < zx; i++) {
    for (let j = 0; j < zy; j++) {
      const w = W + ((i * CITY.widthKm) / zx) * KM_LON;
      const e = W + (((i + 1) * CITY.widthKm) / zx) * KM_LON;
      const s = S + ((j * CITY.heightKm) / zy) * KM_LAT;
      const n = S + (((j + 1) * CITY.heightKm) / zy) * KM_LAT;
      features.push({
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: /** @type {any} */ ([[[w, s], [e, s], [e, n], [w, n], [w, s]].map(([x, y]) => [round(x), round(y)])]) },
        properties: { layer: 'zone', id: `Z${i}${j}`, name: `Zone ${i * zy + j + 1}` },
      });
    }
  }
  const point = (/** @type {string} */ layer, /** @type {string} */ id) =>
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [round(W + r() * (E - W)), round(S + r() * (N - S))] }, properties: { layer: /** @type {any} */ (layer), id } });
  for (let i = 0; i < 3; i++) point('depot', `depot-${i}`);
  for (let i = 0; i < 2; i++) point('transfer', `transfer-${i}`);
  for (let i = 0; i < 2; i++) point('disposal', `disposal-${i}`);
  for (let i = 0; i < 200; i++) point('cabinet', `cab-${i}`);
  return {
    basemap: { type: 'FeatureCollection', properties: { name: CITY.name, center: /** @type {[number, number]} */ (CITY.center), bbox: CITY_BBOX }, features },
    streets,
  };
}

const KINDS = /** @type {const} */ (['bin', 'bin', 'bin', 'bin', 'bin', 'bin', 'streetlight', 'streetlight', 'streetlight', 'toilet', 'septic']);

/** Values of a plausible reading; mostly healthy, a few needing attention. @param {string} kind @param {() => number} r */
export function valuesFor(kind, r) {
  const pct = () => Math.round(100 * r() ** 2.2);
  switch (kind) {
    case 'bin':
      return { fillPct: pct(), tempC: r() < 0.0005 ? 70 : 18 + Math.round(r() * 8), batteryPct: 60 + Math.round(r() * 40) };
    case 'septic':
      return { levelPct: pct(), h2sPpm: 2, ch4PctLel: r() < 0.002 ? 30 : 3 };
    case 'toilet':
      return { nh3Ppm: r() < 0.03 ? 14 : 3, h2sPpm: 0.4, paperPct: r() < 0.05 ? 8 : 70, soapPct: 80, waterLeak: false };
    default: {
      const on = r() < 0.8;
      const fault = r() < 0.01;
      return { lampOn: on, powerW: on && !fault ? 85 : on ? 0.5 : 0, voltageV: 221, dimPct: 100 };
    }
  }
}

/**
 * @param {number} n @param {number[][][]} streets
 * @returns {{ devices: import('@sanitation/contracts').AssetState[], kinds: string[], lon: Float64Array, lat: Float64Array }}
 */
export function makeAssets(n, streets, seed = 2) {
  const r = rng(seed);
  const devices = [];
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const st = streets[Math.floor(r() * streets.length)];
    const seg = Math.floor(r() * (st.length - 1));
    const [x0, y0] = st[seg];
    const [x1, y1] = st[seg + 1];
    const t = r();
    const kind = KINDS[Math.floor(r() * KINDS.length)];
    lon[i] = round(x0 + (x1 - x0) * t + (r() - 0.5) * 0.02 * KM_LON);
    lat[i] = round(y0 + (y1 - y0) * t + (r() - 0.5) * 0.02 * KM_LAT);
    const online = r() > 0.01;
    devices.push({ id: `${kind}-${String(i).padStart(6, '0')}`, kind, name: null, zone: null, lat: lat[i], lon: lon[i], online, ts: Date.now(), values: valuesFor(kind, r) });
  }
  return { devices: /** @type {any} */ (devices), kinds: devices.map((d) => d.kind), lon, lat };
}
