import { TELEMETRY_FIELDS, type AssetState, type Device, type DeviceKind } from '@sanitation/contracts';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../../api/http';
import { locale, useT } from '../../i18n/i18n';
import { live } from '../../live/live-connection';
import { alarms, jobs } from '../../state/dispatch.stores';
import { select, type Selection } from '../../state/selection';
import { useStore } from '../../state/store';
import { compareAlarms } from '../alarms/alarm-feed.logic';
import { loadAlarms } from '../alarms/alarms.api';
import { compareJobs, isOpen } from '../jobs/job-queue.logic';
import { loadJobs } from '../jobs/jobs.api';
import { errorText, useNow } from '../../app/panel-hooks';
import { cityTimeZone, formatCityTime, formatRelative } from '../../app/server-time';
import { loadAsset } from './asset.api';
import { HistoryCharts } from './history-chart';
import { formatValue } from './history-query';
import { StreetlightCommands } from './streetlight-commands';
import { TruckTrail } from './truck-trail';
import './asset.css';

/** The asset's state from REST, kept current by the live stream (device readings; truck fixes). */
function useLiveAsset(id: string): { asset: AssetState | null; error: string | null } {
  const [asset, setAsset] = useState<AssetState | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    setAsset(null);
    setError(null);
    loadAsset(id, ctl.signal)
      .then((a) => !ctl.signal.aborted && setAsset((held) => (held && (held.ts ?? 0) > (a.ts ?? 0) ? held : a)))
      .catch((err: unknown) => !ctl.signal.aborted && setError(errorText(err)));
    const offDevices = live.on('devices', (events) => {
      const ev = events.findLast((e) => e.deviceId === id);
      if (!ev) return;
      setAsset((held) => ({
        id,
        kind: ev.kind,
        name: held?.name ?? null,
        zone: ev.zone,
        lat: ev.lat,
        lon: ev.lon,
        online: ev.online,
        ts: ev.ts,
        values: { ...(held?.values ?? {}), ...ev.values },
      }));
    });
    const offTrucks = live.on('trucks', (events) => {
      const ev = events.findLast((e) => e.deviceId === id);
      if (!ev) return;
      setAsset((held) => {
        if (!held) return held;
        const values: Record<string, number | boolean> = { ...(held.values ?? {}), lat: ev.lat, lon: ev.lon };
        if (ev.speedKmh !== null) values.speedKmh = ev.speedKmh;
        if (ev.headingDeg !== null) values.headingDeg = ev.headingDeg;
        if (ev.loadKg !== null) values.loadKg = ev.loadKg;
        return { ...held, lat: ev.lat, lon: ev.lon, ts: ev.ts, online: true, values };
      });
    });
    return () => {
      ctl.abort();
      offDevices();
      offTrucks();
    };
  }, [id]);
  return { asset, error };
}

