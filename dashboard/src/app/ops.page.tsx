import { useState } from 'preact/hooks';
import { AlarmFeed } from '../features/alarms/alarm-feed.panel';
import { AssetPanel } from '../features/asset/asset.panel';
import { JobQueue } from '../features/jobs/job-queue.panel';
import { MapView } from '../features/map/map-view';
import { useT } from '../i18n/i18n';
import { selection } from '../state/selection';
import { useStore } from '../state/store';

/** The dispatcher's wall screen: the live map, with the job queue and alarm feed beside it. */
export function OpsPage({ canDispatch }: { canDispatch: boolean }) {
  const t = useT('common');
  const selected = useStore(selection);
  const [tab, setTab] = useState<'jobs' | 'alarms'>('jobs');
  return (
    <div class="ops">
      <section class="ops-map">
        <MapView />
        {selected && <AssetPanel selection={selected} canDispatch={canDispatch} />}
      </section>
      <aside class="ops-side">
        <div class="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'jobs'} data-testid="tab-jobs" onClick={() => setTab('jobs')}>
            {t('tabs.jobs')}
          </button>
          <button role="tab" aria-selected={tab === 'alarms'} data-testid="tab-alarms" onClick={() => setTab('alarms')}>
            {t('tabs.alarms')}
          </button>
        </div>
        {/* Both stay mounted so the alarm cue sounds while the job tab is shown. */}
        <div hidden={tab !== 'jobs'}>
          <JobQueue canDispatch={canDispatch} />
        </div>
        <div hidden={tab !== 'alarms'}>
          <AlarmFeed canDispatch={canDispatch} />
        </div>
      </aside>
    </div>
  );
}
