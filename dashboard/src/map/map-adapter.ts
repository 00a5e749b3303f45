import type { LngLatBoundsLike, Map as MaplibreMap, StyleSpecification } from 'maplibre-gl';
// maplibre-gl 6 runs its worker from a separate module file that the package does not export;
// Vite copies it into the build and gives its URL (a relative path bypasses the exports map).
import maplibreWorkerUrl from '../../../node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import '../../../node_modules/maplibre-gl/dist/maplibre-gl.css';

/**
 * The only place that knows which map library runs. With a Mapbox token the dashboard loads
 * mapbox-gl and the configured Mapbox style; without one (the default, and every test) maplibre-gl
 * with a style built locally from the city's base map — no request to any other host.
 * Both share the API the dashboard uses, so the rest of the code sees one `MapInstance` type.
 */
export type MapInstance = MaplibreMap;
export type { StyleSpecification };
export type {
  GeoJSONSource,
  MapMouseEvent,
  MapGeoJSONFeature,
  ExpressionSpecification,
  LayerSpecification,
  SourceSpecification,
} from 'maplibre-gl';

export interface MapOptions {
  container: HTMLElement;
  /** Local style (maplibre); ignored when a Mapbox token is given. */
  localStyle: StyleSpecification;
  bounds?: LngLatBoundsLike;
  center?: [number, number];
  zoom?: number;
  mapboxToken: string | null;
  mapboxStyle: string;
}

export interface CreatedMap {
  map: MapInstance;
  library: 'maplibre' | 'mapbox';
}

/** Starts downloading the library early (it is the biggest chunk); createMap awaits the same import. */
export function preloadMapLibrary(mapboxToken: string | null): void {
  void (mapboxToken ? import('mapbox-gl') : import('maplibre-gl')).catch(() => undefined);
}

export async function createMap(o: MapOptions): Promise<CreatedMap> {
  const common = {
    container: o.container,
    center: o.center,
    zoom: o.zoom,
    bounds: o.bounds,
    fitBoundsOptions: { padding: 16 },
    attributionControl: false as const,
    dragRotate: false,
    pitchWithRotate: false,
    fadeDuration: 0,
  };
  if (o.mapboxToken) {
    const mapboxgl = (await import('mapbox-gl')).default;
    mapboxgl.accessToken = o.mapboxToken;
    const map = new mapboxgl.Map({ ...common, style: o.mapboxStyle } as never) as unknown as MapInstance;
    return { map, library: 'mapbox' };
  }
  const maplibre = await import('maplibre-gl');
  maplibre.setWorkerUrl(new URL(maplibreWorkerUrl, location.href).href);
  const map = new maplibre.Map({
    ...common,
    style: o.localStyle,
    // No preserveDrawingBuffer: in software WebGL it costs a full-canvas copy on every frame.
    canvasContextAttributes: { antialias: false, preserveDrawingBuffer: false },
  } as never);
  return { map, library: 'maplibre' };
}