/** The overlay on the map for the selected asset: attributes, live values, alarms, jobs, history, actions. */
export function AssetPanel({ selection, canDispatch }: { selection: Selection; canDispatch: boolean }) {
  const t = useT('asset');
  const tc = useT('common');
  const tj = useT('jobs');
  const ta = useT('alarms');
  const lng = useStore(locale);
  const now = useNow(10_000);
  const id = selection.id;
  const { asset, error } = useLiveAsset(id);
  const [device, setDevice] = useState<Device | null>(null);
  const allAlarms = useStore(alarms);
  const allJobs = useStore(jobs);
  const kind: DeviceKind | null = asset?.kind ?? selection.kind;

  useEffect(() => {
    let alive = true;
    setDevice(null);
    // Attributes (capacity, cabinet, plate…); cabinets and unknown ids simply have none.
    api.get<Device>(`/devices/${encodeURIComponent(id)}`).then((d) => alive && setDevice(d), () => undefined);
    loadAlarms({ deviceId: id }).catch(() => undefined);
    loadJobs({ deviceId: id }).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [id]);

  const assetAlarms = useMemo(() => [...allAlarms.values()].filter((a) => a.deviceId === id && a.status !== 'resolved').sort(compareAlarms), [allAlarms, id]);
  const assetJobs = useMemo(() => [...allJobs.values()].filter((j) => j.deviceId === id && isOpen(j)).sort((a, b) => compareJobs(a, b, now)), [allJobs, id, now]);
  const tz = cityTimeZone();
  const fields = kind ? TELEMETRY_FIELDS[kind] : [];
  const attributes = Object.entries(device?.attributes ?? {});

  return (
    <aside class="asset-panel" data-testid="asset-panel" data-asset-id={id} data-kind={kind ?? ''}>
      <header class="asset-head">
        <div>
          <h3>{asset?.name ?? device?.name ?? id}</h3>
          <div class="small muted">
            {kind ? tc(`kinds.${kind}`) : t('unknownKind')} · {id}
            {(asset?.zone ?? device?.zone) && <> · {asset?.zone ?? device?.zone}</>}
          </div>
        </div>
        <button type="button" class="asset-close" data-testid="asset-close" aria-label={tc('close')} onClick={() => select(null)}>
          ✕
        </button>
      </header>
      {error && <div class="panel-error">{error}</div>}

      <section class="asset-section">
        <h4>
          {t('values')}{' '}
          {asset && <span class={`online ${asset.online ? 'on' : 'off'}`}>{asset.online ? t('online') : t('offline')}</span>}
        </h4>
        <dl class="asset-values" data-testid="asset-values" data-ts={asset?.ts ?? ''}>
          {fields
            .filter((f) => asset?.values?.[f] !== undefined)
            .map((f) => (
              <div key={f} class="kv" data-field={f}>
                <dt>{t(`field.${f}`, { defaultValue: f })}</dt>
                <dd>{formatValue(f, asset?.values?.[f])}</dd>
              </div>
            ))}
          {asset?.ts != null && (
            <div class="kv wide">
              <dt>{t('lastReading')}</dt>
              <dd title={new Date(asset.ts).toISOString()}>
                {formatRelative(asset.ts, now, lng)} ({formatCityTime(asset.ts, now, tz, lng)})
              </dd>
            </div>
          )}
          {asset && asset.ts == null && <div class="muted small">{t('noReadings')}</div>}
        </dl>
        {attributes.length > 0 && (
          <dl class="asset-attributes">
            {attributes.map(([k, v]) => (
              <div key={k} class="kv">
                <dt>{t(`attr.${k}`, { defaultValue: k })}</dt>
                <dd>{String(v)}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section class="asset-section">
        <h4>{t('alarms', { count: assetAlarms.length })}</h4>
        <ul class="asset-list" data-testid="asset-alarms">
          {assetAlarms.length === 0 && <li class="muted small">{t('none')}</li>}
          {assetAlarms.map((a) => (
            <li key={a.alarmId} data-alarm-id={a.alarmId} class={`sev-${a.severity}`}>
              <span class={`sev sev-${a.severity}`}>{ta(`severity.${a.severity}`)}</span> {ta(`cause.${a.cause}`, { defaultValue: a.cause })}{' '}
              <span class="muted">{ta(`status.${a.status}`)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section class="asset-section">
        <h4>{t('jobs', { count: assetJobs.length })}</h4>
        <ul class="asset-list" data-testid="asset-jobs">
          {assetJobs.length === 0 && <li class="muted small">{t('none')}</li>}
          {assetJobs.map((j) => (
            <li key={j.jobId} data-job-id={j.jobId} data-status={j.status}>
              P{j.priority} {tj(`type.${j.type}`)} · {tj(`status.${j.status}`)}
              {j.assignee && <span class="muted"> · {j.assignee.unitId}</span>}
            </li>
          ))}
        </ul>
      </section>

      {kind === 'streetlight' && canDispatch && <StreetlightCommands deviceId={id} />}
      {kind === 'truck' && <TruckTrail deviceId={id} />}
      {kind && <HistoryCharts deviceId={id} kind={kind} />}
    </aside>
  );
}
