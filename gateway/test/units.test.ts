import { describe, expect, it } from 'vitest';
import { PacketSizeGuard } from '../src/broker/packet-size.guard.js';
import { PublishRateLimiter } from '../src/broker/rate-limiter.js';
import { GATEWAY_DEFAULTS, parseGatewayConfig } from '../src/config/gateway.config.js';
import { pointTimestampNs, toLineProtocol } from '../src/influx/line-protocol.js';
import { v1WritePath } from '../src/influx/v1-transport.js';
import { SeqWindow } from '../src/ingest/seq-window.js';

describe('parseGatewayConfig', () => {
  const token = { INTERNAL_TOKEN: 'a-long-enough-shared-secret' };

  it('applies the documented defaults', () => {
    const c = parseGatewayConfig(token);
    expect(c).toMatchObject({
      mqttHost: '0.0.0.0',
      mqttPort: 1883,
      mqttWsPort: 8083,
      httpPort: 8084,
      serverUrl: 'http://127.0.0.1:8080',
      credentialSyncMs: 1000,
      spoolDir: '.data/spool',
      maxPacketBytes: 1024 * 1024,
      connectTimeoutMs: 10_000,
      keepaliveMaxS: 300,
      authDisabled: false,
      influx: { api: 1, database: 'sanitation', batchPoints: 10_000, concurrency: 2 },
      spoolCheckpointMs: 1000,
    });
    expect(c.publishRatePerS).toBeGreaterThanOrEqual(20 * 2);
    expect(c.gatewayId.length).toBeGreaterThan(0);
    expect(GATEWAY_DEFAULTS.PUBLISH_BURST).toBeGreaterThan(20);
  });

  it('gzips InfluxDB bodies only when InfluxDB is not on loopback, unless told otherwise', () => {
    expect(parseGatewayConfig(token).influx.gzip).toBe(false);
    expect(parseGatewayConfig({ ...token, INFLUX_URL: 'http://localhost:8086' }).influx.gzip).toBe(false);
    expect(parseGatewayConfig({ ...token, INFLUX_URL: 'http://influx.internal:8086' }).influx.gzip).toBe(true);
    expect(parseGatewayConfig({ ...token, INFLUX_GZIP: 'true' }).influx.gzip).toBe(true);
    expect(() => parseGatewayConfig({ ...token, INFLUX_CONCURRENCY: '0' })).toThrow(/INFLUX_CONCURRENCY/);
  });

  it('names a missing INTERNAL_TOKEN', () => {
    expect(() => parseGatewayConfig({})).toThrow(/INTERNAL_TOKEN/);
  });

  it('names malformed settings', () => {
    expect(() => parseGatewayConfig({ ...token, MQTT_PORT: 'abc' })).toThrow(/MQTT_PORT/);
    expect(() => parseGatewayConfig({ ...token, INFLUX_API: '3' })).toThrow(/INFLUX_API/);
    expect(() => parseGatewayConfig({ ...token, SERVER_URL: 'not a url' })).toThrow(/SERVER_URL/);
  });

  it('refuses MQTT_AUTH_DISABLED outside NODE_ENV=development', () => {
    expect(() => parseGatewayConfig({ ...token, MQTT_AUTH_DISABLED: 'true' })).toThrow(/MQTT_AUTH_DISABLED.*development/);
    expect(parseGatewayConfig({ ...token, MQTT_AUTH_DISABLED: 'true', NODE_ENV: 'development' }).authDisabled).toBe(true);
  });

  it('requires token and org for InfluxDB v2', () => {
    expect(() => parseGatewayConfig({ ...token, INFLUX_API: '2' })).toThrow(/INFLUX_TOKEN.*INFLUX_ORG/);
    expect(parseGatewayConfig({ ...token, INFLUX_API: '2', INFLUX_TOKEN: 't', INFLUX_ORG: 'o' }).influx).toMatchObject({ api: 2, bucket: 'sanitation' });
  });
});

