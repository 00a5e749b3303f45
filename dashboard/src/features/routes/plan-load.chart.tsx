import type { PlanRoute } from '@sanitation/contracts';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT } from '../../i18n/i18n';
import { loadCurve } from './route-plan.logic';

const HEIGHT = 180;

/** Load on board over the round (kg) with the truck's capacity as a line, drawn with uPlot. */
export function PlanLoadChart({ route, colour, timeZone }: { route: PlanRoute; colour: string; timeZone: string }) {
  const t = useT('routes');
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const curve = loadCurve(route);
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: HEIGHT,
        // Stop times are instants: show them on the city's clock.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
        scales: { y: { range: (_u, _min, max) => [0, Math.max(max, route.capacityKg) * 1.05] } },
        axes: [
          { stroke: '#8b9bab', grid: { stroke: '#273545' }, ticks: { stroke: '#273545' } },
          { stroke: '#8b9bab', grid: { stroke: '#273545' }, ticks: { stroke: '#273545' }, size: 56 },
        ],
        series: [
          {},
          { label: t('route.loadCurve'), stroke: colour, width: 2, fill: `${colour}33`, value: (_u, v) => (v === null ? '—' : `${Math.round(v)} kg`) },
          { label: t('route.capacity'), stroke: '#f85149', width: 1, dash: [6, 4], points: { show: false }, value: (_u, v) => (v === null ? '—' : `${Math.round(v)} kg`) },
        ],
        legend: { show: false },
      },
      [curve.x, curve.load, curve.capacity],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [route, colour, timeZone, t]);
  return <div class="plan-load-chart" ref={host} data-testid="plan-load-chart" data-vehicle-id={route.vehicleId} data-points={route.stops.length * 2} />;
}
