import { deviceTopic } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/gateway.js';
import { CredentialStub, deviceClient, dropDatabase, eventually, getStats, influxRows, publish, startTestGateway, tempDir, testConfig, uniqueDb } from './helpers.js';

describe('MQTT over WebSocket', () => {
  const db = uniqueDb('ws');
  const spool = tempDir('ws');
  let stub: CredentialStub;
  let gw: RunningGateway;

  beforeAll(async () => {
    stub = await new CredentialStub().start();
    gw = await startTestGateway(testConfig({ SERVER_URL: stub.url, INFLUX_DB: db, SPOOL_DIR: spool.dir, MAX_PACKET_BYTES: '4096' }));
  });

  afterAll(async () => {
    await gw?.stop();
    await stub?.stop();
    await dropDatabase(db);
    spool.cleanup();
  });

  it('authenticates, ingests and stores a reading sent over WebSocket', async () => {
    const truck = stub.add('truck-ws', 'truck', 'depot');
    await eventually(async () => (await getStats(gw.httpPort)).credentials.devices > 0);
    const client = await deviceClient(gw.wsPort, truck, {}, 'ws');
    const ts = Date.now();
    await publish(client, deviceTopic('truck', truck.deviceId, 'telemetry'), JSON.stringify({ ts, seq: 3, lat: 31.23, lon: 121.47, ignition: true }));
    client.end(true);
    const rows = await eventually(async () => {
      const r = await influxRows(db, 'truck', truck.deviceId);
      return r.length > 0 ? r : null;
    });
    expect(rows).toEqual([expect.objectContaining({ lat: 31.23, lon: 121.47, ignition: true, seq: 3, zone: 'depot' })]);
  });

  it('enforces the packet size limit over WebSocket too', async () => {
    const truck = stub.add('truck-ws2', 'truck');
    await eventually(async () => (await getStats(gw.httpPort)).credentials.devices > 1);
    const client = await deviceClient(gw.wsPort, truck, {}, 'ws');
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    // 4,500 bytes: within ws' frame limit (limit + 1 KiB), above the 4,096-byte MQTT packet limit.
    client.publish(deviceTopic('truck', truck.deviceId, 'telemetry'), 'x'.repeat(4500), { qos: 1 });
    await closed;
    client.end(true);
  });
});
