import type { DeviceCommandRecord, SendCommandRequest } from '@sanitation/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../../i18n/i18n';
import { errorText } from '../../app/panel-hooks';
import { readCommand, sendCommand } from './asset.api';
import { pollCommand, type CommandUiStatus } from './command-poller';

/** On / off / dim for a lamp, then the lamp's own answer (cmd/ack) as the server records it. */
export function StreetlightCommands({ deviceId }: { deviceId: string }) {
  const t = useT('asset');
  const [dim, setDim] = useState(50);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<CommandUiStatus | null>(null);
  const [record, setRecord] = useState<DeviceCommandRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stopPoll = useRef<(() => void) | null>(null);

  useEffect(() => () => stopPoll.current?.(), []);
  useEffect(() => {
    stopPoll.current?.();
    setStatus(null);
    setRecord(null);
    setError(null);
  }, [deviceId]);

  const send = async (cmd: SendCommandRequest) => {
    stopPoll.current?.();
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const sent = await sendCommand(deviceId, cmd);
      stopPoll.current = pollCommand(sent, {
        fetch: () => readCommand(deviceId, sent.cmdId),
        onUpdate: (s, r, e) => {
          setStatus(s);
          if (r) setRecord(r);
          setError(e);
        },
      });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="asset-section">
      <h4>{t('commands')}</h4>
      <div class="cmd-buttons">
        <button type="button" data-testid="cmd-on" disabled={busy} onClick={() => void send({ action: 'on' })}>
          {t('cmd.on')}
        </button>
        <button type="button" data-testid="cmd-off" disabled={busy} onClick={() => void send({ action: 'off' })}>
          {t('cmd.off')}
        </button>
        <input
          type="number"
          min={0}
          max={100}
          step={5}
          aria-label={t('cmd.dimLevel')}
          data-testid="cmd-dim-level"
          value={dim}
          onInput={(e) => setDim(Number((e.target as HTMLInputElement).value))}
        />
        <button
          type="button"
          data-testid="cmd-dim"
          disabled={busy || !Number.isFinite(dim) || dim < 0 || dim > 100}
          onClick={() => void send({ action: 'dim', dimPct: dim })}
        >
          {t('cmd.dim')}
        </button>
      </div>
      {status && (
        <div class={`cmd-status cmd-${status}`} data-testid="cmd-status" data-status={status} role="status">
          {t(`cmdStatus.${status}`, { action: record ? t(`cmd.${record.action}`) : '' })}
          {record?.error && <span> — {record.error}</span>}
        </div>
      )}
      {error && <div class="panel-error">{error}</div>}
    </section>
  );
}
