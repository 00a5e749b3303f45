import type { DeviceStateEvent, TruckPositionEvent } from '@sanitation/contracts';
import { uiConfig } from '../app/ui-config';
import { FrameBatcher } from '../live/frame-batcher';
import { live } from '../live/live-connection';
import { AggregateGrid, BAND_SIZES } from './aggregate-grid';
import { SRC, addAssetLayers, assetFeatures } from './asset-layers';
import { classifyAsset } from './asset-state';
import { AssetStore } from './asset-store';
import { addIcons } from './icons';
import { createMap, preloadMapLibrary, type GeoJSONSource, type MapInstance } from './map-adapter';
import { localStyle } from './map-style';
import { boundsOf, fetchSnapshot, snapshotTimings, takeMapData } from './map-data';
import { MapOverlay } from './map-overlay';
import type { SnapshotArrays } from './snapshot-arrays';
import { wirePointer } from './map-pointer';
import { RouteLayer } from './route-layer';
import { TrailLayer } from './trail-layer';
import { TruckMotion } from './truck-motion';
import { assetsInBbox, containsBbox, inBbox, padBbox, type Bbox } from './viewport';

/** Individual assets are drawn from this zoom on, or earlier when the padded view holds at most DETAIL_MAX. */
const DETAIL_ZOOM = 14.5;
const DETAIL_MAX = 4000;
/** The cells are redrawn at most this often while updates stream. */
// A push redraws only the overlay canvas (a few ms), never the base map, so this is about
// update delay vs. main-thread time for rebuilding the cells, not about repaint cost.
const CELL_PUSH_MS = 150;
const DETAIL_PUSH_MS = 50;

export interface OpsMapStats {
  library: 'maplibre' | 'mapbox';
  assets: number;
  mode: 'cells' | 'detail';
  band: number;
  cells: number;
  detail: number;
  trucks: number;
  /** Device events received from the live stream, and how many of them a drawn frame already shows. */
  received: number;
  drawn: number;
  pushes: number;
  /** How long the last overlay (cells) draw took. */
  overlayDrawMs: number;
  overlayDamage: number;
  /** Source pushes not yet drawn, and the map's own loading flags (for the browser tests). */
  pending: string[];
  loaded: boolean;
  tilesLoaded: boolean;
  /** performance.now() when the data arrived, the library loaded, the store was filled, the style loaded. */
  timings: Record<string, number>;
}

declare global {
  interface Window {
    __opsMap?: {
      project(lon: number, lat: number): [number, number];
      isIdle(): boolean;
      stats(): OpsMapStats;
      /** The map itself, for browser tests that need to move it (zoom to a street, etc.). */
      map: MapInstance;
    };
  }
}

/**
 * Runs the ops map: loads the base map and the asset snapshot, keeps every asset's state in the
 * typed-array store, draws the aggregate cells at city zoom and individual assets when zoomed in,
 * applies live updates once per animation frame, and keeps the live subscription to the view.
 */
export class MapController {
  private map: MapInstance | null = null;
  private library: 'maplibre' | 'mapbox' = 'maplibre';
  private store = new AssetStore(4096);
  private grid = new AggregateGrid(31);
  private readonly motion = new TruckMotion(1000);
  private readonly truckOffline = new Set<string>();
  private readonly cleanups: (() => void)[] = [];
  private overlay: MapOverlay | null = null;
  private readonly batcher = new FrameBatcher<DeviceStateEvent>((events) => this.apply(events));
  private mode: 'cells' | 'detail' = 'cells';
  private band = 0;
  private detailBox: Bbox | null = null;
  private detailIdx: number[] = [];
  private cellsDirty = true;
  private detailDirty = false;
  private pushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPush = 0;
  private truckFrame = 0;
  private missedLive = false;
  private destroyed = false;
  // update-visible accounting (debug hook)
  private cellCount = 0;
  private readonly timings: Record<string, number> = {};
  private received = 0;
  private drawn = 0;
  private pushes = 0;
  private pending: { source: string; seq: number; content: boolean }[] = [];

  constructor(private readonly container: HTMLElement) {}

