import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceTopic } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { deviceClient, eventually, getStats, influxRows, type TestDevice, useTestGateway } from './helpers.js';

interface PubResult {
  code: number | null;
  output: string;
}

/** Debian's mosquitto_pub: a real, independent MQTT 3.1.1 client. */
function mosquittoPub(port: number, d: { deviceId: string; secret: string }, topic: string, message: { m: string } | { f: string }): Promise<PubResult> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv311', '-q', '1', '-u', d.deviceId, '-P', d.secret, '-t', topic, '-i', `mp-${d.deviceId}`];
  if ('m' in message) args.push('-m', message.m);
  else args.push('-f', message.f);
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('outside client: mosquitto_pub', () => {
  let septic: TestDevice;
  let other: TestDevice;
  const t = useTestGateway('mosq', {
    devices: (stub) => {
      septic = stub.add('septic-01', 'septic', 'east');
      other = stub.add('septic-02', 'septic', 'east');
    },
  });
  const { db } = t;

  const topic = () => deviceTopic('septic', septic.deviceId, 'telemetry');

  it('a valid reading lands in InfluxDB', async () => {
    const ts = Date.now();
    const res = await mosquittoPub(t.gw.mqttPort, septic, topic(), { m: JSON.stringify({ ts, seq: 1, levelPct: 63.5, h2sPpm: 2 }) });
    expect(res.code, res.output).toBe(0);
    const rows = await eventually(async () => {
      const r = await influxRows(db, 'septic', septic.deviceId);
      return r.length > 0 ? r : null;
    });
    expect(rows).toEqual([expect.objectContaining({ levelPct: 63.5, h2sPpm: 2, seq: 1, zone: 'east' })]);
  });

  it('a wrong password is refused', async () => {
    const res = await mosquittoPub(t.gw.mqttPort, { ...septic, secret: 'wrong' }, topic(), { m: '{}' });
    expect(res.code).not.toBe(0);
    expect(res.output).toMatch(/refused|not authori[sz]ed|bad user name or password/i);
  });

  it("publishing under another device's id is refused and stores nothing", async () => {
    const res = await mosquittoPub(t.gw.mqttPort, septic, deviceTopic('septic', other.deviceId, 'telemetry'), {
      m: JSON.stringify({ ts: Date.now(), seq: 1, levelPct: 1 }),
    });
    // The broker drops the connection instead of acknowledging (MQTT 3.1.1 has no PUBLISH NACK).
    expect(res.code, res.output).not.toBe(0);
    expect(await influxRows(db, 'septic', other.deviceId)).toHaveLength(0);
  });

  it('malformed JSON, a wrong type, an out-of-range value and a 501-reading batch are acked, rejected and counted', async () => {
    const before = await getStats(t.gw.httpPort);
    const ts = Date.now();
    const big = join(t.spoolDir, 'batch-501.json');
    writeFileSync(big, JSON.stringify(Array.from({ length: 501 }, (_, i) => ({ ts, seq: 100 + i, levelPct: 10 }))));
    for (const message of [
      { m: '{"ts": 1, "seq": ' },
      { m: JSON.stringify({ ts, seq: 50, levelPct: 'high' }) },
      { m: JSON.stringify({ ts, seq: 51, levelPct: 180 }) },
      { f: big },
    ]) {
      const res = await mosquittoPub(t.gw.mqttPort, septic, topic(), message);
      expect(res.code, res.output).toBe(0);
    }
    const after = await getStats(t.gw.httpPort);
    const mine = (s: any, reason: string) => s.rejected.byDevice[septic.deviceId]?.[reason] ?? 0;
    for (const reason of ['malformed_json', 'wrong_type', 'out_of_range', 'batch_too_large']) {
      expect(mine(after, reason) - mine(before, reason), reason).toBe(1);
    }
    expect(after.rejected.total - before.rejected.total).toBe(4);
    expect(after.accepted).toBe(before.accepted);
  });

  it('the broker keeps serving afterwards', async () => {
    const res = await mosquittoPub(t.gw.mqttPort, septic, topic(), { m: JSON.stringify({ ts: Date.now(), seq: 2, levelPct: 64 }) });
    expect(res.code, res.output).toBe(0);
    const client = await deviceClient(t.gw.mqttPort, septic);
    client.end(true);
    await eventually(async () => (await influxRows(db, 'septic', septic.deviceId)).some((r) => r.seq === 2));
  });
});
