import { deviceTopic } from '@sanitation/contracts';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceClient, eventually, getStats, influxQuery, influxRows, publish, type TestDevice, useTestGateway } from './helpers.js';

describe('ingest: MQTT → spool → InfluxDB', () => {
  let bin: TestDevice;
  let light: TestDevice;
  let client: MqttClient;
  const t = useTestGateway('ingest', {
    devices: (stub) => {
      bin = stub.add('bin-001', 'bin', 'north');
      light = stub.add('light-001', 'streetlight', null);
    },
  });
  const { db } = t;

  beforeAll(async () => {
    client = await deviceClient(t.gw.mqttPort, bin);
  });

  afterAll(() => {
    client?.end(true);
  });

  it('stores a valid reading exactly once, with its zone tag and typed fields', async () => {
    const ts = Date.now();
    await publish(client, deviceTopic('bin', bin.deviceId, 'telemetry'), JSON.stringify({ ts, seq: 1, fillPct: 42, tilted: false, extra: 'ignored' }));
    const rows = await eventually(async () => {
      const r = await influxRows(db, 'bin', bin.deviceId);
      return r.length > 0 ? r : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ deviceId: bin.deviceId, zone: 'north', fillPct: 42, tilted: false, seq: 1 });
    // Point time = ts ms × 10⁶ + seq (ns); read as text, since ~1.8e18 is beyond a double's exact range.
    const exact = await influxQuery(db, `SELECT "seq" FROM "bin" WHERE "deviceId" = '${bin.deviceId}'`, null);
    expect(exact.results[0].series[0].values[0][0]).toBe(new Date(ts).toISOString().replace('Z', '000001Z'));
    expect(rows[0]).not.toHaveProperty('extra');
  });

  it('stores the valid readings of a mixed batch and counts each rejection by reason', async () => {
    const before = await getStats(t.gw.httpPort);
    const ts = Date.now();
    const batch = [
      { ts, seq: 10, fillPct: 10 },
      { ts, seq: 11, fillPct: 101 }, // out_of_range
      { ts, seq: 12, fillPct: 'full' }, // wrong_type
      { seq: 13, fillPct: 5 }, // missing_field (ts)
      'nope', // not_an_object
      { ts: ts + 1, seq: 14, fillPct: 14 },
    ];
    await publish(client, deviceTopic('bin', bin.deviceId, 'telemetry'), JSON.stringify(batch));
    const rows = await eventually(async () => {
      const r = await influxRows(db, 'bin', bin.deviceId);
      return r.some((x) => x.seq === 14) ? r : null;
    });
    expect(rows.filter((r) => [10, 11, 12, 13, 14].includes(r.seq as number)).map((r) => r.seq)).toEqual([10, 14]);
    const after = await getStats(t.gw.httpPort);
    const delta = (reason: string) => (after.rejected.byDevice[bin.deviceId]?.[reason] ?? 0) - (before.rejected.byDevice[bin.deviceId]?.[reason] ?? 0);
    expect(delta('out_of_range')).toBe(1);
    expect(delta('wrong_type')).toBe(1);
    expect(delta('missing_field')).toBe(1);
    expect(delta('not_an_object')).toBe(1);
    expect(after.rejected.total - before.rejected.total).toBe(4);
  });

  it('stores a duplicate seq once', async () => {
    const ts = Date.now();
    const topic = deviceTopic('bin', bin.deviceId, 'telemetry');
    const before = await getStats(t.gw.httpPort);
    await publish(client, topic, JSON.stringify({ ts, seq: 20, fillPct: 20 }));
    await publish(client, topic, JSON.stringify({ ts, seq: 20, fillPct: 20 }));
    await publish(client, topic, JSON.stringify([{ ts, seq: 20, fillPct: 20 }, { ts: ts + 5, seq: 21, fillPct: 21 }]));
    const rows = await eventually(async () => {
      const r = await influxRows(db, 'bin', bin.deviceId);
      return r.some((x) => x.seq === 21) ? r : null;
    });
    expect(rows.filter((r) => r.seq === 20)).toHaveLength(1);
    const after = await getStats(t.gw.httpPort);
    expect(after.duplicates - before.duplicates).toBe(2);
  });

  it('stores a reading resent with DUP after a reconnect once, and counts the resend a duplicate', async () => {
    // Firmware that lost the PUBACK resends after reconnecting. MQTT.js gives the resend a new
    // packet id, so this exercises the (deviceId, seq) check, not packet-id bookkeeping.
    const ts = Date.now();
    const before = await getStats(t.gw.httpPort);
    const c1 = await deviceClient(t.gw.mqttPort, light, { clientId: 'retrans', clean: false });
    const topic = deviceTopic('streetlight', light.deviceId, 'telemetry');
    const payload = JSON.stringify({ ts, seq: 7, lampOn: true, powerW: 55.5 });
    await publish(c1, topic, payload);
    c1.end(true);
    const c2 = await deviceClient(t.gw.mqttPort, light, { clientId: 'retrans', clean: false });
    await new Promise<void>((resolve, reject) =>
      c2.publish(topic, payload, { qos: 1, dup: true }, (err) => (err ? reject(err) : resolve())),
    );
    c2.end(true);
    expect((await getStats(t.gw.httpPort)).duplicates - before.duplicates).toBe(1);
    const rows = await eventually(async () => {
      const r = await influxRows(db, 'streetlight', light.deviceId);
      return r.length > 0 ? r : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lampOn: true, powerW: 55.5, seq: 7 });
    expect(rows[0]!.zone ?? null).toBeNull();
  });

  it('hands accepted readings to the server on $internal/v1/readings', async () => {
    const { connect } = await import('./helpers.js');
    const svc = await connect(t.gw.mqttPort, { username: '$svc:server', password: 'test-internal-token-0123456789' });
    const got = new Promise<any>((resolve) => svc.on('message', (_t, p) => resolve(JSON.parse(p.toString()))));
    await new Promise<void>((r, j) => svc.subscribe('$internal/v1/readings', { qos: 1 }, (e) => (e ? j(e) : r())));
    await publish(client, deviceTopic('bin', bin.deviceId, 'telemetry'), JSON.stringify({ ts: Date.now(), seq: 30, fillPct: 30 }));
    const batch = await got;
    svc.end(true);
    expect(batch.gatewayId).toBe('gw-test');
    expect(batch.readings).toEqual([expect.objectContaining({ deviceId: bin.deviceId, kind: 'bin', zone: 'north', seq: 30, values: { fillPct: 30 } })]);
  });

  it('serves /healthz and Prometheus /metrics', async () => {
    const health = await fetch(`http://127.0.0.1:${t.gw.httpPort}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ status: 'ok', gatewayId: 'gw-test' });
    const metrics = await fetch(`http://127.0.0.1:${t.gw.httpPort}/metrics`).then((r) => r.text());
    const accepted = Number(/^gateway_readings_accepted_total (\d+)/m.exec(metrics)?.[1]);
    expect(accepted).toBe((await getStats(t.gw.httpPort)).accepted);
    expect(metrics).toMatch(/gateway_readings_rejected_total\{reason="out_of_range"\} [1-9]/);
  });
});
