import type { DeviceStateEvent, TruckPositionEvent } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { LiveClient, type LiveSink } from '../../src/live/live-client.js';
import { LIVE_DEFAULTS } from '../../src/live/live.options.js';
import { deviceState, job, truckPosition } from './fixtures.js';

function sink() {
  const sent = { devices: [] as DeviceStateEvent[][], trucks: [] as TruckPositionEvent[][], jobs: [] as string[], alarms: 0 };
  let writable = true;
  const s: LiveSink = {
    alarm: () => sent.alarms++,
    job: (j) => sent.jobs.push(j.jobId),
    devices: (d) => sent.devices.push(d),
    trucks: (t) => sent.trucks.push(t),
    writable: () => writable,
  };
  return { s, sent, block: (b: boolean) => (writable = !b) };
}

describe('LiveClient batching (time passed in)', () => {
  it('sends device states at most every deviceBatchMs, the latest per device', () => {
    const { s, sent } = sink();
    const client = new LiveClient('c', { username: 'd', role: 'dispatcher' }, s, { ...LIVE_DEFAULTS });
    client.subscribe({ zones: ['A'] });
    client.offerDevice(deviceState({ deviceId: 'b1', values: { fillPct: 10 } }));
    client.offerDevice(deviceState({ deviceId: 'b1', values: { fillPct: 11 } }));
    client.offerDevice(deviceState({ deviceId: 'b2' }));
    client.flush(1000);
    expect(sent.devices.map((b) => b.map((d) => [d.deviceId, d.values.fillPct]))).toEqual([[['b1', 11], ['b2', 40]]]);
    client.offerDevice(deviceState({ deviceId: 'b1', values: { fillPct: 12 } }));
    client.flush(1000 + LIVE_DEFAULTS.deviceBatchMs - 1);
    expect(sent.devices).toHaveLength(1);
    client.flush(1000 + LIVE_DEFAULTS.deviceBatchMs);
    expect(sent.devices).toHaveLength(2);
    expect(client.hasPending()).toBe(false);
  });

  it('paces each truck separately and keeps batches while the transport is backed up', () => {
    const { s, sent, block } = sink();
    const client = new LiveClient('c', { username: 'd', role: 'viewer' }, s, { ...LIVE_DEFAULTS, maxTruckRatePerS: 2 });
    expect(client.subscribe({ zones: ['A'], maxTruckRatePerS: 10 }).maxTruckRatePerS).toBe(2);
    client.offerTruck(truckPosition({ deviceId: 't1', ts: 1 }));
    client.offerTruck(truckPosition({ deviceId: 't2', ts: 1 }));
    client.flush(0);
    client.offerTruck(truckPosition({ deviceId: 't1', ts: 2 }));
    client.offerTruck(truckPosition({ deviceId: 't1', ts: 3 }));
    client.flush(499);
    block(true);
    client.flush(500);
    block(false);
    client.flush(520);
    expect(sent.trucks.map((b) => b.map((t) => `${t.deviceId}@${t.ts}`))).toEqual([['t1@1', 't2@1'], ['t1@3']]);
  });

  it('a crew sees its own jobs only', () => {
    const { s, sent } = sink();
    const client = new LiveClient('c', { username: 'li', role: 'crew' }, s, { ...LIVE_DEFAULTS }, new Set(['crew:crew-1', 'vehicle:truck-7']));
    client.subscribe({ zones: ['A'] });
    client.offerAlarm({} as never);
    expect(client.offerDevice(deviceState())).toBe(false);
    client.offerJob(job({ jobId: 'j1' }));
    client.offerJob(job({ jobId: 'j2', assignee: { unitType: 'crew', unitId: 'crew-1' } }));
    client.offerJob(job({ jobId: 'j3', assignee: { unitType: 'vehicle', unitId: 'crew-1' } }));
    client.offerJob(job({ jobId: 'j4', assignee: { unitType: 'vehicle', unitId: 'truck-7' } }));
    client.offerJob(job({ jobId: 'j5', assignee: { unitType: 'crew', unitId: 'truck-7' } }));
    expect(sent.jobs).toEqual(['j2', 'j4']);
    expect(sent.alarms).toBe(0);
  });
});
