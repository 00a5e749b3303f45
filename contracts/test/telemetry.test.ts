import { describe, expect, it } from 'vitest';
import { MAX_TELEMETRY_BATCH, MAX_TS_MS, deviceTopic, parseDeviceTopic, parseTelemetryPayload, readingValues } from '../src/index.js';

describe('topics', () => {
  it('round-trips every channel, including cmd/ack', () => {
    for (const channel of ['telemetry', 'event', 'status', 'cmd', 'cmd/ack'] as const) {
      const topic = deviceTopic('bin', 'bin-0001', channel);
      expect(parseDeviceTopic(topic)).toEqual({ kind: 'bin', deviceId: 'bin-0001', channel });
    }
  });
  it('refuses unknown kinds, bad ids, wildcards and other roots', () => {
    expect(parseDeviceTopic('sanitation/v1/car/x/telemetry')).toBeNull();
    expect(parseDeviceTopic('sanitation/v1/bin/a b/telemetry')).toBeNull();
    expect(parseDeviceTopic('sanitation/v1/bin/+/telemetry')).toBeNull();
    expect(parseDeviceTopic('sanitation/v2/bin/x/telemetry')).toBeNull();
    expect(parseDeviceTopic('sanitation/v1/bin/x/cmd/nack')).toBeNull();
    expect(parseDeviceTopic(`sanitation/v1/bin/${'a'.repeat(65)}/telemetry`)).toBeNull();
  });
});

describe('telemetry payloads', () => {
  it('accepts one object and strips unknown fields', () => {
    const parsed = parseTelemetryPayload('bin', JSON.stringify({ ts: 1, seq: 0, fillPct: 40, colour: 'red' }));
    expect(parsed.rejections).toEqual([]);
    expect(parsed.readings).toEqual([{ ts: 1, seq: 0, fillPct: 40 }]);
    expect(readingValues(parsed.readings[0]!)).toEqual({ fillPct: 40 });
  });
  it('names the reason and field of each bad reading without holding back good ones', () => {
    const batch = [
      { ts: 1, seq: 1, levelPct: 50 },
      { ts: 2, seq: 2, levelPct: 101 },
      { ts: 3, seq: 3, levelPct: 'high' },
      { ts: 4, levelPct: 10 },
      'nope',
      { ts: 5, seq: 5, h2sPpm: 2 },
    ];
    const parsed = parseTelemetryPayload('septic', JSON.stringify(batch));
    expect(parsed.readings.map((r) => r.seq)).toEqual([1, 5]);
    expect(parsed.rejections.map((r) => [r.index, r.reason])).toEqual([
      [1, 'out_of_range'],
      [2, 'wrong_type'],
      [3, 'missing_field'],
      [4, 'not_an_object'],
    ]);
    expect(parsed.rejections[0]!.detail).toMatch(/^levelPct:/);
  });
  it('rejects malformed JSON, empty and oversized batches whole', () => {
    expect(parseTelemetryPayload('bin', '{"ts":').rejections[0]!.reason).toBe('malformed_json');
    expect(parseTelemetryPayload('bin', '[]').rejections[0]!.reason).toBe('empty_batch');
    const big = Array.from({ length: MAX_TELEMETRY_BATCH + 1 }, (_, i) => ({ ts: i, seq: i }));
    const parsed = parseTelemetryPayload('bin', JSON.stringify(big));
    expect(parsed.readings).toEqual([]);
    expect(parsed.rejections[0]!.reason).toBe('batch_too_large');
    const max = Array.from({ length: MAX_TELEMETRY_BATCH }, (_, i) => ({ ts: i, seq: i }));
    expect(parseTelemetryPayload('bin', JSON.stringify(max)).readings).toHaveLength(MAX_TELEMETRY_BATCH);
  });
  it('rejects invalid UTF-8 as malformed', () => {
    expect(parseTelemetryPayload('bin', new Uint8Array([0x7b, 0xff, 0x7d])).rejections[0]!.reason).toBe('malformed_json');
  });
  it('checks each kind’s ranges and types', () => {
    expect(parseTelemetryPayload('truck', '{"ts":1,"seq":1,"lat":91}').rejections[0]!.reason).toBe('out_of_range');
    expect(parseTelemetryPayload('streetlight', '{"ts":1,"seq":1,"lampOn":"yes"}').rejections[0]!.reason).toBe('wrong_type');
    expect(parseTelemetryPayload('toilet', '{"ts":1,"seq":1.5}').rejections[0]!.reason).toBe('wrong_type');
    expect(parseTelemetryPayload('bin', '{"ts":1,"seq":-1}').rejections[0]!.reason).toBe('out_of_range');
    // Past 2262 the InfluxDB point time (ns) would overflow int64.
    expect(parseTelemetryPayload('bin', JSON.stringify({ ts: MAX_TS_MS + 1, seq: 1 })).rejections[0]!.detail).toMatch(/^ts:/);
    expect(parseTelemetryPayload('bin', JSON.stringify({ ts: MAX_TS_MS, seq: 1 })).readings).toHaveLength(1);
  });
});
