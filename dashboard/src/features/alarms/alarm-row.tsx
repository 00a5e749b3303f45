import type { Alarm } from '@sanitation/contracts';
import { useState } from 'preact/hooks';
import { locale, useT } from '../../i18n/i18n';
import { useStore } from '../../state/store';
import { errorText } from '../../app/panel-hooks';
import { cityTimeZone, formatCityTime, formatRelative } from '../../app/server-time';
import { acknowledgeAlarm, resolveAlarm } from './alarms.api';

const stop = (e: Event) => e.stopPropagation();

/** One alarm: what, where, when; ack (optional note) and resolve (note required). Click selects the asset. */
export function AlarmRow({ alarm: a, now, canDispatch, onSelect }: { alarm: Alarm; now: number; canDispatch: boolean; onSelect: () => void }) {
  const t = useT('alarms');
  const tc = useT('common');
  const lng = useStore(locale);
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const opened = Date.parse(a.openedAt);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setEditing(false);
      setNote('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      class={`alarm-row sev-${a.severity} st-${a.status}`}
      data-testid="alarm-row"
      data-alarm-id={a.alarmId}
      data-device-id={a.deviceId}
      data-severity={a.severity}
      data-status={a.status}
      onClick={onSelect}
    >
      <div class="alarm-line">
        <span class={`sev sev-${a.severity}`}>{t(`severity.${a.severity}`)}</span>
        <strong>{t(`cause.${a.cause}`, { defaultValue: a.cause })}</strong>
        <span class="alarm-device">{a.deviceId}</span>
        {a.deviceKind && <span class="muted small">{tc(`kinds.${a.deviceKind}`)}</span>}
        {a.zone && <span class="muted small">{a.zone}</span>}
        <span class="alarm-status">{t(`status.${a.status}`)}</span>
      </div>
      <div class="alarm-line small">
        <span title={a.openedAt}>
          {formatRelative(opened, now, lng)} ({formatCityTime(opened, now, cityTimeZone(), lng)})
        </span>
        {a.escalations > 0 && <span class="alarm-escalated">{t('escalated', { count: a.escalations })}</span>}
        {a.acknowledgedBy && <span class="muted">{t('ackedBy', { by: a.acknowledgedBy })}</span>}
        {a.resolution && <span class="muted">{t('resolution', { note: a.resolution })}</span>}
      </div>
      <div class="alarm-message small muted">{a.message}</div>
      {canDispatch && a.status !== 'resolved' && (
        <div class="alarm-actions" onClick={stop}>
          {a.status === 'open' && (
            <button type="button" data-testid="alarm-ack" disabled={busy} onClick={() => void run(() => acknowledgeAlarm(a.alarmId, note.trim() || undefined))}>
              {t('ack')}
            </button>
          )}
          <button type="button" data-testid="alarm-resolve" disabled={busy} onClick={() => setEditing(!editing)}>
            {t('resolve')}
          </button>
          {!editing && a.status === 'open' && (
            <button type="button" class="link" onClick={() => setEditing(true)}>
              {t('addNote')}
            </button>
          )}
        </div>
      )}
      {editing && (
        <div class="alarm-note-form" onClick={stop}>
          <textarea data-testid="alarm-note" rows={2} placeholder={t('notePlaceholder')} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          <button
            type="button"
            data-testid="alarm-resolve-confirm"
            disabled={busy}
            onClick={() => (note.trim() ? void run(() => resolveAlarm(a.alarmId, note.trim())) : setError(t('noteRequired')))}
          >
            {t('resolveConfirm')}
          </button>
        </div>
      )}
      {error && (
        <div class="panel-error" role="alert" data-testid="alarm-row-error" onClick={stop}>
          {error}
        </div>
      )}
    </li>
  );
}
