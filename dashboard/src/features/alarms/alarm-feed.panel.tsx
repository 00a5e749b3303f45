import type { Alarm } from '@sanitation/contracts';
import { createPortal } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useT } from '../../i18n/i18n';
import { alarms } from '../../state/dispatch.stores';
import { select } from '../../state/selection';
import { useStore } from '../../state/store';
import { errorText, useNow, useReloadingLoad } from '../../app/panel-hooks';
import { beep } from './alarm-cue';
import { criticalUnacknowledged, newCritical, visibleAlarms } from './alarm-feed.logic';
import { AlarmRow } from './alarm-row';
import { loadAlarms } from './alarms.api';
import './alarms.css';

const PAGE_ROWS = 300;

const selectAlarm = (a: Alarm) => select({ id: a.deviceId, kind: a.deviceKind, lat: a.lat, lon: a.lon });

/**
 * Blinking banner over the whole screen for unacknowledged critical alarms (fire, gas). Rendered
 * into <body> so it shows even while the alarm tab is hidden behind the job tab.
 */
function CriticalBanner({ items }: { items: Alarm[] }) {
  const t = useT('alarms');
  if (items.length === 0 || typeof document === 'undefined') return null;
  return createPortal(
    <div class="alarm-critical-banner" role="alert" data-testid="alarm-critical-banner">
      <strong>{t('critical', { count: items.length })}</strong>
      {items.slice(0, 5).map((a) => (
        <button key={a.alarmId} type="button" data-alarm-id={a.alarmId} onClick={() => selectAlarm(a)}>
          {t(`cause.${a.cause}`, { defaultValue: a.cause })} · {a.deviceId}
        </button>
      ))}
      {items.length > 5 && <span>+{items.length - 5}</span>}
    </div>,
    document.body,
  );
}

/** Alarms from REST + the live stream: unresolved, most severe and newest first, with ack/resolve. */
export function AlarmFeed({ canDispatch }: { canDispatch: boolean }) {
  const t = useT('alarms');
  const tc = useT('common');
  const all = useStore(alarms);
  const now = useNow();
  const { loading, error, setError } = useReloadingLoad((signal) => loadAlarms({}, signal));
  const seen = useRef<Set<string>>(new Set());
  const [shown, setShown] = useState(PAGE_ROWS);


  const rows = useMemo(() => visibleAlarms(all.values(), now), [all, now]);
  const critical = useMemo(() => criticalUnacknowledged(all.values()), [all]);

  useEffect(() => {
    const { fresh, seen: next } = newCritical(critical, seen.current);
    seen.current = next;
    if (fresh.length > 0) beep();
  }, [critical]);

  return (
    <div class="alarm-feed" data-testid="alarm-feed">
      <CriticalBanner items={critical} />
      <div class="alarm-summary">{loading ? tc('loading') : t('count', { count: rows.filter((a) => a.status !== 'resolved').length })}</div>
      {error && (
        <div class="panel-error" role="alert" data-testid="alarm-error">
          {error}
        </div>
      )}
      <ul class="alarm-list">
        {rows.slice(0, shown).map((a) => (
          <AlarmRow key={a.alarmId} alarm={a} now={now} canDispatch={canDispatch} onSelect={() => selectAlarm(a)} />
        ))}
      </ul>
      {rows.length > shown && (
        <button type="button" class="show-more" data-testid="alarm-show-more" onClick={() => setShown(shown + PAGE_ROWS)}>
          {t('showMore', { count: rows.length - shown })}
        </button>
      )}
      {!loading && rows.length === 0 && <div class="empty">{t('empty')}</div>}
    </div>
  );
}
