import type { DeviceHistoryResponse, DeviceKind } from '@sanitation/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { locale, useT } from '../../i18n/i18n';
import { useStore } from '../../state/store';
import { errorText } from '../../app/panel-hooks';
import { cityTimeZone, serverNow } from '../../app/server-time';
import { loadHistory } from './asset.api';
import { CHART_FIELDS, FIELD_UNITS, HISTORY_RANGES, historyQuery, seriesOf, type HistoryRange } from './history-query';

const COLOURS = ['#58a6ff', '#f0883e', '#3fb950'];
const AXIS = { stroke: '#8b9bab', grid: { stroke: '#273545', width: 1 }, ticks: { stroke: '#273545', width: 1 } };
const CHART_HEIGHT = 130;

/** Axis labels in the city's zone and the UI language: clock times, or dates over a week. */
function timeLabels(lng: string, tz: string, spanMs: number): (u: uPlot, splits: number[]) => string[] {
  const fmt = new Intl.DateTimeFormat(lng, {
    timeZone: tz,
    hourCycle: 'h23',
    ...(spanMs > 36 * 3_600_000 ? { month: '2-digit', day: '2-digit' } : { hour: '2-digit', minute: '2-digit' }),
  });
  return (_u, splits) => splits.map((s) => fmt.format(new Date(s * 1000)));
}

/** One small chart per field (their units differ), in the city's time zone, dark theme. */
function FieldChart({ res, field, colour, label }: { res: DeviceHistoryResponse; field: string; colour: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const lng = useStore(locale);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const tz = cityTimeZone();
    const span = Date.parse(res.to) - Date.parse(res.from);
    let plot: uPlot | null = null;
    try {
      plot = new uPlot(
        {
          width: Math.max(200, el.clientWidth),
          height: CHART_HEIGHT,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true } },
          series: [{}, { label, stroke: colour, width: 2, fill: `${colour}22`, spanGaps: false }],
          axes: [
            { ...AXIS, size: 28, space: 60, values: timeLabels(lng, tz, span) },
            { ...AXIS, size: 44, space: 24 },
          ],
        },
        seriesOf(res, field),
        el,
      );
    } catch {
      return; // no canvas (jsdom): the figures are still listed in the live values
    }
    const fit = () => plot?.setSize({ width: Math.max(200, el.clientWidth), height: CHART_HEIGHT });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fit);
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      plot?.destroy();
    };
  }, [res, field, colour, label, lng]);
  return (
    <div class="history-field">
      <div class="history-label" style={{ color: colour }}>
        {label}
      </div>
      <div ref={box} class="history-plot" data-field={field} />
    </div>
  );
}

export function HistoryCharts({ deviceId, kind }: { deviceId: string; kind: DeviceKind }) {
  const t = useT('asset');
  const [range, setRange] = useState<HistoryRange>('24h');
  const [res, setRes] = useState<DeviceHistoryResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setRes(null);
    setError(null);
    loadHistory(deviceId, historyQuery(kind, range, serverNow()), ctl.signal)
      .then((r) => !ctl.signal.aborted && setRes(r))
      .catch((err: unknown) => !ctl.signal.aborted && setError(errorText(err)));
    return () => ctl.abort();
  }, [deviceId, kind, range]);

  return (
    <section class="asset-section">
      <div class="history-head">
        <h4>{t('history')}</h4>
        <div class="history-ranges" role="group">
          {(Object.keys(HISTORY_RANGES) as HistoryRange[]).map((r) => (
            <button key={r} type="button" data-testid={`history-range-${r}`} aria-pressed={r === range} class={r === range ? 'active' : ''} onClick={() => setRange(r)}>
              {t(`range.${r}`)}
            </button>
          ))}
        </div>
      </div>
      <div class="asset-history-chart" data-testid="asset-history-chart" data-range={range} data-points={res?.points.length ?? ''}>
        {error && <div class="panel-error">{error}</div>}
        {!res && !error && <div class="muted small">{t('loading')}</div>}
        {res && res.points.length === 0 && <div class="muted small">{t('noHistory')}</div>}
        {res &&
          res.points.length > 0 &&
          CHART_FIELDS[kind].map((f, i) => (
            <FieldChart
              key={f}
              res={res}
              field={f}
              colour={COLOURS[i % COLOURS.length]!}
              label={`${t(`field.${f}`, { defaultValue: f })}${FIELD_UNITS[f] ? ` (${FIELD_UNITS[f]})` : ''}`}
            />
          ))}
      </div>
    </section>
  );
}
