import type { CellFeature } from './aggregate-grid';
import { SEVERITY_COLOURS, STATE_COLOURS } from './asset-state';
import type { TruckPose } from './truck-motion';

/**
 * The dynamic part of the city map — aggregate cells and trucks — drawn on two 2D canvases laid
 * over the map's WebGL canvas and kept in step with its camera. A data change then redraws only
 * the overlay (a few ms) instead of the whole base map (50–80 ms a repaint in software WebGL);
 * the base map repaints only when the camera moves, and then the overlay is redrawn in the same
 * frame from the map's 'render' event. 2D canvas rather than a second WebGL context: a few
 * thousand filled circles rasterise fast in Skia without a GPU, and there is no context to lose.
 * Trucks sit on their own canvas so a gliding truck never redraws the cells.
 */

/** Share of an area's assets needing attention from which its circle turns yellow, orange, red. */
export const CELL_SHARE_STEPS = [0.06, 0.12, 0.25] as const;
/** Circle radius (CSS px) by √count, piecewise linear. */
const RADIUS_STOPS: readonly [number, number][] = [
  [1, 3],
  [4, 6],
  [10, 9],
  [20, 13],
  [40, 18],
];

export function cellRadius(count: number): number {
  const x = Math.sqrt(count);
  if (x <= RADIUS_STOPS[0]![0]) return RADIUS_STOPS[0]![1];
  for (let i = 1; i < RADIUS_STOPS.length; i++) {
    const [x1, y1] = RADIUS_STOPS[i]!;
    const [x0, y0] = RADIUS_STOPS[i - 1]!;
    if (x <= x1) return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
  }
  return RADIUS_STOPS.at(-1)![1];
}

/** Colour = share needing attention; grey when nothing in the cell is online. */
export function cellColour(worst: number, problemShare: number): string {
  if (worst < 0) return STATE_COLOURS.offline;
  const step = CELL_SHARE_STEPS.findIndex((s) => problemShare < s);
  return SEVERITY_COLOURS[step === -1 ? 3 : step]!;
}

export const mercX = (lon: number): number => (180 + lon) / 360;
export const mercY = (lat: number): number => (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;

/** What the overlay needs of the map: its camera, as a projection to CSS pixels. */
export interface OverlayCamera {
  project(lon: number, lat: number): [number, number];
  zoom(): number;
  bearing(): number;
  pitch(): number;
  center(): [number, number];
  /** The map canvas's size in CSS px. */
  size(): [number, number];
}

/** Web-mercator (0..1) → CSS pixels; affine while the map is not pitched, so a redraw costs no projection per point. */
type Projector = (mx: number, my: number, lon: number, lat: number) => [number, number];

function projector(cam: OverlayCamera): Projector {
  if (cam.pitch() !== 0) return (_mx, _my, lon, lat) => cam.project(lon, lat);
  const [lon0, lat0] = cam.center();
  const d = 0.01;
  const pts: [number, number][] = [
    [lon0, lat0],
    [lon0 + d, lat0],
    [lon0, lat0 + d],
  ];
  const [s0, s1, s2] = pts.map(([lo, la]) => cam.project(lo, la)) as [[number, number], [number, number], [number, number]];
  const [m0, m1, m2] = pts.map(([lo, la]) => [mercX(lo), mercY(la)]) as [[number, number], [number, number], [number, number]];
  // Solve screen = A·(m − m0) + s0 from the two offsets (a 2×2 system per screen axis).
  const u1 = m1[0] - m0[0], v1 = m1[1] - m0[1], u2 = m2[0] - m0[0], v2 = m2[1] - m0[1];
  const det = u1 * v2 - u2 * v1;
  const ax = ((s1[0] - s0[0]) * v2 - (s2[0] - s0[0]) * v1) / det;
  const bx = ((s2[0] - s0[0]) * u1 - (s1[0] - s0[0]) * u2) / det;
  const ay = ((s1[1] - s0[1]) * v2 - (s2[1] - s0[1]) * v1) / det;
  const by = ((s2[1] - s0[1]) * u1 - (s1[1] - s0[1]) * u2) / det;
  return (mx, my) => [s0[0] + ax * (mx - m0[0]) + bx * (my - m0[1]), s0[1] + ay * (mx - m0[0]) + by * (my - m0[1])];
}

interface Cell {
  f: CellFeature;
  mx: number;
  my: number;
  r: number;
  colour: string;
}

const EDGE = 'rgba(14, 22, 32, 0.75)';
/** Up to this many changed cells are repainted in place; more, and the whole canvas is. */
const MAX_PARTIAL = 48;

function overlayCanvas(parent: HTMLElement, name: string): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.className = `ops-overlay ops-overlay-${name}`;
  c.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none;';
  parent.appendChild(c);
  return c;
}

