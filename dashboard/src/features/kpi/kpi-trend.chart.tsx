import type { KpiTrend } from '@sanitation/contracts';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT } from '../../i18n/i18n';
import { TREND_KEYS } from './kpi-format';
import { TREND_COLOURS, trendData } from './kpi-trend';

const HEIGHT = 320;

/** The trend of the three per-bucket figures, in percent, drawn with uPlot (canvas). */
export function KpiTrendChart({ trend, timeZone }: { trend: KpiTrend; timeZone: string }) {
  const t = useT('kpi');
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(300, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: HEIGHT,
        // Bucket starts are the city's midnights: label them in the city's clock, not the browser's.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
        scales: { y: { range: [0, 100] } },
        axes: [
          { stroke: '#8b9bab', grid: { stroke: '#273545' }, ticks: { stroke: '#273545' } },
          { stroke: '#8b9bab', grid: { stroke: '#273545' }, ticks: { stroke: '#273545' }, values: (_u, splits) => splits.map((v) => `${v}%`), size: 56 },
        ],
        series: [
          { label: t('date') },
          ...TREND_KEYS.map((k) => ({
            label: t(`card.${k}`),
            stroke: TREND_COLOURS[k],
            width: 3,
            points: { size: 7 },
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`),
          })),
        ],
      },
      trendData(trend) as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [trend, timeZone, t]);

  return <div class="kpi-trend-chart" ref={host} data-testid="kpi-trend-chart" data-points={trend.points.length} />;
}
