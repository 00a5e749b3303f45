import { connect as netConnect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { deviceClient, eventually, type TestDevice, useTestGateway } from './helpers.js';

const MAX_PACKET = 64 * 1024;

interface RawConn {
  socket: Socket;
  received: () => Buffer;
  closed: Promise<void>;
}

function rawConnect(port: number): Promise<RawConn> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => Buffer.concat(chunks), closed }));
    socket.once('error', reject);
  });
}

/** Hand-built MQTT 3.1.1 CONNECT (mqtt-packet refuses to encode some of the cases under test). */
function connectPacket(opts: { clientId: string; clean: boolean; username?: string; password?: string }): Buffer {
  const str = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    return Buffer.concat([len, b]);
  };
  let flags = opts.clean ? 0x02 : 0;
  const parts = [str('MQTT'), Buffer.from([4]), Buffer.alloc(1), Buffer.from([0, 30]), str(opts.clientId)];
  if (opts.username !== undefined) {
    flags |= 0x80;
    parts.push(str(opts.username));
  }
  if (opts.password !== undefined) {
    flags |= 0x40;
    parts.push(str(opts.password));
  }
  parts[2] = Buffer.from([flags]);
  const body = Buffer.concat(parts);
  if (body.length > 127) throw new Error('test CONNECT too long for a 1-byte length');
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** Fixed header of a PUBLISH declaring `remaining` body bytes (remaining-length varint). */
function publishHeader(remaining: number): Buffer {
  const bytes = [0x32];
  let x = remaining;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    bytes.push(b);
  } while (x > 0);
  return Buffer.from(bytes);
}

describe('broker hygiene on the raw byte stream', () => {
  let dev: TestDevice;
  const t = useTestGateway('raw', {
    env: { MAX_PACKET_BYTES: String(MAX_PACKET), CONNECT_TIMEOUT_MS: '500', PUBLISH_RATE_PER_S: '50', PUBLISH_BURST: '10' },
    devices: (stub) => {
      dev = stub.add('bin-raw', 'bin');
    },
  });

  it('cuts off a connected client declaring a 200 MB packet, header split across chunks', async () => {
    const conn = await rawConnect(t.gw.mqttPort);
    conn.socket.write(connectPacket({ clientId: 'big', clean: true, username: dev.deviceId, password: dev.secret }));
    await eventually(() => conn.received().length >= 4);
    expect(conn.received().subarray(0, 4)).toEqual(Buffer.from([0x20, 0x02, 0x00, 0x00]));
    const header = publishHeader(200 * 1024 * 1024);
    for (const byte of header) {
      conn.socket.write(Buffer.from([byte]));
      await new Promise((r) => setTimeout(r, 5));
    }
    conn.socket.write(Buffer.alloc(1024, 0x41));
    await conn.closed;
  });

  it('cuts off an oversize CONNECT before authentication', async () => {
    const conn = await rawConnect(t.gw.mqttPort);
    conn.socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]));
    await conn.closed;
    expect(conn.received()).toHaveLength(0);
  });

  it('lets packets up to the limit through', async () => {
    const client = await deviceClient(t.gw.mqttPort, dev);
    const readings = Array.from({ length: 300 }, (_, i) => ({ ts: Date.now(), seq: 1000 + i, fillPct: 50, tempC: 21.5 }));
    const payload = JSON.stringify(readings);
    expect(payload.length).toBeLessThan(MAX_PACKET - 200);
    await new Promise<void>((resolve, reject) => client.publish(`sanitation/v1/bin/${dev.deviceId}/telemetry`, payload, { qos: 1 }, (e) => (e ? reject(e) : resolve())));
    client.end(true);
    expect(t.gw.stats().accepted).toBeGreaterThanOrEqual(300);
  });

  it('closes a socket that sends no CONNECT in time', async () => {
    const conn = await rawConnect(t.gw.mqttPort);
    await conn.closed;
    expect(conn.received()).toHaveLength(0);
  });

  it('answers an empty client id with clean session 0 by CONNACK 2 and closes [MQTT-3.1.3-8]', async () => {
    const conn = await rawConnect(t.gw.mqttPort);
    conn.socket.write(connectPacket({ clientId: '', clean: false, username: dev.deviceId, password: dev.secret }));
    await conn.closed;
    expect(conn.received()).toEqual(Buffer.from([0x20, 0x02, 0x00, 0x02]));
  });

  it('accepts an empty client id with clean session 1 and assigns one [MQTT-3.1.3-6]', async () => {
    const conn = await rawConnect(t.gw.mqttPort);
    conn.socket.write(connectPacket({ clientId: '', clean: true, username: dev.deviceId, password: dev.secret }));
    await eventually(() => conn.received().length >= 4);
    expect(conn.received().subarray(0, 4)).toEqual(Buffer.from([0x20, 0x02, 0x00, 0x00]));
    conn.socket.destroy();
  });

  it('delays (never drops) publishes over the per-device rate, and stores them all', async () => {
    const client = await deviceClient(t.gw.mqttPort, dev, { clientId: 'fast' });
    const before = t.gw.stats();
    const ts = Date.now();
    const topic = `sanitation/v1/bin/${dev.deviceId}/telemetry`;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Promise<void>((resolve, reject) =>
          client.publish(topic, JSON.stringify({ ts, seq: 5000 + i, fillPct: 1 }), { qos: 1 }, (e) => (e ? reject(e) : resolve())),
        ),
      ),
    );
    client.end(true);
    const after = t.gw.stats();
    expect(after.accepted - before.accepted).toBe(40);
    expect(after.rateLimited.delayed - before.rateLimited.delayed).toBeGreaterThan(0);
    expect(after.rejected.total).toBe(before.rejected.total);
  });

  it('keeps serving after all of the above', async () => {
    const client = await deviceClient(t.gw.mqttPort, dev);
    client.end(true);
  });
});