describe('PacketSizeGuard', () => {
  it('follows packets across arbitrary chunk boundaries', () => {
    const g = new PacketSizeGuard(200);
    // two packets: PUBLISH with 150 body bytes, then PINGREQ
    const stream = Buffer.concat([Buffer.from([0x30, 150]), Buffer.alloc(150), Buffer.from([0xc0, 0x00])]);
    for (const b of stream) expect(g.feed(Buffer.from([b]))).toBeNull();
  });

  it('flags a packet whose declared size exceeds the limit as soon as its length is known', () => {
    const g = new PacketSizeGuard(1024);
    expect(g.feed(Buffer.from([0x30, 0x80]))).toBeNull();
    expect(g.feed(Buffer.from([0x80]))).toBeNull();
    expect(g.feed(Buffer.from([0x64]))).toMatch(/exceeds/);
  });

  it('flags a malformed 5-byte remaining length', () => {
    const g = new PacketSizeGuard(1 << 30);
    expect(g.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff]))).toMatch(/malformed/);
  });
});

describe('PublishRateLimiter', () => {
  it('passes a burst, then delays in arrival order, then overflows', () => {
    const l = new PublishRateLimiter(10, 3, 2);
    const t = 1000;
    expect([l.take('d', t), l.take('d', t), l.take('d', t)].map((d) => d.kind)).toEqual(['now', 'now', 'now']);
    const w1 = l.take('d', t);
    const w2 = l.take('d', t);
    expect(w1).toEqual({ kind: 'wait', ms: 100 });
    expect(w2).toEqual({ kind: 'wait', ms: 200 });
    expect(l.take('d', t).kind).toBe('overflow');
  });

  it('allows a steady 20 msgs/s under the defaults', () => {
    const l = new PublishRateLimiter(GATEWAY_DEFAULTS.PUBLISH_RATE_PER_S, GATEWAY_DEFAULTS.PUBLISH_BURST, 100);
    for (let i = 0; i < 20 * 60; i++) expect(l.take('d', i * 50).kind).toBe('now');
  });
});

describe('SeqWindow', () => {
  it('detects repeats, including out-of-order ones inside the window', () => {
    const w = new SeqWindow();
    expect(w.add('d', 10)).toBe(true);
    expect(w.add('d', 12)).toBe(true);
    expect(w.add('d', 11)).toBe(true);
    expect(w.add('d', 11)).toBe(false);
    expect(w.add('d', 10)).toBe(false);
    expect(w.add('other', 10)).toBe(true);
    w.remove('d', 11);
    expect(w.add('d', 11)).toBe(true);
  });
});

describe('InfluxDB line protocol', () => {
  it('uses ms × 10⁶ + seq mod 10⁶ as the ns timestamp', () => {
    expect(pointTimestampNs(1_700_000_000_123, 7)).toBe('1700000000123000007');
    expect(pointTimestampNs(1_700_000_000_123, 2_000_042)).toBe('1700000000123000042');
    expect(pointTimestampNs(0, 5)).toBe('5');
  });

  it('writes floats, booleans, the integer seq and escaped tags', () => {
    const line = toLineProtocol({ deviceId: 'bin-1', kind: 'bin', zone: 'old town', ts: 1000, seq: 3, values: { fillPct: 40, tilted: true }, receivedAt: 0 });
    expect(line).toBe('bin,deviceId=bin-1,zone=old\\ town fillPct=40,tilted=true,seq=3i 1000000003');
  });

  it('maps the v2 write path to InfluxDB 1.x /write with its precision spelling', () => {
    const path = v1WritePath('/api/v2/write?org=&bucket=sanitation&precision=ns', { database: 'db1', retentionPolicy: 'rp1', username: 'u', password: 'p' });
    expect(path).toBe('/write?db=db1&precision=n&rp=rp1&u=u&p=p');
    expect(v1WritePath('/api/v2/write?org=&bucket=x&precision=us', { database: 'd', retentionPolicy: '' })).toBe('/write?db=d&precision=u');
  });
});
