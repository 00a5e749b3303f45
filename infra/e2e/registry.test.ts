/**
 * The registry is the single source of truth for device credentials: a device registered through
 * the server's API can publish through the gateway at once (with its zone as a tag in InfluxDB),
 * and a revoked device is refused within seconds. Driven with Debian's mosquitto_pub, an outside
 * MQTT 3.1.1 client.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterDeviceResponse } from '@sanitation/contracts';
import { deviceTopic } from '@sanitation/contracts';
import { startStack, waitFor, type Stack } from './stack.js';

function mosquittoPub(port: number, user: string, password: string, topic: string, message: string): Promise<{ code: number | null; output: string }> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv311', '-q', '1', '-u', user, '-P', password, '-i', user, '-t', topic, '-m', message];
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('device registry → gateway', () => {
  let stack: Stack;
  let token: string;
  let device: RegisterDeviceResponse;

  beforeAll(async () => {
    stack = await startStack();
    token = await stack.token();
    const res = await fetch(`${stack.serverUrl}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ id: 'septic-e2e-1', kind: 'septic', name: '化粪池 E2E', lat: 30.27, lon: 120.15, zone: 'zone-x1', attributes: { tankM3: 12 } }),
    });
    expect(res.status).toBe(201);
    device = (await res.json()) as RegisterDeviceResponse;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts a newly registered device within seconds and stores its reading with its zone', async () => {
    const topic = deviceTopic('septic', device.device.deviceId, 'telemetry');
    const ts = Date.UTC(2026, 10, 27, 3, 0, 0);
    // The gateway learns of the device at its next credential poll.
    await waitFor(
      'the gateway to accept the new device',
      async () => ((await mosquittoPub(stack.mqttPort, device.device.deviceId, device.secret, topic, JSON.stringify({ ts, seq: 1, levelPct: 63.5 }))).code === 0 ? true : undefined),
      15_000,
      500,
    );
    const rows = await waitFor(
      'the reading in InfluxDB',
      async () => {
        const series = await stack.influxQuery(`SELECT "levelPct", "seq" FROM "septic" WHERE "deviceId" = 'septic-e2e-1' GROUP BY "zone"`);
        return series.length > 0 ? series : undefined;
      },
      15_000,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tags).toEqual({ zone: 'zone-x1' });
    expect(rows[0]!.values).toEqual([[new Date(ts).toISOString().replace('.000Z', '.000000001Z'), 63.5, 1]]);
  });

  it('refuses a wrong secret', async () => {
    const result = await mosquittoPub(stack.mqttPort, device.device.deviceId, 'not-the-secret', deviceTopic('septic', device.device.deviceId, 'telemetry'), '{"ts":1,"seq":2}');
    expect(result.code).not.toBe(0);
  });

  it('refuses a revoked device within seconds', async () => {
    const res = await fetch(`${stack.serverUrl}/api/devices/${device.device.deviceId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('revoked');
    const topic = deviceTopic('septic', device.device.deviceId, 'telemetry');
    await waitFor(
      'the gateway to refuse the revoked device',
      async () => ((await mosquittoPub(stack.mqttPort, device.device.deviceId, device.secret, topic, JSON.stringify({ ts: Date.now(), seq: 9 }))).code !== 0 ? true : undefined),
      10_000,
      500,
    );
  });
});
