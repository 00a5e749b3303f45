import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { REJECT_REASONS } from '@sanitation/contracts';
import type { GatewayStats } from '../gateway.js';

/**
 * Prometheus metrics read the same counters as /stats at scrape time (collect callbacks), so
 * the ingest hot path only bumps plain numbers. `stats` is one snapshot per scrape: building it
 * copies the per-device rejection map, so the collectors must not each build their own.
 */
function buildRegistry(stats: () => GatewayStats): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  const counter = (name: string, help: string, read: (s: GatewayStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(stats()));
      },
    });
  counter('gateway_readings_accepted_total', 'Readings validated and durably spooled', (s) => s.accepted);
  counter('gateway_readings_duplicate_total', 'Readings dropped as duplicates (deviceId, seq)', (s) => s.duplicates);
  counter('gateway_influx_points_written_total', 'Points confirmed by InfluxDB', (s) => s.influx.written);
  counter('gateway_publish_rate_limited_total', 'Publishes delayed by the per-device rate limit', (s) => s.rateLimited.delayed);
  new Counter({
    name: 'gateway_readings_rejected_total',
    help: 'Readings rejected, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      const byReason = stats().rejected.byReason;
      for (const reason of REJECT_REASONS) this.inc({ reason }, byReason[reason] ?? 0);
    },
  });
  const gauge = (name: string, help: string, read: (s: GatewayStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  gauge('gateway_mqtt_connections', 'Open MQTT connections', (s) => s.connections);
  gauge('gateway_spool_pending_readings', 'Spooled readings not yet confirmed by InfluxDB', (s) => s.spool.pending);
  gauge('gateway_influx_healthy', '1 when the last InfluxDB write succeeded', (s) => (s.influx.lastError ? 0 : 1));
  return registry;
}

export async function startHttpServer(host: string, port: number, stats: () => GatewayStats): Promise<{ server: Server; port: number }> {
  let scrape: GatewayStats | null = null;
  const registry = buildRegistry(() => (scrape ??= stats()));
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/healthz') {
      const s = stats();
      const body = { status: s.influx.lastError ? 'degraded' : 'ok', gatewayId: s.gatewayId, influx: s.influx.lastError ?? 'ok', connections: s.connections };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } else if (path === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats()));
    } else if (path === '/metrics') {
      scrape = null;
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `no route ${path}` }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
