import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../../i18n/i18n';
import { STATE_COLOURS, SEVERITY_COLOURS } from '../../map/asset-state';
import { MapController } from '../../map/map-controller';
import './map.css';

/** The live city map (all drawing lives in src/map behind the adapter; this only mounts it). */
export function MapView() {
  const t = useT('map');
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new MapController(ref.current!);
    controller.start().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    return () => controller.destroy();
  }, []);
  return (
    <div class="map-view">
      <div class="map-canvas" ref={ref} data-testid="map" />
      {error && <div class="map-error">{t('error', { message: error })}</div>}
      <MapLegend />
    </div>
  );
}

function MapLegend() {
  const t = useT('map');
  const items: [string, string][] = [
    [STATE_COLOURS['level-low'], 'legend.low'],
    [STATE_COLOURS['level-mid'], 'legend.mid'],
    [STATE_COLOURS['level-high'], 'legend.high'],
    [STATE_COLOURS['level-full'], 'legend.alarm'],
    [STATE_COLOURS['lamp-on'], 'legend.lampOn'],
    [STATE_COLOURS['lamp-off'], 'legend.lampOff'],
    [STATE_COLOURS.offline, 'legend.offline'],
    [STATE_COLOURS.truck, 'legend.truck'],
  ];
  return (
    <div class="map-legend" data-testid="map-legend">
      {items.map(([colour, key]) => (
        <span key={key} class="map-legend-item">
          <i style={{ background: colour }} />
          {t(key)}
        </span>
      ))}
      <span class="map-legend-item map-legend-cells">
        <i class="cell" style={{ background: `linear-gradient(90deg, ${SEVERITY_COLOURS.join(', ')})` }} />
        {t('legend.cells')}
      </span>
    </div>
  );
}
