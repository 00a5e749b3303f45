// Devices of the dispatch benchmark: the event bins (each fills up once, crossing the threshold)
// and the background-load bins, registered through the real API (POST /api/devices/import), and
// MQTT.js clients for the event bins.
import mqtt from 'mqtt';
import { INTERNAL_READINGS_TOPIC, SERVICE_USERNAME_PREFIX, deviceTopic } from '@sanitation/contracts';

/** Hangzhou's core districts: [west, south, east, north]. */
export const CITY_BBOX = /** @type {const} */ ([120.05, 30.18, 120.3, 30.35]);

/** Deterministic positions (a small LCG) so runs compare. @param {number} seed */
function positions(seed) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return () => ({ lon: CITY_BBOX[0] + next() * (CITY_BBOX[2] - CITY_BBOX[0]), lat: CITY_BBOX[1] + next() * (CITY_BBOX[3] - CITY_BBOX[1]) });
}

/**
 * `count` bin ids `<prefix>-0001`… with positions in the city.
 * @param {string} prefix @param {number} count @param {number} seed
 */
export function makeBins(prefix, count, seed) {
  const at = positions(seed);
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${String(i + 1).padStart(width, '0')}`, ...at() }));
}

/**
 * Registers bins with one import call per 5,000; returns deviceId → secret.
 * @param {{ api: (m: string, p: string, b?: unknown) => Promise<any> }} stack @param {{ id: string, lat: number, lon: number }[]} bins
 */
export async function registerBins(stack, bins) {
  /** @type {Map<string, string>} */
  const secrets = new Map();
  for (let i = 0; i < bins.length; i += 5000) {
    const chunk = bins.slice(i, i + 5000);
    const body = {
      type: 'FeatureCollection',
      features: chunk.map((b) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [b.lon, b.lat] },
        properties: { id: b.id, kind: 'bin', name: `Bench bin ${b.id}`, attributes: { capacityL: 240 } },
      })),
    };
    const res = await stack.api('POST', '/api/devices/import', body);
    if (res.errors?.length) throw new Error(`device import refused ${res.errors.length} bins, e.g. ${JSON.stringify(res.errors[0])}`);
    for (const c of res.created) secrets.set(c.deviceId, c.secret);
  }
  return secrets;
}

/** A bin reading as firmware sends it. @param {number} seq @param {number} fillPct */
export function binReading(seq, fillPct) {
  return JSON.stringify({ ts: Date.now(), seq, fillPct, tempC: 21, tilted: false, batteryPct: 90 });
}

/**
 * One MQTT.js client per event bin, connected with its credentials (bounded concurrency,
 * retried while the gateway's credential cache catches up with the import).
 * @param {{ port: number, bins: { id: string }[], secrets: Map<string, string>, concurrency?: number }} p
 */
export async function connectEventBins({ port, bins, secrets, concurrency = 50 }) {
  /** @type {Map<string, import('mqtt').MqttClient>} */
  const clients = new Map();
  let next = 0;
  const worker = async () => {
    while (next < bins.length) {
      const bin = bins[next++];
      for (let attempt = 0; ; attempt++) {
        try {
          const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
            clientId: bin.id,
            username: bin.id,
            password: secrets.get(bin.id),
            clean: true,
            keepalive: 60,
            reconnectPeriod: 0,
            connectTimeout: 10_000,
          });
          clients.set(bin.id, client);
          break;
        } catch (err) {
          if (attempt >= 20) throw new Error(`${bin.id}: cannot connect: ${/** @type {Error} */ (err).message}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bins.length) }, worker));
  return {
    clients,
    /**
     * QoS 1 publish of one reading; resolves on PUBACK.
     * @param {string} deviceId @param {number} seq @param {number} fillPct
     */
    publish(deviceId, seq, fillPct) {
      const client = clients.get(deviceId);
      if (!client) throw new Error(`no client for ${deviceId}`);
      return client.publishAsync(deviceTopic('bin', deviceId, 'telemetry'), binReading(seq, fillPct), { qos: 1 });
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.endAsync().catch(() => undefined)));
    },
  };
}

/**
 * A service client on the gateway's `$internal/v1/readings` (as the server is), calling
 * `onReading(deviceId)` when a reading of a device whose id starts with `prefix` and has `seq`
 * is handed to the core. Batches without the prefix are not parsed (the background load).
 * @param {{ port: number, internalToken: string, prefix: string, seq: number, onReading: (deviceId: string) => void }} p
 */
export async function tapHandoffs({ port, internalToken, prefix, seq, onReading }) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: 'bench-dispatch-tap',
    username: `${SERVICE_USERNAME_PREFIX}bench-dispatch-tap`,
    password: internalToken,
    clean: true,
    reconnectPeriod: 0,
  });
  const marker = Buffer.from(`"${prefix}`);
  client.on('message', (_topic, payload) => {
    if (!payload.includes(marker)) return;
    const batch = JSON.parse(payload.toString('utf8'));
    for (const r of batch.readings ?? []) if (r.seq === seq && String(r.deviceId).startsWith(prefix)) onReading(r.deviceId);
  });
  await client.subscribeAsync(INTERNAL_READINGS_TOPIC, { qos: 0 });
  return client;
}