  async start(): Promise<void> {
    const config = uiConfig();
    // The snapshot (large) downloads while the map library and style load.
    preloadMapLibrary(config.mapboxToken);
    const data = takeMapData();
    const snapshotP = data.snapshot;
    snapshotP.catch(() => undefined);
    const basemap = await data.basemap;
    // Without a base map the assets give the extent, so wait for them first.
    const early = basemap ? null : await snapshotP;
    if (this.destroyed) return;
    const bounds = basemap?.properties.bbox ?? (early ? boundsOf(early) : null);
    const centerLat = basemap?.properties.center[1] ?? (bounds ? (bounds[1] + bounds[3]) / 2 : 0);
    this.grid = new AggregateGrid(centerLat, BAND_SIZES, true);
    const created = await createMap({
      container: this.container,
      localStyle: localStyle(basemap),
      bounds: bounds ? [bounds[0], bounds[1], bounds[2], bounds[3]] : undefined,
      center: bounds ? undefined : [0, 0],
      zoom: bounds ? undefined : 2,
      mapboxToken: config.mapboxToken,
      mapboxStyle: config.mapboxStyle,
    });
    this.library = created.library;
    this.timings.library = performance.now();
    const map = (this.map = created.map);
    if (this.destroyed) return map.remove();
    const loaded = new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())));
    const snapshot = early ?? (await snapshotP);
    this.timings.data = performance.now();
    if (this.destroyed) return;
    this.loadSnapshot(snapshot);
    this.timings.store = performance.now();
    await loaded;
    if (this.destroyed) return;
    this.timings.load = performance.now();
    addIcons(map);
    addAssetLayers(map);
    this.overlay = new MapOverlay(map.getCanvasContainer(), {
      project: (lon, lat) => {
        const p = map.project([lon, lat]);
        return [p.x, p.y];
      },
      zoom: () => map.getZoom(),
      bearing: () => map.getBearing(),
      pitch: () => map.getPitch(),
      center: () => {
        const c = map.getCenter();
        return [c.lng, c.lat];
      },
      size: () => [map.getContainer().clientWidth, map.getContainer().clientHeight],
    });
    this.wire(map);
    this.timings.layers = performance.now();
    this.onViewChanged();
    this.drawTrucks();
    window.__opsMap = {
      project: (lon, lat) => {
        const p = map.project([lon, lat]);
        return [p.x, p.y];
      },
      // Everything given is drawn: no camera move, base tiles loaded, no source push or overlay draw waiting.
      isIdle: () => !map.isMoving() && map.areTilesLoaded() && this.pending.length === 0 && !(this.overlay?.drawPending ?? true) && this.pushes > 0,
      stats: () => this.stats(),
      map,
    };
  }

  destroy(): void {
    this.destroyed = true;
    this.cleanups.forEach((c) => c());
    if (this.pushTimer) clearTimeout(this.pushTimer);
    cancelAnimationFrame(this.truckFrame);
    this.overlay?.destroy();
    this.overlay = null;
    if (window.__opsMap) delete window.__opsMap;
    this.map?.remove();
    this.map = null;
  }

  stats(): OpsMapStats {
    return {
      library: this.library,
      assets: this.store.size,
      mode: this.mode,
      band: this.band,
      cells: this.cellCount,
      detail: this.detailIdx.length,
      trucks: this.motion.poses(performance.now()).length,
      received: this.received,
      drawn: Math.max(this.drawn, this.overlay?.drawnSeq ?? 0),
      overlayDrawMs: this.overlay?.lastDrawMs ?? 0,
      overlayDamage: this.overlay?.lastDamage ?? -1,
      pushes: this.pushes,
      pending: this.pending.map((p) => `${p.source}:${p.content ? 'content' : 'sent'}`),
      loaded: this.map?.loaded() ?? false,
      tilesLoaded: this.map?.areTilesLoaded() ?? false,
      timings: { ...snapshotTimings, ...this.timings, ...(this.overlay?.firstCellsDrawn ? { firstDrawn: this.overlay.firstCellsDrawn } : {}) },
    };
  }

  private loadSnapshot(snapshot: SnapshotArrays): void {
    const now = performance.now();
    for (const t of snapshot.truckDevices) {
      this.motion.update(t.id, t.lon, t.lat, null, now);
      if (!t.online) this.truckOffline.add(t.id);
    }
    for (const t of snapshot.trucks) this.motion.update(t.deviceId, t.lon, t.lat, t.headingDeg, now);
    this.store = AssetStore.fromArrays(snapshot.ids, snapshot.lon, snapshot.lat, snapshot.state, snapshot.kind);
    // Bands are filled from the store when first shown (one scan), then kept current per update.
    this.grid = new AggregateGrid(this.grid.centerLat, BAND_SIZES, true);
    this.cellsDirty = true;
    this.detailBox = null;
  }

  private wire(map: MapInstance): void {
    map.on('moveend', () => this.onViewChanged());
    map.on('sourcedata', (e) => {
      const ev = e as unknown as { sourceId?: string; sourceDataType?: string };
      if (ev.sourceDataType !== 'content') return;
      const p = this.pending.find((q) => q.source === ev.sourceId && !q.content);
      if (p) p.content = true;
      if (this.cellsDirty || this.detailDirty) this.push(false);
    });
    map.on('render', () => {
      // The camera may have moved: the overlay follows in the same frame.
      this.overlay?.redraw();
      // A push counts as drawn on the first frame after its data reached the source and its tiles loaded.
      while (this.pending.length > 0) {
        const p = this.pending[0]!;
        if (!p.content || !map.isSourceLoaded(p.source)) break;
        this.drawn = Math.max(this.drawn, p.seq);
        this.pending.shift();
      }
    });
    const offPointer = wirePointer(map, { overlay: () => this.overlay, store: () => this.store, mode: () => this.mode });
    const trailLayer = new TrailLayer(map);
    const routeLayer = new RouteLayer(map);
    this.cleanups.push(
      live.on('devices', (events) => {
        this.received += events.length;
        this.batcher.push(events);
      }),
      live.on('trucks', (events) => this.onTrucks(events)),
      live.status.subscribe((s) => {
        if (s === 'connecting' || s === 'error') this.missedLive = true;
      }),
      live.on('resynced', () => {
        if (!this.missedLive) return;
        this.missedLive = false;
        void fetchSnapshot().then((s) => {
          if (this.destroyed) return;
          this.loadSnapshot(s);
          this.onViewChanged();
        });
      }),
      offPointer,
      () => trailLayer.destroy(),
      () => routeLayer.destroy(),
    );
  }

  private viewBox(): Bbox {
    const b = this.map!.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  /** Picks cells or individual assets for the new view and narrows the live subscription to it. */
  private onViewChanged(): void {
    const map = this.map;
    if (!map) return;
    const view = this.viewBox();
    void live.subscribe({ bbox: padBbox(view, 0.1) });
    const zoom = map.getZoom();
    this.band = this.grid.bandFor(zoom);
    let idx: number[] | null = null;
    if (!this.detailBox || !containsBbox(this.detailBox, view) || this.mode !== 'detail') {
      const box = padBbox(view, 0.25);
      idx = assetsInBbox(this.store, box, zoom >= DETAIL_ZOOM ? Infinity : DETAIL_MAX);
      if (idx) this.detailBox = box;
    } else idx = this.detailIdx;
    const mode = idx && (zoom >= DETAIL_ZOOM || idx.length <= DETAIL_MAX) ? 'detail' : 'cells';
    if (mode === 'detail') {
      this.detailIdx = idx!;
      this.detailDirty = true;
    } else {
      this.detailBox = null;
      this.detailIdx = [];
      this.detailDirty = this.mode === 'detail';
    }
    this.cellsDirty = true;
    this.mode = mode;
    this.push(true);
  }

  private apply(events: DeviceStateEvent[]): void {
    const grid = this.grid;
    const store = this.store;
    for (const e of events) {
      if (e.kind === 'truck') {
        if (e.online) this.truckOffline.delete(e.deviceId);
        else this.truckOffline.add(e.deviceId);
        continue;
      }
      const state = classifyAsset(e.kind, e.values, e.online);
      const c = store.put(e.deviceId, e.kind, e.lon, e.lat, state);
      if (c.isNew) grid.add(e.lon, e.lat, state);
      else grid.move(c.prevLon, c.prevLat, c.prevState, e.lon, e.lat, state);
      if (this.detailBox && inBbox(this.detailBox, e.lon, e.lat)) {
        if (c.isNew || (this.detailBox && !inBbox(this.detailBox, c.prevLon, c.prevLat))) this.detailIdx.push(c.index);
        this.detailDirty = true;
      }
    }
    if (this.mode === 'cells') this.cellsDirty = true;
    this.push(false);
  }

  /** Pushes changed data to the GPU sources, throttled so a stream of updates repaints a few times a second. */
  private push(now: boolean): void {
    if (!this.map) return;
    const wait = this.mode === 'cells' ? CELL_PUSH_MS : DETAIL_PUSH_MS;
    const due = this.lastPush + wait - performance.now();
    if (!now && due > 0) {
      this.pushTimer ??= setTimeout(() => {
        this.pushTimer = null;
        this.push(true);
      }, due);
      return;
    }
    this.lastPush = performance.now();
    const seq = this.received;
    // One setData in flight per source: maplibre would coalesce a second one, and back-pressure
    // keeps a slow (software-rendered) map from queueing work it cannot draw anyway.
    if (this.cellsDirty) {
      const cells = this.mode === 'cells' ? this.grid.ensure(this.band, this.store).collect() : [];
      this.cellCount = cells.length;
      this.overlay?.setCells(cells, seq);
      this.timings.firstPush ??= performance.now();
      this.pushes++;
      this.cellsDirty = false;
    }
    if (this.detailDirty && !this.inFlight(SRC.assets)) {
      this.setData(SRC.assets, assetFeatures(this.store, this.detailIdx), seq);
      this.detailDirty = false;
    }
  }

  private inFlight(source: string): boolean {
    return this.pending.some((p) => p.source === source && !p.content);
  }

  private setData(source: string, features: readonly unknown[], seq: number): void {
    const src = this.map?.getSource(source) as GeoJSONSource | undefined;
    if (!src) return;
    src.setData({ type: 'FeatureCollection', features } as never);
    this.pushes++;
    this.pending.push({ source, seq, content: false });
  }

  private onTrucks(events: TruckPositionEvent[]): void {
    const now = performance.now();
    for (const t of events) this.motion.update(t.deviceId, t.lon, t.lat, t.headingDeg, now);
    this.drawTrucks();
  }

  /** Redraws the trucks (overlay only, the base map stays) each frame while one glides, then stops asking for frames. */
  private drawTrucks(): void {
    if (this.truckFrame) return;
    const step = () => {
      this.truckFrame = 0;
      const now = performance.now();
      this.overlay?.setTrucks(this.motion.poses(now), this.truckOffline);
      if (this.motion.moving(now)) this.truckFrame = requestAnimationFrame(step);
    };
    this.truckFrame = requestAnimationFrame(step);
  }
}