export class MapOverlay {
  private readonly cellCanvas: HTMLCanvasElement;
  private readonly truckCanvas: HTMLCanvasElement;
  private cells: Cell[] = [];
  private byKey = new Map<number, Cell>();
  /** Cells whose picture changed since the last draw (old and new look), or 'all'. */
  private damage: Cell[] | 'all' = 'all';
  private trucks: readonly TruckPose[] = [];
  private truckOffline: ReadonlySet<string> = new Set();
  private seq = 0;
  private frame = 0;
  private cellsDue = false;
  private width = 0;
  private height = 0;
  private dpr = 1;
  /** Sequence number of the cell data the last drawn overlay shows. */
  drawnSeq = 0;
  /** performance.now() of the first draw that showed cells. */
  firstCellsDrawn: number | null = null;

  constructor(
    parent: HTMLElement,
    private readonly camera: OverlayCamera,
  ) {
    this.cellCanvas = overlayCanvas(parent, 'cells');
    this.truckCanvas = overlayCanvas(parent, 'trucks');
  }

  /** True while new data waits for its draw (the next animation frame). */
  get drawPending(): boolean {
    return this.cellsDue;
  }

  setCells(cells: readonly CellFeature[], seq: number): void {
    const prev = this.byKey;
    const next = new Map<number, Cell>();
    const damage = this.damage;
    this.cells = cells.map((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const c: Cell = { f, mx: mercX(lon), my: mercY(lat), r: cellRadius(f.properties.count), colour: cellColour(f.properties.worst, f.properties.problemShare) };
      next.set(f.properties.key, c);
      const old = prev.get(f.properties.key);
      // Most state updates do not change a cell's picture (its colour steps by share of problems).
      if (damage !== 'all' && (!old || old.colour !== c.colour || old.r !== c.r || old.mx !== c.mx || old.my !== c.my)) {
        damage.push(c);
        if (old) damage.push(old);
      }
      return c;
    });
    if (damage !== 'all') for (const [key, old] of prev) if (!next.has(key)) damage.push(old);
    this.byKey = next;
    this.seq = seq;
    this.cellsDue = true;
    this.schedule();
  }

  /** Truck poses, drawn right away (callers step them from requestAnimationFrame). */
  setTrucks(poses: readonly TruckPose[], offline: ReadonlySet<string>): void {
    this.trucks = poses;
    this.truckOffline = offline;
    const p = projector(this.camera);
    // At city zoom a gliding truck moves a fraction of a pixel a frame: repaint (and make the
    // compositor redraw) only when some arrow would land visibly elsewhere.
    const key = this.truckPicture(p);
    if (key === this.truckKey) return;
    this.drawTrucks(p, key);
  }

  private truckKey = '';
  private selected: [number, number] | null = null;

  /** The selected asset's ring, drawn on the top canvas so cells and trucks never hide it. */
  setSelected(at: [number, number] | null): void {
    this.selected = at;
    this.drawTrucks(projector(this.camera));
  }

  /** What the truck layer would show: each arrow's position to half a pixel, heading to 2°, and opacity. */
  private truckPicture(p: Projector): string {
    let key = `${this.width}x${this.height}@${this.camera.zoom().toFixed(2)},${Math.round(this.camera.bearing())},${this.selected?.join(',')}`;
    for (const t of this.trucks) {
      const [x, y] = p(mercX(t.lon), mercY(t.lat), t.lon, t.lat);
      key += `|${Math.round(x * 2)},${Math.round(y * 2)},${Math.round(t.heading / 2)},${this.truckOffline.has(t.id) ? 0 : 1}`;
    }
    return key;
  }

  /** The camera moved (the map's 'render' event): redraw both layers now, in the map's frame. */
  redraw(): void {
    this.resize();
    const p = projector(this.camera);
    this.damage = 'all';
    this.drawCells(p);
    this.drawTrucks(p);
  }

  /** The cell under a screen point (CSS px). */
  hitCell(x: number, y: number): CellFeature | null {
    const p = projector(this.camera);
    let best: CellFeature | null = null;
    let bestD = Infinity;
    for (const c of this.cells) {
      const [px, py] = p(c.mx, c.my, c.f.geometry.coordinates[0], c.f.geometry.coordinates[1]);
      const d = Math.hypot(px - x, py - y);
      if (d <= c.r + 4 && d < bestD) {
        best = c.f;
        bestD = d;
      }
    }
    return best;
  }

