import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeviceTopic, parseTelemetryPayload } from '@sanitation/contracts';
import { FrameSplitter, PACKET, writePaddedInt } from '../ingest/mqtt-frames.mjs';
import { LoadGenerator } from '../ingest/load-generator.mjs';
import { publishTemplate } from '../ingest/publish-template.mjs';
import { RawSubscriber } from '../ingest/raw-subscriber.mjs';

describe('pre-encoded publish template', () => {
  it('decodes as a QoS 1 PUBLISH carrying a valid bin reading after patching', () => {
    const t = publishTemplate('bench-bin-0042');
    const buf = Buffer.from(t.packet);
    buf[t.pidOffset] = 0x12;
    buf[t.pidOffset + 1] = 0x34;
    writePaddedInt(buf, t.tsOffset, 13, 1_764_000_000_123);
    writePaddedInt(buf, t.seqOffset, 12, 987);
    writePaddedInt(buf, t.fillOffset, 3, 7);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const packets: mqttPacket.Packet[] = [];
    parser.on('packet', (p) => packets.push(p));
    parser.on('error', (err) => {
      throw err;
    });
    parser.parse(buf);
    expect(packets).toHaveLength(1);
    const p = packets[0] as mqttPacket.IPublishPacket;
    expect(p.cmd).toBe('publish');
    expect(p.qos).toBe(1);
    expect(p.messageId).toBe(0x1234);
    expect(parseDeviceTopic(p.topic)).toEqual({ kind: 'bin', deviceId: 'bench-bin-0042', channel: 'telemetry' });
    const parsed = parseTelemetryPayload('bin', p.payload as Buffer);
    expect(parsed.rejections).toEqual([]);
    expect(parsed.readings[0]).toMatchObject({ ts: 1_764_000_000_123, seq: 987, fillPct: 7 });
  });

  it('refuses a number wider than its field instead of corrupting the payload', () => {
    expect(() => writePaddedInt(Buffer.alloc(3), 0, 3, 1000)).toThrow(/does not fit/);
  });
});

describe('FrameSplitter', () => {
  it('finds every packet whatever the chunk boundaries, including multi-byte lengths', () => {
    const big = mqttPacket.generate({ cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(300, 1), qos: 0, retain: false, dup: false });
    const stream = Buffer.concat([
      mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }),
      mqttPacket.generate({ cmd: 'puback', messageId: 513 }),
      big,
      mqttPacket.generate({ cmd: 'puback', messageId: 7 }),
    ]);
    for (const step of [1, 2, 3, 7, stream.length]) {
      const seen: string[] = [];
      const splitter = new FrameSplitter((type, _flags, buf, start, len) => {
        seen.push(type === PACKET.PUBACK ? `puback:${(buf[start]! << 8) | buf[start + 1]!}` : `${type}:${len}`);
      });
      for (let i = 0; i < stream.length; i += step) splitter.push(stream.subarray(i, i + step));
      expect(seen, `chunks of ${step}`).toEqual([`${PACKET.CONNACK}:2`, 'puback:513', `${PACKET.PUBLISH}:${big.length - 3}`, 'puback:7']);
    }
  });
});

