import type { Crew, HistoryEntry, Job, Vehicle } from '@sanitation/contracts';
import { useEffect, useState } from 'preact/hooks';
import { locale, useT } from '../../i18n/i18n';
import { select } from '../../state/selection';
import { useStore } from '../../state/store';
import { canAssign, canCancel, formatTravel, isOpen, isOverdue, parseUnitValue, unitsFor } from './job-queue.logic';
import { errorText } from '../../app/panel-hooks';
import { acceptProposal, assignTo, cancelJob, loadJob, loadUnits } from './jobs.api';
import { cityTimeZone, formatCityTime, formatRelative } from '../../app/server-time';

interface Props {
  job: Job;
  now: number;
  canDispatch: boolean;
  expanded: boolean;
  onToggle: () => void;
}

type Mode = 'none' | 'reassign' | 'cancel';

/** Clicks on the row's controls must not toggle the row. */
const stop = (e: Event) => e.stopPropagation();

export function JobRow({ job, now, canDispatch, expanded, onToggle }: Props) {
  const t = useT('jobs');
  const tc = useT('common');
  const lng = useStore(locale);
  const [mode, setMode] = useState<Mode>('none');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [units, setUnits] = useState<{ vehicles: Vehicle[]; crews: Crew[] } | null>(null);
  const [unit, setUnit] = useState('');
  const [note, setNote] = useState('');
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);

  // The history is fetched when opened and again whenever the job changes while open.
  useEffect(() => {
    if (!expanded) return;
    let live = true;
    loadJob(job.jobId)
      .then((j) => live && setHistory(j.history ?? []))
      .catch((err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [expanded, job.jobId, job.updatedAt]);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setMode('none');
      setNote('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const openReassign = (e: Event) => {
    stop(e);
    setMode(mode === 'reassign' ? 'none' : 'reassign');
    if (!units)
      loadUnits()
        .then(setUnits)
        .catch((err: unknown) => setError(errorText(err)));
  };

  const overdue = isOverdue(job, now);
  const due = Date.parse(job.dueAt);
  const tz = cityTimeZone();
  const options = units ? unitsFor(job, units.vehicles, units.crews) : [];
  const chosen = parseUnitValue(unit || options[0]?.value || '');

  return (
    <li
      class={`job-row status-${job.status}${overdue ? ' overdue' : ''}${isOpen(job) ? '' : ' closed'}${expanded ? ' expanded' : ''}`}
      data-testid="job-row"
      data-job-id={job.jobId}
      data-device-id={job.deviceId}
      data-status={job.status}
      data-type={job.type}
      onClick={() => {
        onToggle();
        select({ id: job.deviceId, kind: job.deviceKind, lat: job.lat, lon: job.lon });
      }}
    >
      <div class="job-line">
        <span class={`prio prio-${job.priority}`} title={t('priority', { p: job.priority })}>
          P{job.priority}
        </span>
        <strong class="job-type">{t(`type.${job.type}`)}</strong>
        <span class="job-device">{job.deviceId}</span>
        {job.zone && <span class="job-zone">{job.zone}</span>}
        <span class={`job-status badge-${job.status}`}>{t(`status.${job.status}`)}</span>
      </div>
      <div class="job-line small">
        <span class="job-due" title={job.dueAt}>
          {overdue ? `${t('overdue')} · ` : ''}
          {t('due', { rel: formatRelative(due, now, lng), at: formatCityTime(due, now, tz, lng) })}
        </span>
        {job.unsafe && <span class="job-unsafe">{t('unsafe')}</span>}
        {job.flags.filter((f) => f !== 'overdue').map((f) => (
          <span key={f} class="job-flag">
            {t(`flag.${f}`, { defaultValue: f })}
          </span>
        ))}
      </div>
      <div class="job-line small">
        {job.assignee ? (
          <span class="job-assignee">{t('assignee', { unit: job.assignee.unitId, type: t(`unit.${job.assignee.unitType}`) })}</span>
        ) : (
          <span class="muted">{t('unassigned')}</span>
        )}
        {job.proposal && isOpen(job) && (
          <span class="job-proposal">
            {t('proposal', { name: job.proposal.name, travel: formatTravel(job.proposal.travelS, job.proposal.distanceM) })}
          </span>
        )}
      </div>
      <div class="job-message small muted">{job.message}</div>

      {canDispatch && isOpen(job) && (
        <div class="job-actions" onClick={stop}>
          {job.proposal && canAssign(job) && (
            <button type="button" data-testid="job-accept" disabled={busy} onClick={() => void run(() => acceptProposal(job.jobId))}>
              {t('accept')}
            </button>
          )}
          {canAssign(job) && (
            <button type="button" data-testid="job-reassign" disabled={busy} onClick={openReassign}>
              {job.assignee ? t('reassign') : t('assign')}
            </button>
          )}
          {canCancel(job) && (
            <button type="button" class="danger" data-testid="job-cancel" disabled={busy} onClick={() => setMode(mode === 'cancel' ? 'none' : 'cancel')}>
              {t('cancel')}
            </button>
          )}
        </div>
      )}
      {mode === 'reassign' && (
        <div class="job-subform" onClick={stop}>
          {!units ? (
            <span>{tc('loading')}</span>
          ) : options.length === 0 ? (
            <span class="muted">{t('noUnits')}</span>
          ) : (
            <>
              <select data-testid="job-unit-select" aria-label={t('unitPick')} value={unit || options[0]!.value} onChange={(e) => setUnit((e.target as HTMLSelectElement).value)}>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {t('unitOption', { name: o.name, type: t(`unit.${o.unitType}`), active: o.activeJobs })}
                  </option>
                ))}
              </select>
              <button type="button" data-testid="job-reassign-confirm" disabled={busy || !chosen} onClick={() => chosen && void run(() => assignTo(job.jobId, chosen))}>
                {t('assignConfirm')}
              </button>
            </>
          )}
        </div>
      )}
      {mode === 'cancel' && (
        <div class="job-subform" onClick={stop}>
          <input
            data-testid="job-cancel-note"
            placeholder={t('cancelReason')}
            value={note}
            onInput={(e) => setNote((e.target as HTMLInputElement).value)}
          />
          <button
            type="button"
            class="danger"
            data-testid="job-cancel-confirm"
            disabled={busy}
            onClick={() => (note.trim() ? void run(() => cancelJob(job.jobId, note.trim())) : setError(t('cancelReasonRequired')))}
          >
            {t('cancelConfirm')}
          </button>
        </div>
      )}
      {error && (
        <div class="panel-error" role="alert" data-testid="job-row-error" onClick={stop}>
          {error}
        </div>
      )}
      {expanded && (
        <ol class="job-history" data-testid="job-history" onClick={stop}>
          {history === null && <li>{tc('loading')}</li>}
          {history?.map((h, i) => (
            <li key={i}>
              <span class="muted">{formatCityTime(Date.parse(h.at), now, tz, lng)}</span> <strong>{t(`action.${h.action}`, { defaultValue: h.action })}</strong>{' '}
              <span class="muted">{h.by}</span>
              {h.note && <span> — {h.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}
