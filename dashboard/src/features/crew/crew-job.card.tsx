import type { AssetState, Job } from '@sanitation/contracts';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/http';
import { locale, useT } from '../../i18n/i18n';
import { jobs } from '../../state/dispatch.stores';
import { useStore } from '../../state/store';
import { serverNow } from '../../app/server-time';
import { allowedTransitions, geoUri, readingRows, type WorkStatus } from './crew-jobs';
import { fetchPhotoObjectUrl, uploadJobPhoto } from './job-photos.api';
import { preparePhoto } from './photo-resize';

type Readings = { state: 'loading' } | { state: 'none' } | { state: 'error'; message: string } | { state: 'ok'; asset: AssetState };

/** The asset's last readings; a 404 (unknown asset, or a cabinet subject) shows "no readings". */
function LastReadings({ deviceId }: { deviceId: string }) {
  const t = useT('crew');
  const lng = useStore(locale);
  const [readings, setReadings] = useState<Readings>({ state: 'loading' });
  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<AssetState>(`/map/assets/${encodeURIComponent(deviceId)}`, undefined, ctrl.signal)
      .then((asset) => setReadings(asset.values ? { state: 'ok', asset } : { state: 'none' }))
      .catch((err: unknown) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 404) setReadings({ state: 'none' });
        else setReadings({ state: 'error', message: err instanceof Error ? err.message : String(err) });
      });
    return () => ctrl.abort();
  }, [deviceId]);

  return (
    <div class="crew-readings" data-testid="crew-last-readings" data-state={readings.state}>
      <div class="crew-label">{t('lastReadings')}</div>
      {readings.state === 'loading' && <span class="crew-muted">{t('loading')}</span>}
      {readings.state === 'none' && <span class="crew-muted">{t('noReadings')}</span>}
      {readings.state === 'error' && <span class="crew-muted">{t('readingsError', { message: readings.message })}</span>}
      {readings.state === 'ok' && (
        <>
          <span class="crew-muted">
            {readings.asset.ts !== null ? new Date(readings.asset.ts).toLocaleString(lng) : ''}
            {!readings.asset.online && ` · ${t('offline')}`}
          </span>
          <dl>
            {readingRows(readings.asset.values as Record<string, unknown>).map((r) => (
              <div key={r.key}>
                <dt>{r.key}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </div>
  );
}

/** One job on the crew's phone: what and where, due, map link, readings, and the next steps. */
export function CrewJobCard({ job }: { job: Job }) {
  const t = useT('crew');
  const lng = useStore(locale);
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [busy, setBusy] = useState<WorkStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploadedPreview, setUploadedPreview] = useState<string | null>(null);

  useEffect(() => () => void (uploadedPreview && URL.revokeObjectURL(uploadedPreview)), [uploadedPreview]);

  const next = allowedTransitions(job.status);
  const due = Date.parse(job.dueAt);
  const overdue = due < serverNow(); // the server's clock (a demo may run it fast)

  const go = async (status: WorkStatus) => {
    setBusy(status);
    setError(null);
    try {
      let photoUrl: string | undefined;
      if (status === 'done' && photo) {
        const uploaded = await uploadJobPhoto(job.jobId, await preparePhoto(photo));
        photoUrl = uploaded.url;
        // Read it back as the dispatcher would (with the token): proves it is stored.
        setUploadedPreview(await fetchPhotoObjectUrl(uploaded.url).catch(() => null));
      }
      const trimmed = note.trim();
      const updated = await api.post<Job>(`/jobs/${encodeURIComponent(job.jobId)}/transition`, {
        status,
        ...(trimmed ? { note: trimmed } : {}),
        ...(photoUrl ? { photoUrl } : {}),
      });
      jobs.upsert([updated]);
      if (status === 'done') {
        setNote('');
        setPhoto(null);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <li class={`crew-job status-${job.status}${overdue ? ' overdue' : ''}`} data-testid="crew-job" data-job-id={job.jobId} data-status={job.status}>
      <div class="crew-job-top">
        <span class={`crew-priority p${job.priority}`}>P{job.priority}</span>
        <span class="crew-type">{t(`types.${job.type}`, { defaultValue: job.type })}</span>
        <span class="crew-status">{t(`status.${job.status}`)}</span>
      </div>
      <div class="crew-what">{job.message}</div>
      <div class="crew-where">
        <span>{job.deviceId}</span>
        {job.zone && <span> · {t('zone', { zone: job.zone })}</span>}
      </div>
      <div class={`crew-due${overdue ? ' overdue' : ''}`}>
        {t('due', { time: new Date(due).toLocaleString(lng, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }) })}
        {overdue && ` · ${t('overdue')}`}
      </div>
      {job.unsafe && <div class="crew-unsafe">{t('unsafe')}</div>}
      <a class="crew-map-link" href={geoUri(job.lat, job.lon, job.deviceId)} data-testid="crew-map-link">
        {t('openMap')} ({job.lat.toFixed(5)}, {job.lon.toFixed(5)})
      </a>
      <LastReadings deviceId={job.deviceId} />
      {next.includes('done') && (
        <div class="crew-done-fields">
          <label>
            {t('note')}
            <textarea rows={2} maxLength={2000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} data-testid="crew-note" />
          </label>
          <label>
            {t('photo')}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              data-testid="crew-photo"
              onChange={(e) => setPhoto((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </label>
        </div>
      )}
      {uploadedPreview && <img class="crew-photo-preview" src={uploadedPreview} alt={t('photoUploaded')} />}
      {error && (
        <p class="crew-error" role="alert">
          {error}
        </p>
      )}
      <div class="crew-actions">
        {next.includes('en_route') && (
          <button type="button" disabled={busy !== null} onClick={() => void go('en_route')} data-testid="crew-en-route">
            {busy === 'en_route' ? t('working') : t('action.en_route')}
          </button>
        )}
        {next.includes('on_site') && (
          <button type="button" disabled={busy !== null} onClick={() => void go('on_site')} data-testid="crew-on-site">
            {busy === 'on_site' ? t('working') : t('action.on_site')}
          </button>
        )}
        {next.includes('done') && (
          <button type="button" class="crew-done" disabled={busy !== null} onClick={() => void go('done')} data-testid="crew-done">
            {busy === 'done' ? t('working') : t('action.done')}
          </button>
        )}
      </div>
    </li>
  );
}