describe('LoadGenerator against a real aedes broker', () => {
  let server: Server | undefined;
  let broker: Aedes | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r) ?? r(undefined));
    await new Promise((r) => broker?.close(r) ?? r(undefined));
  });

  it('delivers every reading exactly once, unique seq per device, and counts them acked', async () => {
    broker = await Aedes.createBroker();
    const credentials = new Map<string, string>();
    broker.authenticate = (client, username, password, done) => done(null, credentials.get(username ?? '') === password?.toString());
    server = createServer(broker.handle);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;

    const devices = Array.from({ length: 20 }, (_, i) => ({ id: `bench-bin-${String(i + 1).padStart(4, '0')}`, password: `secret-${i}`, kind: 'bin' }));
    for (const d of devices) credentials.set(d.id, d.password);

    // A real MQTT.js client checks what the generator sends; the raw subscriber counts it.
    const seen = new Map<string, number[]>();
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'bench-bin-0001', password: 'secret-0', clientId: 'checker', protocolVersion: 4 });
    await client.subscribeAsync('sanitation/v1/+/+/telemetry', { qos: 1 });
    client.on('message', (topic, payload) => {
      const t = parseDeviceTopic(topic)!;
      const parsed = parseTelemetryPayload('bin', payload);
      expect(parsed.rejections).toEqual([]);
      const list = seen.get(t.deviceId) ?? [];
      list.push(parsed.readings[0]!.seq);
      seen.set(t.deviceId, list);
    });
    const raw = new RawSubscriber({ port, topic: 'sanitation/v1/+/+/telemetry', username: 'bench-bin-0002', password: 'secret-1' });
    await raw.start();

    const gen = new LoadGenerator({ port, devices, readingsPerDevice: 50, window: 5, firstSeq: 100 });
    await gen.connectAll();
    const result = await gen.run({ timeLimitMs: 20_000 });
    await gen.close();
    expect(await raw.waitFor(1000, 10_000)).toBe(true);
    await expect.poll(() => [...seen.values()].reduce((n, l) => n + l.length, 0), { timeout: 10_000 }).toBe(1000);
    await client.endAsync();
    raw.close();

    expect(result).toMatchObject({ planned: 1000, sent: 1000, acked: 1000, unexpectedAcks: 0, connectionsLost: 0, timedOut: false });
    expect(raw.received).toBe(1000);
    for (const d of devices) {
      expect(result.perDevice.get(d.id)).toBe(50);
      expect([...(seen.get(d.id) ?? [])].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    }
  });

  it('in paced mode still publishes every reading once and gets every PUBACK', async () => {
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const raw = new RawSubscriber({ port, topic: 'sanitation/v1/+/+/telemetry' });
    await raw.start();
    const devices = Array.from({ length: 10 }, (_, i) => ({ id: `bench-bin-${String(i + 1).padStart(4, '0')}`, password: 'x' }));
    const gen = new LoadGenerator({ port, devices, readingsPerDevice: 30, window: 5, ratePerS: 2000 });
    await gen.connectAll();
    const result = await gen.run({ timeLimitMs: 20_000 });
    await gen.close();
    expect(await raw.waitFor(300, 10_000)).toBe(true);
    raw.close();
    expect(result).toMatchObject({ sent: 300, acked: 300, timedOut: false, connectionsLost: 0 });
    expect(raw.received).toBe(300);
  });

  it('finishes without waiting for its time limit when the broker drops a connection, and reports it', async () => {
    broker = await Aedes.createBroker();
    let seenFromVictim = 0;
    broker.authorizePublish = (client, packet, callback) => {
      if (client?.id === 'bench-bin-0003' && ++seenFromVictim === 10) {
        client.close();
        return;
      }
      callback(null);
    };
    server = createServer(broker.handle);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const devices = Array.from({ length: 5 }, (_, i) => ({ id: `bench-bin-${String(i + 1).padStart(4, '0')}`, password: 'x' }));
    const gen = new LoadGenerator({ port, devices, readingsPerDevice: 40, window: 4 });
    await gen.connectAll();
    const result = await gen.run({ timeLimitMs: 20_000 });
    await gen.close();
    expect(result.timedOut).toBe(false);
    expect(result.connectionsLost).toBe(1);
    expect(result.perDevice.get('bench-bin-0003')).toBeLessThan(10);
    expect(result.acked).toBe(4 * 40 + result.perDevice.get('bench-bin-0003')!);
  });

  it('reports a refused CONNECT with its return code', async () => {
    broker = await Aedes.createBroker();
    broker.authenticate = (_c, _u, _p, done) => done(Object.assign(new Error('no'), { returnCode: 4 }) as never, false);
    server = createServer(broker.handle);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const gen = new LoadGenerator({ port, devices: [{ id: 'bench-bin-0001', password: 'x' }], readingsPerDevice: 1, connectRetries: 0 });
    await expect(gen.connectAll()).rejects.toThrow(/CONNACK return code 4/);
  });
});
