import { deviceTopic } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { deviceClient, eventually, getStats, influxRows, publish, useTestGateway } from './helpers.js';

describe('MQTT over WebSocket', () => {
  const t = useTestGateway('ws', { env: { MAX_PACKET_BYTES: '4096' } });
  const { db } = t;

  it('authenticates, ingests and stores a reading sent over WebSocket', async () => {
    const truck = t.stub.add('truck-ws', 'truck', 'depot');
    await eventually(async () => (await getStats(t.gw.httpPort)).credentials.devices > 0);
    const client = await deviceClient(t.gw.wsPort, truck, {}, 'ws');
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
    const truck = t.stub.add('truck-ws2', 'truck');
    await eventually(async () => (await getStats(t.gw.httpPort)).credentials.devices > 1);
    const client = await deviceClient(t.gw.wsPort, truck, {}, 'ws');
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    // 4,500 bytes: within ws' frame limit (limit + 1 KiB), above the 4,096-byte MQTT packet limit.
    client.publish(deviceTopic('truck', truck.deviceId, 'telemetry'), 'x'.repeat(4500), { qos: 1 });
    await closed;
    client.end(true);
  });
});
