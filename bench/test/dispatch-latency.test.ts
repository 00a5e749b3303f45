import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { parseTelemetryPayload } from '@sanitation/contracts';
import { DispatchTracker, formatMs, percentile } from '../dispatch/latency.mjs';
import { quietTemplate } from '../dispatch/quiet-template.mjs';
import { patchReading } from '../ingest/publish-template.mjs';

describe('percentile (nearest rank)', () => {
  it('picks the nearest-rank value of unsorted input', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1000 … 1
    expect(percentile(values, 50)).toBe(500);
    expect(percentile(values, 99)).toBe(990);
    expect(percentile(values, 100)).toBe(1000);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(/percentile/);
  });

  it('formats ms as one decimal below 100, integers above', () => {
    expect(formatMs(12.345)).toBe('12.3');
    expect(formatMs(140.6)).toBe('141');
    expect(formatMs(Number.NaN)).toBe('n/a');
  });
});

describe('DispatchTracker', () => {
  it('times each crossing to its first job event and counts job ids per device', () => {
    const t = new DispatchTracker();
    t.expect('bin-1', 100);
    t.expect('bin-2', 110);
    t.onJob({ deviceId: 'bin-1', jobId: 'j1' }, 150);
    t.onJob({ deviceId: 'bin-1', jobId: 'j1' }, 400); // assigned later: same job, t1 unchanged
    t.onJob({ deviceId: 'other', jobId: 'j9' }, 160);
    expect(t.latencies()).toEqual([50]);
    expect(t.pending()).toEqual(['bin-2']);
    expect(t.unexpected).toBe(1);
    expect(t.duplicates()).toEqual([]);
    t.onJob({ deviceId: 'bin-2', jobId: 'j2' }, 130);
    t.onJob({ deviceId: 'bin-2', jobId: 'j3' }, 140);
    expect(t.latencies().sort()).toEqual([20, 50]);
    expect(t.duplicates()).toEqual([{ deviceId: 'bin-2', jobIds: ['j2', 'j3'] }]);
    expect(() => t.expect('bin-1', 500)).toThrow(/already/);
  });

  it('settles when the last job arrives, or reports what is missing after the timeout', async () => {
    const t = new DispatchTracker();
    t.expect('a', 0);
    setTimeout(() => t.onJob({ deviceId: 'a', jobId: '1' }, 5), 20);
    expect(await t.settle(5000)).toBe(true);
    t.expect('b', 0);
    expect(await t.settle(50)).toBe(false);
    expect(t.pending()).toEqual(['b']);
  });
});

describe('quiet load template', () => {
  it('is a valid bin reading the generator can patch, whose patched number the schema drops', () => {
    const t = quietTemplate('load-bin-0001');
    const buf = Buffer.from(t.packet);
    patchReading(buf, 0, t, 1_764_000_000_123, 42, 99);
    const packets: mqttPacket.Packet[] = [];
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (p) => packets.push(p));
    parser.parse(buf);
    const p = packets[0] as mqttPacket.IPublishPacket;
    expect(p.topic).toBe('sanitation/v1/bin/load-bin-0001/telemetry');
    const parsed = parseTelemetryPayload('bin', p.payload as Buffer);
    expect(parsed.rejections).toEqual([]);
    expect(parsed.readings[0]).toEqual({ ts: 1_764_000_000_123, seq: 42, fillPct: 35, tempC: 21.5, tilted: false, batteryPct: 87 });
  });
});

describe('DispatchTracker phases', () => {
  it('splits each delay at the gateway hand-off; events without one are left out', () => {
    const t = new DispatchTracker();
    t.expect('bin-1', 10);
    t.expect('bin-2', 10);
    t.onHandoff('bin-1', 25);
    t.onHandoff('bin-1', 27); // a redelivery does not move it
    t.onHandoff('nobody', 30);
    t.onJob({ deviceId: 'bin-1', jobId: 'j1' }, 50);
    t.onJob({ deviceId: 'bin-2', jobId: 'j2' }, 60);
    expect(t.phases()).toEqual({ gateway: [15], server: [25] });
  });
});
