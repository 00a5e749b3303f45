import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { deviceTopic } from '@sanitation/contracts';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CredentialStub,
  deviceClient,
  dropDatabase,
  eventually,
  getStats,
  InfluxOutageProxy,
  influxQuery,
  INTERNAL_TOKEN,
  startTestGateway,
  storedSeqs,
  tempDir,
  testConfig,
  uniqueDb,
  type TestDevice,
} from './helpers.js';

const gatewayRoot = fileURLToPath(new URL('..', import.meta.url));
const DIST = '.tmp/durability-dist';

/** Publishes `count` readings (seq from `firstSeq`), keeping `window` in flight; returns the acked seqs. */
async function publishReadings(client: MqttClient, d: TestDevice, firstSeq: number, count: number, window = 20): Promise<Set<number>> {
  const acked = new Set<number>();
  const topic = deviceTopic(d.kind, d.deviceId, 'telemetry');
  let next = firstSeq;
  const end = firstSeq + count;
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    let finished = false;
    const pump = () => {
      while (!finished && inFlight < window && next < end) {
        const seq = next++;
        inFlight++;
        client.publish(topic, JSON.stringify({ ts: Date.now(), seq, fillPct: seq % 100 }), { qos: 1 }, (err) => {
          inFlight--;
          if (!err) acked.add(seq);
          if (err || client.disconnected) finished = true;
          if ((next >= end || finished) && inFlight === 0) resolve();
          else pump();
        });
      }
    };
    client.once('close', () => {
      finished = true;
      resolve();
    });
    pump();
  });
  return acked;
}

