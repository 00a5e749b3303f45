#!/usr/bin/env node
// Quick end-to-end ingest measurement (not part of the tests; the official one is bench/ingest).
// Parent: credential stub + real gateway (dist/) + InfluxDB. Child: a light load generator —
// pre-encoded CONNECT/PUBLISH packets over plain sockets, QoS 1, one reading per publish.
// Usage: npm run build -w gateway && node gateway/scripts/quick-ingest-bench.mjs [connections] [perConn] [window]
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqttPacket from 'mqtt-packet';

const [CONNS, PER_CONN, WINDOW] = [Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 60), Number(process.argv[4] ?? 4)];
const INFLUX_URL = process.env.TEST_INFLUX_URL ?? 'http://127.0.0.1:18086';

if (process.env.BENCH_ROLE === 'generator') {
  const { port, devices } = JSON.parse(process.env.BENCH_ARGS);
  let acked = 0;
  let connected = 0;
  const started = { t: 0 };
  const finish = () => process.send({ acked, ms: performance.now() - started.t });
  devices.forEach((d, i) => {
    const msgs = [];
    for (let s = 0; s < PER_CONN; s++) {
      msgs.push(mqttPacket.generate({ cmd: 'publish', topic: `sanitation/v1/bin/${d.id}/telemetry`, qos: 1, messageId: (s % 65000) + 1, payload: `{"ts":${Date.now()},"seq":${s},"fillPct":${s % 100}}` }));
    }
    const sock = connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    let sent = 0;
    let acks = 0;
    let got = 0;
    sock.on('connect', () => sock.write(mqttPacket.generate({ cmd: 'connect', clientId: `b-${d.id}`, username: d.id, password: Buffer.from(d.secret), keepalive: 60, clean: true })));
    sock.on('data', (buf) => {
      got += buf.length;
      const packets = Math.floor(got / 4);
      got -= packets * 4;
      for (let k = 0; k < packets; k++) {
        if (sent === 0 && acks === 0 && k === 0 && !sock.connackSeen) {
          sock.connackSeen = true;
          if (++connected === devices.length) process.send({ ready: true });
          continue;
        }
        acks++;
        acked++;
        if (sent < msgs.length) sock.write(msgs[sent++]);
        if (acked === devices.length * PER_CONN) finish();
      }
    });
    process.setMaxListeners(0);
    process.on('message', (m) => {
      if (m === 'go') {
        if (!started.t) started.t = performance.now();
        for (let w = 0; w < WINDOW && sent < msgs.length; w++) sock.write(msgs[sent++]);
      }
    });
  });
} else if (process.env.BENCH_BARE) {
  // Same generator against a bare aedes (no hooks, nothing stored): the reference rate.
  const { Aedes } = await import('aedes');
  const { createServer: createNet } = await import('node:net');
  const aedes = await Aedes.createBroker();
  const server = createNet(aedes.handle);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const devices = Array.from({ length: CONNS }, (_, i) => ({ id: `bench-${i}`, secret: 'x' }));
  const child = fork(new URL(import.meta.url).pathname, process.argv.slice(2), { env: { ...process.env, BENCH_BARE: '', BENCH_ROLE: 'generator', BENCH_ARGS: JSON.stringify({ port: server.address().port, devices }) } });
  child.on('message', (m) => {
    if (m.ready) return child.send('go');
    console.log(`bare aedes: ${m.acked} acks in ${m.ms.toFixed(0)} ms → ${((m.acked / m.ms) * 1000).toFixed(0)} acks/s`);
    child.kill();
    process.exit(0);
  });
} else {
  const { hashDeviceSecret } = await import('@sanitation/contracts/credentials');
  const { parseGatewayConfig } = await import('../dist/config/gateway.config.js');
  const { startGateway } = await import('../dist/gateway.js');
  const devices = Array.from({ length: CONNS }, (_, i) => ({ id: `bench-${i}`, secret: `secret-${i}-xxxxxxxxxxxxxxxx` }));
  const body = JSON.stringify({ cursor: '1', full: true, devices: devices.map((d) => ({ deviceId: d.id, kind: 'bin', zone: 'z1', secretHash: hashDeviceSecret(d.secret), revoked: false })) });
  const stub = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise((r) => stub.listen(0, '127.0.0.1', r));
  const spoolDir = mkdtempSync(join(tmpdir(), 'gw-bench-'));
  const db = `gw_bench_${Date.now()}`;
  const gw = await startGateway(
    parseGatewayConfig({ INTERNAL_TOKEN: 'bench-token-0123456789', SERVER_URL: `http://127.0.0.1:${stub.address().port}`, MQTT_HOST: '127.0.0.1', MQTT_PORT: '0', MQTT_WS_PORT: '0', GATEWAY_HTTP_PORT: '0', INFLUX_URL, INFLUX_DB: db, SPOOL_DIR: spoolDir, LOG_LEVEL: 'warn', CREDENTIAL_SYNC_MS: '60000' }),
  );
  const child = fork(new URL(import.meta.url).pathname, process.argv.slice(2), { env: { ...process.env, BENCH_ROLE: 'generator', BENCH_ARGS: JSON.stringify({ port: gw.mqttPort, devices }) } });
  const t0 = { v: 0 };
  const total = CONNS * PER_CONN;
  child.on('message', async (m) => {
    if (m.ready) {
      t0.v = performance.now();
      child.send('go');
      return;
    }
    const ackRate = (m.acked / m.ms) * 1000;
    while (gw.stats().influx.written < total) await new Promise((r) => setTimeout(r, 20));
    const e2eMs = performance.now() - t0.v;
    const s = gw.stats();
    console.log(`acked ${m.acked} publishes in ${m.ms.toFixed(0)} ms → ${ackRate.toFixed(0)} acks/s; all ${s.influx.written} in InfluxDB after ${e2eMs.toFixed(0)} ms → ${((total / e2eMs) * 1000).toFixed(0)} readings/s end to end`);
    child.kill();
    await gw.stop();
    stub.close();
    await fetch(`${INFLUX_URL}/query?q=${encodeURIComponent(`DROP DATABASE "${db}"`)}`, { method: 'POST' });
    rmSync(spoolDir, { recursive: true, force: true });
    process.exit(0);
  });
}