  /** The truck under a screen point (CSS px). */
  hitTruck(x: number, y: number): TruckPose | null {
    const p = projector(this.camera);
    const reach = this.truckSize() / 2 + 4;
    let best: TruckPose | null = null;
    let bestD = Infinity;
    for (const t of this.trucks) {
      const [px, py] = p(mercX(t.lon), mercY(t.lat), t.lon, t.lat);
      const d = Math.hypot(px - x, py - y);
      if (d <= reach && d < bestD) {
        best = t;
        bestD = d;
      }
    }
    return best;
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.cellCanvas.remove();
    this.truckCanvas.remove();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.resize();
      const p = projector(this.camera);
      if (this.cellsDue) this.drawCells(p);
    });
  }

  private resize(): void {
    const [w, h] = this.camera.size();
    const dpr = window.devicePixelRatio || 1;
    if (w === this.width && h === this.height && dpr === this.dpr) return;
    this.width = w;
    this.height = h;
    this.dpr = dpr;
    this.damage = 'all';
    for (const c of [this.cellCanvas, this.truckCanvas]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
    }
  }

  private context(c: HTMLCanvasElement, clear = true): CanvasRenderingContext2D | null {
    const g = c.getContext('2d');
    if (!g) return null; // jsdom: nothing to draw on
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    if (clear) g.clearRect(0, 0, this.width, this.height);
    return g;
  }

  /** Milliseconds the last cell draw took, and how many cells it repainted (-1 all) (debug hook). */
  lastDrawMs = 0;
  lastDamage = -1;

  private drawCells(p: Projector): void {
    const t0 = performance.now();
    this.cellsDue = false;
    this.drawnSeq = this.seq;
    const damage = this.damage;
    this.damage = [];
    this.lastDamage = damage === 'all' ? -1 : damage.length;
    // The picture already shows this data: nothing to paint.
    if (damage !== 'all' && damage.length === 0) return;
    // A few changed cells: repaint only around them, so the compositor redraws a small area.
    const partial = damage !== 'all' && damage.length <= MAX_PARTIAL;
    const g = this.context(this.cellCanvas, !partial);
    if (!g) return;
    if (partial) {
      g.save();
      const clip = new Path2D();
      for (const c of damage) {
        const [x, y] = p(c.mx, c.my, c.f.geometry.coordinates[0], c.f.geometry.coordinates[1]);
        const r = c.r + 2;
        clip.rect(Math.floor(x - r), Math.floor(y - r), Math.ceil(2 * r) + 1, Math.ceil(2 * r) + 1);
      }
      g.clip(clip);
      g.clearRect(0, 0, this.width, this.height);
    }
    // One path per colour (few fill calls), circles outside the view skipped.
    const byColour = new Map<string, Path2D>();
    const edges = new Path2D();
    for (const c of this.cells) {
      const [x, y] = p(c.mx, c.my, c.f.geometry.coordinates[0], c.f.geometry.coordinates[1]);
      if (x < -c.r || y < -c.r || x > this.width + c.r || y > this.height + c.r) continue;
      let path = byColour.get(c.colour);
      if (!path) byColour.set(c.colour, (path = new Path2D()));
      path.moveTo(x + c.r, y);
      path.arc(x, y, c.r, 0, Math.PI * 2);
      edges.moveTo(x + c.r - 0.75, y);
      edges.arc(x, y, c.r - 0.75, 0, Math.PI * 2);
    }
    g.globalAlpha = 0.9;
    for (const [colour, path] of byColour) {
      g.fillStyle = colour;
      g.fill(path);
    }
    g.globalAlpha = 1;
    g.lineWidth = 1.5;
    g.strokeStyle = EDGE;
    g.stroke(edges);
    if (partial) g.restore();
    if (this.cells.length > 0) this.firstCellsDrawn ??= performance.now();
    this.lastDrawMs = performance.now() - t0;
  }

  /** Truck arrows: 24 px at zoom 11 × 0.7 … 16 × 1.1, like the symbol layer they replace. */
  private truckSize(): number {
    const z = this.camera.zoom();
    return 24 * (0.7 + 0.4 * Math.min(1, Math.max(0, (z - 11) / 5)));
  }

  private drawTrucks(p: Projector, key = this.truckPicture(p)): void {
    this.truckKey = key;
    const g = this.context(this.truckCanvas);
    if (!g) return;
    const s = this.truckSize() / 48;
    const bearing = this.camera.bearing();
    g.lineWidth = 3;
    g.strokeStyle = '#ffffff';
    g.fillStyle = STATE_COLOURS.truck;
    let shown = 0;
    for (const t of this.trucks) {
      const [x, y] = p(mercX(t.lon), mercY(t.lat), t.lon, t.lat);
      if (x < -24 || y < -24 || x > this.width + 24 || y > this.height + 24) continue;
      shown++;
      g.setTransform(this.dpr * s, 0, 0, this.dpr * s, x * this.dpr, y * this.dpr);
      g.rotate(((t.heading - bearing) * Math.PI) / 180);
      g.globalAlpha = this.truckOffline.has(t.id) ? 0.45 : 1;
      g.beginPath();
      g.moveTo(0, -20);
      g.lineTo(16, 18);
      g.lineTo(0, 10);
      g.lineTo(-16, 18);
      g.closePath();
      g.fill();
      g.stroke();
    }
    g.globalAlpha = 1;
    if (this.selected) {
      const [lon, lat] = this.selected;
      const [x, y] = p(mercX(lon), mercY(lat), lon, lat);
      g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      g.beginPath();
      g.arc(x, y, 18, 0, Math.PI * 2);
      g.lineWidth = 3;
      g.strokeStyle = '#ffffff';
      g.stroke();
      shown++;
    }
    // An empty full-size layer still costs the compositor a blend on every frame it redraws.
    this.truckCanvas.style.display = shown > 0 ? '' : 'none';
  }
}
