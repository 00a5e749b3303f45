import { DEVICE_KINDS, JOB_STATUSES, type Job } from '@sanitation/contracts';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useT } from '../../i18n/i18n';
import { jobs } from '../../state/dispatch.stores';
import { useStore } from '../../state/store';
import { JobRow } from './job-row';
import { NO_FILTERS, visibleJobs, zonesOf, type JobFilters } from './job-queue.logic';
import { loadJobs } from './jobs.api';
import { errorText, useNow, useReloadingLoad } from '../../app/panel-hooks';
import './jobs.css';

const PAGE_ROWS = 300;

/** The dispatcher's queue: open work from REST + the live stream, filtered and sorted, with the actions. */
export function JobQueue({ canDispatch }: { canDispatch: boolean }) {
  const t = useT('jobs');
  const tc = useT('common');
  const all = useStore(jobs);
  const now = useNow();
  const [filters, setFilters] = useState<JobFilters>(NO_FILTERS);
  const { loading, error, setError } = useReloadingLoad((signal) => loadJobs({}, signal));
  const [expanded, setExpanded] = useState<string | null>(null);
  // A city-wide backlog can hold thousands of jobs; the wall screen shows the most urgent first.
  const [shown, setShown] = useState(PAGE_ROWS);


  // Closed states are not in the default load: fetch them when asked for.
  useEffect(() => {
    if (filters.status !== 'done' && filters.status !== 'cancelled') return;
    const ctl = new AbortController();
    loadJobs({ status: filters.status }, ctl.signal).catch((err: unknown) => {
      if (!ctl.signal.aborted) setError(errorText(err));
    });
    return () => ctl.abort();
  }, [filters.status]);

  const rows = useMemo(() => visibleJobs(all.values(), filters, now), [all, filters, now]);
  const zones = useMemo(() => zonesOf(all.values()), [all]);
  const set = (key: keyof JobFilters) => (e: Event) => setFilters({ ...filters, [key]: (e.target as HTMLSelectElement).value });

  return (
    <div class="job-queue" data-testid="job-queue">
      <div class="job-filters">
        <select aria-label={t('filter.kind')} data-testid="job-filter-kind" value={filters.kind} onChange={set('kind')}>
          <option value="">{t('filter.anyKind')}</option>
          {DEVICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {tc(`kinds.${k}`)}
            </option>
          ))}
        </select>
        <select aria-label={t('filter.zone')} data-testid="job-filter-zone" value={filters.zone} onChange={set('zone')}>
          <option value="">{t('filter.anyZone')}</option>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <select aria-label={t('filter.status')} data-testid="job-filter-status" value={filters.status} onChange={set('status')}>
          <option value="">{t('filter.anyOpenStatus')}</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <select aria-label={t('filter.priority')} data-testid="job-filter-priority" value={filters.priority} onChange={set('priority')}>
          <option value="">{t('filter.anyPriority')}</option>
          {[1, 2, 3, 4].map((p) => (
            <option key={p} value={String(p)}>
              {t('priority', { p })}
            </option>
          ))}
        </select>
      </div>
      <div class="job-summary">
        {loading ? tc('loading') : t('count', { count: rows.length })}
      </div>
      {error && (
        <div class="panel-error" role="alert" data-testid="job-error">
          {error}
        </div>
      )}
      <ul class="job-list">
        {rows.slice(0, shown).map((job: Job) => (
          <JobRow
            key={job.jobId}
            job={job}
            now={now}
            canDispatch={canDispatch}
            expanded={expanded === job.jobId}
            onToggle={() => setExpanded(expanded === job.jobId ? null : job.jobId)}
          />
        ))}
      </ul>
      {rows.length > shown && (
        <button type="button" class="show-more" data-testid="job-show-more" onClick={() => setShown(shown + PAGE_ROWS)}>
          {t('showMore', { count: rows.length - shown })}
        </button>
      )}
      {!loading && rows.length === 0 && <div class="empty">{t('empty')}</div>}
    </div>
  );
}
