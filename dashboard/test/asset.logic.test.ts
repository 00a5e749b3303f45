import { HISTORY_MAX_POINTS, historyWindowMs, TELEMETRY_FIELDS, type DeviceCommandRecord, type DeviceKind } from '@sanitation/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pollCommand, type CommandUiStatus } from '../src/features/asset/command-poller';
import { CHART_FIELDS, chooseWindow, formatValue, HISTORY_RANGES, historyQuery, seriesOf, type HistoryRange } from '../src/features/asset/history-query';
import { dayReplay, recentTrail, seekReplay, stepReplay, vehicleOf } from '../src/features/asset/trail-replay';

const NOW = Date.parse('2026-11-27T08:00:00Z');

describe('history query', () => {
  it('asks each range with a window that stays readable and within the server limit', () => {
    for (const range of Object.keys(HISTORY_RANGES) as HistoryRange[]) {
      const q = historyQuery('bin', range, NOW);
      const windows = (Date.parse(q.to) - Date.parse(q.from)) / historyWindowMs(q.window)!;
      expect(Date.parse(q.to)).toBe(NOW);
      expect(Date.parse(q.to) - Date.parse(q.from)).toBe(HISTORY_RANGES[range]);
      expect(windows).toBeLessThanOrEqual(HISTORY_MAX_POINTS);
      expect(windows).toBeGreaterThanOrEqual(100); // not a coarse staircase either
    }
    expect(historyQuery('bin', '6h', NOW).window).toBe('1m');
    expect(historyQuery('bin', '7d', NOW).window).toBe('30m');
    expect(chooseWindow(365 * 86_400_000)).toBe('1d');
  });

  it('charts the fields that matter per kind, all of them real telemetry fields', () => {
    expect(historyQuery('bin', '24h', NOW).fields).toBe('fillPct,tempC');
    expect(historyQuery('streetlight', '24h', NOW).fields).toBe('powerW,voltageV,dimPct');
    for (const [kind, fields] of Object.entries(CHART_FIELDS)) for (const f of fields) expect(TELEMETRY_FIELDS[kind as DeviceKind]).toContain(f);
  });

  it('turns the answer into uPlot columns, gaps as null and booleans as 0/1', () => {
    const res = {
      points: [
        { time: '2026-11-27T07:00:00Z', values: { fillPct: 40, lampOn: true } },
        { time: '2026-11-27T07:05:00Z', values: { fillPct: null, lampOn: false } },
      ],
    };
    expect(seriesOf(res, 'fillPct')).toEqual([[Date.parse('2026-11-27T07:00:00Z') / 1000, Date.parse('2026-11-27T07:05:00Z') / 1000], [40, null]]);
    expect(seriesOf(res, 'lampOn')[1]).toEqual([1, 0]);
    expect(formatValue('fillPct', 73.26)).toBe('73.3 %');
    expect(formatValue('loadKg', 5230.4)).toBe('5230 kg');
    expect(formatValue('fillPct', undefined)).toBe('–');
  });
});

describe('command polling', () => {
  afterEach(() => vi.useRealTimers());
  const rec = (status: DeviceCommandRecord['status']): DeviceCommandRecord =>
    ({ cmdId: 'c1', deviceId: 'lamp-1', action: 'dim', dimPct: 30, status, error: status === 'failed' ? 'driver fault' : null }) as DeviceCommandRecord;

  it('shows pending while the lamp has not answered, then its ack, and stops polling', async () => {
    vi.useFakeTimers();
    const answers = [rec('sent'), rec('sent'), rec('acked')];
    const fetch = vi.fn(async () => answers.shift() ?? rec('acked'));
    const seen: CommandUiStatus[] = [];
    pollCommand(rec('sent'), { fetch, onUpdate: (s) => seen.push(s) });
    expect(seen).toEqual(['pending']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen).toEqual(['pending', 'pending', 'pending', 'acked']);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('reports failed with the device error, and a timeout when nobody answers', async () => {
    vi.useFakeTimers();
    const failed: (string | null)[] = [];
    pollCommand(rec('sent'), { fetch: async () => rec('failed'), onUpdate: (s, r) => failed.push(`${s}:${r?.error ?? ''}`) });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(failed.at(-1)).toBe('failed:driver fault');

    const server: CommandUiStatus[] = [];
    pollCommand(rec('sent'), { fetch: async () => rec('timeout'), onUpdate: (s) => server.push(s) });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.at(-1)).toBe('timeout');

    const silent: CommandUiStatus[] = [];
    const fetch = vi.fn(async () => rec('sent'));
    pollCommand(rec('sent'), { fetch, onUpdate: (s) => silent.push(s), giveUpMs: 5_000 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(silent.at(-1)).toBe('timeout');
    expect(fetch).toHaveBeenCalledTimes(5);
  });

  it('keeps polling through a failed read and stops when the panel closes', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const seen: string[] = [];
    const stop = pollCommand(rec('sent'), {
      fetch: async () => {
        calls++;
        if (calls === 1) throw new Error('network down');
        return rec('sent');
      },
      onUpdate: (s, _r, e) => seen.push(e ? `${s}!${e}` : s),
    });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(seen).toEqual(['pending', 'pending!network down', 'pending']);
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
  });
});

describe('truck trail', () => {
  const vehicles = [
    { vehicleId: 'veh-a', deviceId: 'truck-01' },
    { vehicleId: 'truck-02', deviceId: 'gps-02' },
  ] as never[];

  it('finds the vehicle by its GPS device, and asks for the last 4 hours', () => {
    expect(vehicleOf(vehicles, 'truck-01')).toMatchObject({ vehicleId: 'veh-a' });
    expect(vehicleOf(vehicles, 'truck-02')).toMatchObject({ vehicleId: 'truck-02' });
    expect(vehicleOf(vehicles, 'nope')).toBeNull();
    expect(recentTrail({ vehicleId: 'veh-a', deviceId: 'truck-01' }, NOW)).toEqual({ vehicleId: 'veh-a', deviceId: 'truck-01', from: NOW - 4 * 3_600_000, to: NOW, replayAt: null });
  });

  it('replays a city day from its start and steps the cursor to its end', () => {
    const req = dayReplay({ vehicleId: 'veh-a', deviceId: 'truck-01' }, '2026-11-27', 'Asia/Shanghai')!;
    expect(req.from).toBe(Date.parse('2026-11-26T16:00:00Z'));
    expect(req.replayAt).toBe(req.from);
    let { next, ended } = stepReplay(req, 3_600_000);
    expect(next.replayAt).toBe(req.from + 3_600_000);
    expect(ended).toBe(false);
    ({ next, ended } = stepReplay(next, 48 * 3_600_000));
    expect(next.replayAt).toBe(req.to);
    expect(ended).toBe(true);
    expect(seekReplay(req, req.from - 1).replayAt).toBe(req.from);
  });
});
