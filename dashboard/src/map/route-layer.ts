import { routesFocus, routesState, type RoutesState } from '../features/routes/route-plan.store';
import { FLY_ZOOM } from './map-pointer';
import type { MapInstance } from './map-adapter';
import { planBounds, routeScene, type RouteMarker, type RouteScene } from './route-draw';

const MARKER_R = 10;

/**
 * The plan's routes on the ops map, drawn on a 2D canvas over the map and redrawn with the
 * camera (the map's 'render' event), like the cells overlay. Canvas because the markers carry
 * numbers and the map has no glyph server; the routes are few, so a full redraw is cheap.
 */
export class RouteLayer {
  private readonly canvas: HTMLCanvasElement;
  private scene: RouteScene = { lines: [], markers: [] };
  private shownPlanId: string | null = null;
  private readonly off: (() => void)[];
  private readonly onRender = () => this.draw();

  constructor(private readonly map: MapInstance) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'ops-overlay ops-overlay-routes';
    this.canvas.dataset.testid = 'route-layer';
    this.canvas.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none;';
    map.getCanvasContainer().appendChild(this.canvas);
    map.on('render', this.onRender);
    this.off = [
      routesState.subscribe((s) => this.update(s)),
      routesFocus.subscribe((f) => f && map.flyTo({ center: [f.lon, f.lat], zoom: Math.max(map.getZoom(), FLY_ZOOM) })),
    ];
    this.update(routesState.get());
  }

  destroy(): void {
    this.off.forEach((off) => off());
    this.map.off('render', this.onRender);
    this.canvas.remove();
  }

  private update(s: RoutesState): void {
    this.scene = routeScene(s.plan, s.selectedVehicle);
    this.canvas.dataset.routes = String(this.scene.lines.length);
    this.canvas.dataset.markers = String(this.scene.markers.length);
    const id = s.plan?.planId ?? null;
    if (id !== this.shownPlanId) {
      this.shownPlanId = id;
      const b = planBounds(s.plan);
      // A newly opened plan: show all of it (the bottom padding keeps it clear of the legend).
      if (b) this.map.fitBounds([b[0], b[1], b[2], b[3]], { padding: { top: 48, left: 48, right: 48, bottom: 110 }, maxZoom: 16, duration: 600 });
    }
    this.draw();
  }

  private draw(): void {
    const container = this.map.getContainer();
    const w = container.clientWidth;
    const h = container.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const project = (lon: number, lat: number): [number, number] => {
      const p = this.map.project([lon, lat]);
      return [p.x, p.y];
    };
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    for (const line of this.scene.lines) {
      ctx.beginPath();
      line.coords.forEach(([lon, lat], i) => {
        const [x, y] = project(lon, lat);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      // A dark casing keeps the line readable over streets of any colour.
      ctx.strokeStyle = 'rgba(10, 16, 24, 0.8)';
      ctx.lineWidth = line.width + 3;
      ctx.stroke();
      ctx.strokeStyle = line.colour;
      ctx.lineWidth = line.width;
      ctx.stroke();
    }
    ctx.font = `bold ${MARKER_R + 1}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const m of this.scene.markers) {
      const [x, y] = project(m.lon, m.lat);
      if (x < -MARKER_R || y < -MARKER_R || x > w + MARKER_R || y > h + MARKER_R) continue;
      drawMarker(ctx, m, x, y);
    }
  }
}

function drawMarker(ctx: CanvasRenderingContext2D, m: RouteMarker, x: number, y: number): void {
  const r = MARKER_R;
  ctx.globalAlpha = m.faded ? 0.45 : 1;
  ctx.beginPath();
  if (m.shape === 'circle') ctx.arc(x, y, r, 0, Math.PI * 2);
  else if (m.shape === 'square') ctx.rect(x - r, y - r, 2 * r, 2 * r);
  else {
    ctx.moveTo(x, y - r - 2);
    ctx.lineTo(x + r + 2, y);
    ctx.lineTo(x, y + r + 2);
    ctx.lineTo(x - r - 2, y);
    ctx.closePath();
  }
  ctx.fillStyle = m.shape === 'circle' ? m.colour : '#0e1620';
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = m.shape === 'circle' ? '#0e1620' : m.colour;
  ctx.stroke();
  ctx.fillStyle = m.shape === 'circle' ? '#0e1620' : '#ffffff';
  ctx.fillText(m.label, x, y + 0.5);
  ctx.globalAlpha = 1;
}
