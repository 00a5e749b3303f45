import { INTERNAL_READINGS_TOPIC, type RejectReason } from '@sanitation/contracts';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { AccessControl } from './broker/auth.hook.js';
import { startBroker, type RunningBroker } from './broker/broker.js';
import type { GatewayConfig } from './config/gateway.config.js';
import { CredentialCache } from './credentials/credential-cache.js';
import { startHttpServer } from './http/http-server.js';
import { InfluxWriter } from './influx/influx-writer.js';
import { IngestStats } from './ingest/ingest-stats.js';
import { IngestService, rememberSpoolRecord } from './ingest/ingest.service.js';
import { SeqWindow } from './ingest/seq-window.js';
import { createLogger } from './logger.js';
import { Spool } from './spool/spool.js';

/** The JSON served at GET /stats. */
export interface GatewayStats {
  gatewayId: string;
  accepted: number;
  duplicates: number;
  rejected: {
    total: number;
    byReason: Partial<Record<RejectReason, number>>;
    byDevice: Record<string, Partial<Record<RejectReason, number>>>;
  };
  /** Readings: durably spooled but not yet confirmed by InfluxDB / confirmed since start. */
  spool: { pending: number; confirmed: number };
  influx: { written: number; dropped: number; lastError: string | null };
  /** Publishes delayed by the per-device rate limit / clients cut off for too large a backlog. */
  rateLimited: { delayed: number; disconnected: number };
  /** status/event/cmd-ack messages with an invalid payload (acked, not delivered). */
  invalidMessages: number;
  connections: number;
  credentials: { devices: number; synced: boolean; lastError: string | null };
}

export interface GatewayDeps {
  logger?: Logger;
  fetchImpl?: typeof fetch;
  /** Node flags for the InfluxDB writer's worker thread (tests running TypeScript pass a loader). */
  influxWorkerExecArgv?: string[];
}

export interface RunningGateway {
  mqttPort: number;
  wsPort: number;
  httpPort: number;
  stats(): GatewayStats;
  /** Graceful: stop accepting, commit the spool, write what InfluxDB takes within a few seconds. */
  stop(): Promise<void>;
  /** Abrupt (tests): close sockets and files without draining, like a crash minus the OS. */
  kill(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const logger = deps.logger ?? createLogger(config);
  const stats = new IngestStats();
  let access: AccessControl | null = null;
  const credentials = new CredentialCache({
    serverUrl: config.serverUrl,
    internalToken: config.internalToken,
    intervalMs: config.credentialSyncMs,
    logger,
    fetchImpl: deps.fetchImpl,
    onRevoked: (ids) => access?.disconnectDevices(ids),
  });

  let broker: RunningBroker | null = null;
  let writer: InfluxWriter | null = null;
  const seqWindow = new SeqWindow();
  const spool = await Spool.open({ dir: config.spoolDir, checkpointIntervalMs: config.spoolCheckpointMs, onWarning: (m) => logger.warn(m) }, (rec) =>
    rememberSpoolRecord(seqWindow, rec.payload, logger),
  );
  const ingest = new IngestService({
    gatewayId: config.gatewayId,
    spool,
    seqWindow,
    credentials,
    stats,
    logger,
    publishBatch: (payload) => {
      broker?.aedes.publish({ cmd: 'publish', topic: INTERNAL_READINGS_TOPIC, payload, qos: 1, retain: false, dup: false }, (err) => {
        if (err) logger.warn({ err: err.message }, 'could not hand readings to the server topic');
      });
    },
    onCommitted: () => writer?.notify(),
  });

  await credentials.start();
  if (!credentials.synced) logger.warn({ server: config.serverUrl }, 'starting without device credentials; devices are refused until the server answers');

  access = new AccessControl({
    credentials,
    ingest,
    stats,
    internalToken: config.internalToken,
    authDisabled: config.authDisabled,
    publishRatePerS: config.publishRatePerS,
    publishBurst: config.publishBurst,
    logger,
  });
  if (config.authDisabled) logger.warn('MQTT authentication is DISABLED (development conformance listener)');

  writer = new InfluxWriter({ influx: config.influx, spool, spoolDir: config.spoolDir, logger, workerExecArgv: deps.influxWorkerExecArgv });
  writer.start();

  const runningWriter = writer;
  const snapshot = (): GatewayStats => ({
    gatewayId: config.gatewayId,
    accepted: stats.accepted,
    duplicates: stats.duplicates,
    rejected: {
      total: stats.rejectedTotal,
      byReason: { ...stats.rejectedByReason },
      byDevice: Object.fromEntries([...stats.rejectedByDevice].map(([id, r]) => [id, { ...r }])),
    },
    spool: { pending: spool.pendingReadings, confirmed: spool.confirmedReadings },
    influx: { written: runningWriter.written, dropped: runningWriter.dropped, lastError: runningWriter.lastError },
    rateLimited: { delayed: stats.rateLimitedDelayed, disconnected: stats.rateLimitedDisconnected },
    invalidMessages: stats.invalidMessages,
    connections: broker?.aedes.connectedClients ?? 0,
    credentials: { devices: credentials.size, synced: credentials.synced, lastError: credentials.lastError },
  });

  let http: { server: Server; port: number };
  try {
    broker = await startBroker({
      host: config.mqttHost,
      port: config.mqttPort,
      wsPort: config.mqttWsPort,
      maxPacketBytes: config.maxPacketBytes,
      connectTimeoutMs: config.connectTimeoutMs,
      keepaliveMaxS: config.keepaliveMaxS,
      access,
      logger,
    });
    http = await startHttpServer(config.mqttHost, config.httpPort, snapshot);
  } catch (err) {
    // e.g. a port in use: leave no thread, timer or open file behind.
    credentials.stop();
    await runningWriter.kill();
    await broker?.close();
    await spool.close().catch(() => {});
    throw err;
  }
  const runningBroker = broker;

  logger.info(
    { mqttPort: runningBroker.mqttPort, wsPort: runningBroker.wsPort, httpPort: http.port, spool: config.spoolDir, influx: config.influx.url },
    'gateway listening',
  );

  let stopped = false;
  return {
    mqttPort: runningBroker.mqttPort,
    wsPort: runningBroker.wsPort,
    httpPort: http.port,
    stats: snapshot,
    async stop() {
      if (stopped) return;
      stopped = true;
      credentials.stop();
      await runningBroker.close();
      ingest.flush();
      await spool.close().catch((err: Error) => logger.error({ err: err.message }, 'spool close failed'));
      await runningWriter.stop(5000);
      http.server.close();
      http.server.closeAllConnections();
      logger.info({ pending: spool.pendingReadings }, 'gateway stopped');
    },
    async kill() {
      if (stopped) return;
      stopped = true;
      credentials.stop();
      await runningBroker.close();
      await runningWriter.kill();
      await spool.close().catch(() => {});
      http.server.close();
      http.server.closeAllConnections();
    },
  };
}
