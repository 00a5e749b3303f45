import type { Crew, Job, Paged, Vehicle } from '@sanitation/contracts';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../../api/http';
import { session } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { live } from '../../live/live-connection';
import { jobs } from '../../state/dispatch.stores';
import { useStore } from '../../state/store';
import { CrewJobCard } from './crew-job.card';
import { CREW_VISIBLE_STATUSES, crewJobList, unitKey, unitKeysOf } from './crew-jobs';
import './crew.css';

/** Every place: the server sends a crew only its own jobs, wherever they are. */
const WHOLE_WORLD: [number, number, number, number] = [-180, -90, 180, 90];

/**
 * A crew member's phone: the open jobs of their crews and the trucks they ride, in progress first. Loaded over REST (the server
 * limits it to their crews) and kept current by the live socket (job:changed).
 */
export function CrewView() {
  const t = useT('crew');
  const username = useStore(session, (s) => s?.username ?? '');
  const all = useStore(jobs);
  const [units, setUnits] = useState<ReadonlySet<string>>(new Set());
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState('');

  const load = async () => {
    try {
      const [page, crews, vehicles] = await Promise.all([
        api.get<Paged<Job>>('/jobs', { status: CREW_VISIBLE_STATUSES.join(','), limit: 500 }),
        api.get<Crew[]>('/crews').catch(() => [] as Crew[]),
        api.get<Vehicle[]>('/vehicles').catch(() => [] as Vehicle[]),
      ]);
      // The REST list is already theirs (the server filters crew accounts): its assignees name
      // their units even when a unit has no job yet or the unit lists could not be read.
      const keys = unitKeysOf(crews, vehicles, username);
      for (const j of page.items) if (j.assignee) keys.add(unitKey(j.assignee));
      setUnits(keys);
      jobs.upsert(page.items);
      setState('ready');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setState('error');
    }
  };

  useEffect(() => {
    void load();
    void live.subscribe({ bbox: WHOLE_WORLD });
    return live.on('resynced', () => void load());
  }, [username]);

  const list = useMemo(() => crewJobList(all.values(), units), [all, units]);

  return (
    <div class="crew-view" data-testid="crew-view">
      <div class="crew-head">
        <h2>{t('title')}</h2>
        <span class="crew-count">{t('count', { count: list.length })}</span>
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
      </div>
      {state === 'loading' && <p class="crew-empty">{t('loading')}</p>}
      {state === 'error' && (
        <p class="crew-error" role="alert">
          {t('loadError', { message: error })}
        </p>
      )}
      {state === 'ready' && list.length === 0 && <p class="crew-empty">{t('empty')}</p>}
      <ul class="crew-list">
        {list.map((job) => (
          <CrewJobCard key={job.jobId} job={job} />
        ))}
      </ul>
    </div>
  );
}