describe('durability', () => {
  let stub: CredentialStub;
  let proxy: InfluxOutageProxy;

  beforeAll(async () => {
    stub = await new CredentialStub().start();
    proxy = await new InfluxOutageProxy().start();
  });

  afterAll(async () => {
    await stub?.stop();
    await proxy?.stop();
  });

  it('keeps acking while InfluxDB is down and stores every acked reading once it returns', async () => {
    const db = uniqueDb('outage');
    const spool = tempDir('outage');
    const dev = stub.add('bin-outage', 'bin');
    const gw = await startTestGateway(testConfig({ SERVER_URL: stub.url, INFLUX_URL: proxy.url, INFLUX_DB: db, SPOOL_DIR: spool.dir }));
    try {
      // Let the writer create the database, then cut InfluxDB off.
      await eventually(async () => (await getStats(gw.httpPort)).influx.lastError === null);
      proxy.setDown(true);
      const client = await deviceClient(gw.mqttPort, dev);
      const acked = await publishReadings(client, dev, 0, 500);
      client.end(true);
      expect(acked.size).toBe(500);
      const during = await getStats(gw.httpPort);
      expect(during.accepted).toBe(500);
      await eventually(async () => (await getStats(gw.httpPort)).influx.lastError !== null);
      expect((await storedSeqs(db, 'bin', dev.deviceId)).points).toBe(0);

      proxy.setDown(false);
      const stored = await eventually(async () => {
        const s = await storedSeqs(db, 'bin', dev.deviceId);
        return s.points >= 500 ? s : null;
      }, 30_000);
      expect(stored.points).toBe(500);
      for (const seq of acked) expect(stored.seqs.has(seq)).toBe(true);
      await eventually(async () => (await getStats(gw.httpPort)).spool.pending === 0);
    } finally {
      proxy.setDown(false);
      await gw.stop();
      await dropDatabase(db);
      spool.cleanup();
    }
  });

  it('stop() writes the whole backlog to InfluxDB before it returns (writer thread drains)', async () => {
    const db = uniqueDb('drain');
    const spool = tempDir('drain');
    const dev = stub.add('bin-drain', 'bin');
    // No rate limit here: the backlog should build quickly.
    const gw = await startTestGateway(
      testConfig({ SERVER_URL: stub.url, INFLUX_URL: proxy.url, INFLUX_DB: db, SPOOL_DIR: spool.dir, PUBLISH_RATE_PER_S: '100000', PUBLISH_BURST: '100000' }),
    );
    try {
      await eventually(async () => JSON.stringify(await influxQuery(db, 'SHOW DATABASES')).includes(db));
      proxy.setDown(true); // build a backlog that only the drain can write
      const client = await deviceClient(gw.mqttPort, dev);
      const acked = await publishReadings(client, dev, 0, 2000);
      client.end(true);
      expect(acked.size).toBe(2000);
      proxy.setDown(false);
      await gw.stop();
      const stored = await storedSeqs(db, 'bin', dev.deviceId);
      expect(stored.points).toBe(2000);
    } finally {
      proxy.setDown(false);
      await gw.stop();
      await dropDatabase(db);
      spool.cleanup();
    }
  });

  describe('SIGKILL of the gateway process', () => {
    const children = new Set<ChildProcess>();

    beforeAll(() => {
      // The child runs the real entry point, compiled into a private folder: rewriting dist/ here
      // could race other suites (infra e2e) that start dist/main.js at the same time.
      execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json', '--outDir', DIST, '--sourceMap', 'false', '--declaration', 'false'], {
        cwd: gatewayRoot,
        stdio: 'inherit',
      });
    }, 60_000);

    afterAll(() => {
      for (const c of children) c.kill('SIGKILL');
    });

    function spawnGateway(env: Record<string, string>): Promise<{ child: ChildProcess; mqttPort: number; httpPort: number }> {
      const child = spawn(process.execPath, [`${DIST}/main.js`], {
        cwd: gatewayRoot,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return new Promise((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (line) => {
          try {
            const entry = JSON.parse(line) as { msg?: string; mqttPort?: number; httpPort?: number };
            if (entry.msg === 'gateway listening') resolve({ child, mqttPort: entry.mqttPort!, httpPort: entry.httpPort! });
          } catch {
            // not JSON; ignore
          }
        });
        child.once('exit', (code) => reject(new Error(`gateway exited early with ${code}`)));
      });
    }

    it('loses no acked reading and stores each exactly once after SIGKILL and restart on the same spool', async () => {
      const db = uniqueDb('sigkill');
      const spool = tempDir('sigkill');
      const devices = [stub.add('bin-kill-1', 'bin'), stub.add('bin-kill-2', 'bin'), stub.add('bin-kill-3', 'bin')];
      const env = {
        INTERNAL_TOKEN,
        SERVER_URL: stub.url,
        INFLUX_URL: proxy.url,
        INFLUX_DB: db,
        SPOOL_DIR: spool.dir,
        MQTT_HOST: '127.0.0.1',
        MQTT_PORT: '0',
        MQTT_WS_PORT: '0',
        GATEWAY_HTTP_PORT: '0',
        GATEWAY_ID: 'gw-kill',
        CREDENTIAL_SYNC_MS: '200',
        LOG_LEVEL: 'info',
      };
      try {
        const first = await spawnGateway(env);
        // InfluxDB down while the gateway dies, so the spool (not InfluxDB) must carry the data.
        await eventually(async () => (await getStats(first.httpPort)).influx.lastError === null);
        proxy.setDown(true);
        const clients = await Promise.all(devices.map((d) => deviceClient(first.mqttPort, d, { clientId: `kill-${d.deviceId}` })));
        const running = devices.map((d, i) => publishReadings(clients[i]!, d, 0, 100_000));
        await eventually(async () => (await getStats(first.httpPort)).accepted >= 1500);
        first.child.kill('SIGKILL');
        const acked = await Promise.all(running);
        for (const c of clients) c.end(true);
        expect(acked.reduce((n, s) => n + s.size, 0)).toBeGreaterThanOrEqual(1500);

        proxy.setDown(false);
        const second = await spawnGateway(env);
        for (const [i, d] of devices.entries()) {
          const stored = await eventually(async () => {
            const s = await storedSeqs(db, 'bin', d.deviceId);
            return [...acked[i]!].every((seq) => s.seqs.has(seq)) ? s : null;
          }, 30_000);
          // Exactly once: one point per seq, nothing beyond what was sent.
          expect(stored.points).toBe(stored.seqs.size);
          expect(stored.points).toBeGreaterThanOrEqual(acked[i]!.size);
        }
        second.child.kill('SIGTERM');
        await new Promise((r) => second.child.once('exit', r));
      } finally {
        proxy.setDown(false);
        await dropDatabase(db);
        spool.cleanup();
      }
    });
  });
});
