import type { Contractor, KpiReport, KpiTrend, ZoneCollection } from '@sanitation/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/http';
import { uiConfig } from '../../app/ui-config';
import { locale, useT } from '../../i18n/i18n';
import { useStore } from '../../state/store';
import { serverNow, syncServerClock } from '../../app/server-time';
import { cardsOf, formatFraction, formatKm, formatMinutes, formatPercent, rateAttribute, rateTone } from './kpi-format';
import { defaultPeriod, periodProblem, periodRange, trendBucket, type PeriodDates } from './kpi-period';
import { KpiTrendChart } from './kpi-trend.chart';
import './kpi.css';

interface Filters extends PeriodDates {
  zone: string;
  contractor: string;
}

interface Loaded {
  report: KpiReport;
  trend: KpiTrend;
  query: Record<string, string | undefined>;
}

function cityTimeZone(): string {
  try {
    return uiConfig().cityTimeZone;
  } catch {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
}

/** The KPI cockpit (驾驶舱): the department's figures for a period, zone and contractor, with trends. */
export function KpiCockpit() {
  const t = useT('kpi');
  useStore(locale);
  const timeZone = cityTimeZone();
  // "Now" is the server's clock: a demo may run a simulated clock far from the PC's.
  const [filters, setFilters] = useState<Filters>(() => ({ ...defaultPeriod(serverNow(), timeZone), zone: '', contractor: '' }));
  const [zones, setZones] = useState<{ id: string; name: string }[]>([]);
  const [contractors, setContractors] = useState<Contractor[]>([]);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState('');
  const inflight = useRef<AbortController | null>(null);

  const apply = async (f: Filters) => {
    const problem = periodProblem(f);
    if (problem) {
      setError(t(`period.${problem}`));
      setStatus('error');
      return;
    }
    inflight.current?.abort();
    const ctrl = new AbortController();
    inflight.current = ctrl;
    setStatus('loading');
    const range = periodRange(f, timeZone, serverNow());
    const query = { ...range, zone: f.zone || undefined, contractor: f.contractor || undefined };
    try {
      const [report, trend] = await Promise.all([
        api.get<KpiReport>('/kpi', query, ctrl.signal),
        api.get<KpiTrend>('/kpi/trend', { ...query, bucket: trendBucket(f) }, ctrl.signal),
      ]);
      if (ctrl.signal.aborted) return;
      setLoaded({ report, trend, query: { ...query, bucket: trend.bucket } });
      setStatus('ready');
    } catch (err) {
      if (ctrl.signal.aborted) return;
      setError(err instanceof Error ? err.message : String(err));
      setStatus('error');
    }
  };

  useEffect(() => {
    void syncServerClock().then(() => {
      const fresh = { ...filters, ...defaultPeriod(serverNow(), timeZone) };
      setFilters(fresh);
      void apply(fresh);
    });
    api
      .get<ZoneCollection>('/zones')
      .then((c) => setZones(c.features.map((f) => ({ id: f.properties.id, name: f.properties.name })).sort((a, b) => a.id.localeCompare(b.id))))
      .catch(() => setZones([]));
    api
      .get<Contractor[]>('/contractors')
      .then(setContractors)
      .catch(() => setContractors([]));
    return () => inflight.current?.abort();
  }, []);

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const csv = (path: '/kpi' | '/kpi/trend', name: string) => {
    if (!loaded) return;
    const { bucket, ...q } = loaded.query;
    const query = path === '/kpi/trend' ? { ...q, bucket } : q;
    api.downloadCsv(path, query, `${name}-${filters.from}_${filters.to}.csv`).catch((err: Error) => setError(err.message));
  };
  const report = loaded?.report;

  return (
    <div class="kpi-cockpit" data-testid="kpi-cockpit" data-status={status}>
      <form
        class="kpi-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void apply(filters);
        }}
      >
        <h2>{t('title')}</h2>
        <label>
          {t('from')}
          <input type="date" value={filters.from} onInput={(e) => set({ from: (e.target as HTMLInputElement).value })} data-testid="kpi-from" />
        </label>
        <label>
          {t('to')}
          <input type="date" value={filters.to} onInput={(e) => set({ to: (e.target as HTMLInputElement).value })} data-testid="kpi-to" />
        </label>
        <label>
          {t('zone')}
          <select value={filters.zone} onChange={(e) => set({ zone: (e.target as HTMLSelectElement).value })} data-testid="kpi-zone">
            <option value="">{t('allZones')}</option>
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name === z.id ? z.id : `${z.name} (${z.id})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('contractor')}
          <select value={filters.contractor} onChange={(e) => set({ contractor: (e.target as HTMLSelectElement).value })} data-testid="kpi-contractor">
            <option value="">{t('allContractors')}</option>
            {contractors.map((c) => (
              <option key={c.contractorId} value={c.contractorId}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="kpi-apply" data-testid="kpi-apply" disabled={status === 'loading'}>
          {t('apply')}
        </button>
        <button type="button" disabled={!loaded} onClick={() => csv('/kpi', 'kpi')} data-testid="kpi-csv">
          {t('csv')}
        </button>
        <span class="kpi-tz">{t('timeZone', { zone: timeZone })}</span>
      </form>

      {status === 'loading' && <p class="kpi-note">{t('loading')}</p>}
      {status === 'error' && (
        <p class="kpi-error" role="alert">
          {error}
        </p>
      )}
      {report && report.truncated.length > 0 && <p class="kpi-note">{t('truncated', { what: report.truncated.join(', ') })}</p>}

      {report && (
        <>
          <section class="kpi-cards">
            {cardsOf(report).map(({ key, ratio }) => (
              <div key={key} class={`kpi-card tone-${rateTone(ratio.rate)}`} data-testid="kpi-card" data-kpi={key} data-rate={rateAttribute(ratio.rate)}>
                <div class="kpi-card-label">{t(`card.${key}`)}</div>
                <div class="kpi-card-rate">{formatPercent(ratio.rate)}</div>
                <div class="kpi-card-fraction">{formatFraction(ratio)}</div>
                <div class="kpi-card-hint">{t(`hint.${key}`)}</div>
              </div>
            ))}
          </section>

          <section class="kpi-panel kpi-trend">
            <div class="kpi-panel-head">
              <h3>{t('trendTitle', { bucket: t(`bucket.${loaded!.trend.bucket}`) })}</h3>
              <button type="button" onClick={() => csv('/kpi/trend', 'kpi-trend')} data-testid="kpi-trend-csv">
                {t('csv')}
              </button>
            </div>
            <KpiTrendChart trend={loaded!.trend} timeZone={timeZone} />
          </section>

          <div class="kpi-tables">
            <section class="kpi-panel">
              <div class="kpi-panel-head">
                <h3>{t('responseTitle')}</h3>
                <button type="button" onClick={() => csv('/kpi', 'kpi')} data-testid="kpi-response-csv">
                  {t('csv')}
                </button>
              </div>
              <table class="kpi-table" data-testid="kpi-response-table">
                <thead>
                  <tr>
                    <th>{t('col.type')}</th>
                    <th class="num">{t('col.count')}</th>
                    <th class="num">{t('col.avgResponse')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.responseByJobType.length === 0 && (
                    <tr>
                      <td colSpan={3} class="kpi-empty">{t('noRows')}</td>
                    </tr>
                  )}
                  {report.responseByJobType.map((r) => (
                    <tr key={r.type}>
                      <td>{t(`types.${r.type}`, { defaultValue: r.type })}</td>
                      <td class="num">{r.count}</td>
                      <td class="num">{formatMinutes(r.avgMinutes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="kpi-panel">
              <div class="kpi-panel-head">
                <h3>{t('trucksTitle')}</h3>
                <button type="button" onClick={() => csv('/kpi', 'kpi')} data-testid="kpi-trucks-csv">
                  {t('csv')}
                </button>
              </div>
              <table class="kpi-table" data-testid="kpi-trucks-table">
                <thead>
                  <tr>
                    <th>{t('col.truck')}</th>
                    <th class="num">{t('col.distance')}</th>
                    <th class="num">{t('col.utilisation')}</th>
                    <th class="num">{t('col.fixes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.trucks.length === 0 && (
                    <tr>
                      <td colSpan={4} class="kpi-empty">{t('noRows')}</td>
                    </tr>
                  )}
                  {report.trucks.map((tr) => (
                    <tr key={tr.vehicleId}>
                      <td>{tr.name}</td>
                      <td class="num">{formatKm(tr.distanceKm)}</td>
                      <td class="num">{formatPercent(tr.utilisation)}</td>
                      <td class="num">{formatFraction({ numerator: tr.movingFixes, denominator: tr.fixes })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
