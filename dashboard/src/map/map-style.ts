import type { Basemap } from '@sanitation/contracts';
import type { StyleSpecification } from './map-adapter';

/** Base map palette: a dark, low-contrast city so the asset colours carry the information. */
export const BASE_COLOURS = {
  background: '#0e1620',
  zoneOutline: '#3b5675',
  streetMain: '#4a5b70',
  streetSecondary: '#37465a',
  streetLocal: '#2a3646',
  depot: '#3da5ff',
  disposal: '#b07cff',
  cabinet: '#8fa3b8',
};

const EMPTY = { type: 'FeatureCollection', features: [] } as const;

/**
 * The local style: the base map's GeoJSON as one source, filtered into layers by `layer` and
 * street `class`. No glyphs and no sprites (icons are drawn on canvas and added at run time), so
 * nothing is fetched from another host. Without a base map only the background is drawn.
 */
export function localStyle(basemap: Basemap | null): StyleSpecification {
  const c = BASE_COLOURS;
  const style: StyleSpecification = {
    version: 8,
    name: basemap?.properties.name ?? 'city',
    sources: { basemap: { type: 'geojson', data: (basemap ?? EMPTY) as never } },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': c.background } }],
  };
  if (!basemap) return style;
  const L = (layer: string) => ['==', ['get', 'layer'], layer] as never;
  const street = (cls: string, colour: string, widths: [number, number, number]) => ({
    id: `street-${cls}`,
    type: 'line' as const,
    source: 'basemap',
    // Local streets only once they are more than a hairline: fewer lines to draw on every repaint.
    ...(cls === 'local' ? { minzoom: 12.5 } : {}),
    filter: ['all', L('street'), cls === 'local' ? ['!', ['in', ['get', 'class'], ['literal', ['main', 'secondary']]]] : ['==', ['get', 'class'], cls]] as never,
    layout: { 'line-cap': 'round' as const, 'line-join': 'round' as const },
    paint: {
      'line-color': colour,
      'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 11, widths[0], 14, widths[1], 18, widths[2]] as never,
    },
  });
  style.layers.push(
    // Zones as outlines only: a translucent fill is one more full-screen pass on every repaint.
    { id: 'zone-outline', type: 'line', source: 'basemap', filter: L('zone'), paint: { 'line-color': c.zoneOutline, 'line-width': 2, 'line-dasharray': [3, 2] } },
    street('local', c.streetLocal, [0.4, 1.5, 10]),
    street('secondary', c.streetSecondary, [0.8, 2.5, 16]),
    street('main', c.streetMain, [1.4, 4, 24]),
    {
      id: 'facilities',
      type: 'circle',
      source: 'basemap',
      filter: ['in', ['get', 'layer'], ['literal', ['depot', 'transfer', 'disposal']]] as never,
      paint: {
        'circle-color': ['match', ['get', 'layer'], 'disposal', c.disposal, c.depot] as never,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 5, 16, 12] as never,
        'circle-opacity': 0.35,
        'circle-stroke-color': ['match', ['get', 'layer'], 'disposal', c.disposal, c.depot] as never,
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'cabinets',
      type: 'circle',
      source: 'basemap',
      minzoom: 14,
      filter: L('cabinet'),
      paint: { 'circle-color': c.cabinet, 'circle-radius': 3, 'circle-opacity': 0.7 },
    },
  );
  return style;
}
