import type { DeviceCommandRecord } from '@sanitation/contracts';

/** What the panel shows for a command: the server's `sent` is still pending until the lamp answers. */
export type CommandUiStatus = 'pending' | 'acked' | 'failed' | 'timeout';

export function uiStatus(record: Pick<DeviceCommandRecord, 'status'>): CommandUiStatus {
  return record.status === 'sent' ? 'pending' : record.status;
}

export const isFinal = (s: CommandUiStatus): boolean => s !== 'pending';

export interface PollOptions {
  /** Reads the command record (GET /api/devices/:id/commands/:cmdId). */
  fetch: () => Promise<DeviceCommandRecord>;
  onUpdate: (status: CommandUiStatus, record: DeviceCommandRecord | null, error: string | null) => void;
  intervalMs?: number;
  /**
   * Client-side give-up: the server times a command out after 30 s itself; this only guards a
   * server that stopped answering, so it sits a little beyond.
   */
  giveUpMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Polls once a second until the command is acked, failed or timed out. A failed read is shown
 * but polling continues (the network may blink). Returns a stop function.
 */
export function pollCommand(initial: DeviceCommandRecord, opts: PollOptions): () => void {
  const interval = opts.intervalMs ?? 1000;
  const giveUp = opts.giveUpMs ?? 40_000;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let stopped = false;
  let handle: unknown = null;
  let elapsed = 0;

  const first = uiStatus(initial);
  opts.onUpdate(first, initial, null);
  if (isFinal(first)) return () => undefined;

  const tick = async () => {
    elapsed += interval;
    let record: DeviceCommandRecord | null = null;
    let error: string | null = null;
    try {
      record = await opts.fetch();
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (stopped) return;
    const status = record ? uiStatus(record) : 'pending';
    if (!isFinal(status) && elapsed >= giveUp) {
      opts.onUpdate('timeout', record, error);
      return;
    }
    opts.onUpdate(status, record, error);
    if (!isFinal(status)) handle = setTimer(() => void tick(), interval);
  };
  handle = setTimer(() => void tick(), interval);
  return () => {
    stopped = true;
    if (handle !== null) clearTimer(handle);
  };
}
