import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  INTERNAL_READINGS_TOPIC,
  SERVICE_USERNAME_PREFIX,
  deviceCommandAckSchema,
  deviceStatusSchema,
  type DeviceCommandAck,
  type DeviceKind,
  parseDeviceTopic,
  readingsBatchSchema,
} from '@sanitation/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { Subject, type Observable } from 'rxjs';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { DevicePresenceStore } from '../devices/device-presence.store.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { LastSeenWriter } from './last-seen.writer.js';
import { ReadingsBus } from './readings.bus.js';

/** `+` matches one level; every device's retained `status`. */
const STATUS_TOPIC_FILTER = 'sanitation/v1/+/+/status';
/** Every device's answer to a command (the gateway lets a device publish only its own). */
const CMD_ACK_TOPIC_FILTER = 'sanitation/v1/+/+/cmd/ack';
/** How long publish() waits for a gateway's PUBACK before calling that gateway failed. */
const PUBLISH_TIMEOUT_MS = 5_000;
const RECONNECT_MS = 1000;

interface GatewayLink {
  url: string;
  client: MqttClient;
  connected: boolean;
  lastError?: string;
}

export interface ConsumerStats {
  batches: number;
  readings: number;
  invalidPayloads: number;
  statusMessages: number;
  cmdAcks: number;
  invalidCmdAcks: number;
}

/** A device's cmd/ack, validated with the contracts schema; deviceId/kind come from the topic. */
export interface ReceivedCommandAck {
  deviceId: string;
  kind: DeviceKind;
  ack: DeviceCommandAck;
}

/**
 * Subscribes to each gateway's broker as a service client and turns accepted readings into
 * registry sightings and a stream for the rules. A persistent session (clean: false, stable
 * clientId) lets the gateway queue QoS 1 batches while the server restarts [MQTT-3.1.2-4].
 * mqtt.js reconnects on its own, so a gateway that is not up yet is retried every second.
 */
@Injectable()
export class ReadingsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly links: GatewayLink[] = [];
  private readonly logger: Logger;
  readonly stats: ConsumerStats = { batches: 0, readings: 0, invalidPayloads: 0, statusMessages: 0, cmdAcks: 0, invalidCmdAcks: 0 };
  private readonly acks = new Subject<ReceivedCommandAck>();
  /** Parsed cmd/ack messages from every gateway (QoS 1: the same ack may arrive twice). */
  readonly commandAcks$: Observable<ReceivedCommandAck> = this.acks.asObservable();

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(LOGGER) logger: Logger,
    private readonly lastSeen: LastSeenWriter,
    private readonly presence: DevicePresenceStore,
    private readonly bus: ReadingsBus,
  ) {
    this.logger = logger.child({ module: 'readings-consumer' });
  }

  onApplicationBootstrap(): void {
    for (const url of this.config.GATEWAY_MQTT_URLS) this.links.push(this.connect(url));
  }

  /** Per gateway URL: is the consumer connected right now. */
  connections(): { url: string; connected: boolean; lastError?: string }[] {
    return this.links.map(({ url, connected, lastError }) => ({ url, connected, ...(lastError ? { lastError } : {}) }));
  }

  /**
   * Publishes to every connected gateway at QoS 1 (a device is connected to one of them; the
   * others have no subscriber and drop it). Resolves when at least one gateway PUBACKed; rejects
   * when none is connected or none acknowledged within PUBLISH_TIMEOUT_MS.
   */
  async publish(topic: string, payload: string): Promise<void> {
    const live = this.links.filter((l) => l.connected);
    if (!live.length) throw new Error('no gateway connected');
    const results = await Promise.allSettled(
      live.map(
        ({ client }) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no PUBACK from gateway')), PUBLISH_TIMEOUT_MS);
            client.publish(topic, payload, { qos: 1 }, (err) => {
              clearTimeout(timer);
              if (err) reject(err);
              else resolve();
            });
          }),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === results.length) throw new Error(`no gateway accepted the publish: ${(failed[0]?.reason as Error)?.message}`);
  }

  private connect(url: string): GatewayLink {
    const name = `server-${this.config.SERVER_INSTANCE}`;
    const client = mqtt.connect(url, {
      protocolVersion: 4,
      clientId: name,
      username: `${SERVICE_USERNAME_PREFIX}${name}`,
      password: this.config.INTERNAL_TOKEN,
      clean: false,
      reconnectPeriod: RECONNECT_MS,
      connectTimeout: 5_000,
      resubscribe: false, // we subscribe on every connect ourselves
    });
    const link: GatewayLink = { url, client, connected: false };
    client.on('connect', (connack) => {
      link.connected = true;
      delete link.lastError;
      this.logger.info({ url, sessionPresent: connack.sessionPresent }, 'connected to gateway');
      client.subscribe({ [INTERNAL_READINGS_TOPIC]: { qos: 1 }, [STATUS_TOPIC_FILTER]: { qos: 1 }, [CMD_ACK_TOPIC_FILTER]: { qos: 1 } }, (err, granted) => {
        const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? [];
        if (err || refused.length) this.logger.error({ url, err, refused }, 'gateway refused our subscriptions');
      });
    });
    client.on('close', () => {
      if (link.connected) this.logger.warn({ url }, 'lost connection to gateway; reconnecting');
      link.connected = false;
    });
    client.on('error', (err) => {
      // Repeats every reconnect attempt while a gateway is down: log the first, then at debug.
      const first = link.lastError !== err.message;
      link.lastError = err.message;
      this.logger[first ? 'warn' : 'debug']({ url, err: err.message }, 'gateway connection error');
    });
    client.on('message', (topic, payload) => this.handle(url, topic, payload));
    // mqtt.js sends the PUBACK when handleMessage calls back, after 'message' was emitted, and takes
    // the next packet only then. Waiting for the readings' work (rules → jobs in the database) means
    // an acknowledged hand-off is a processed one; a crash before that gets the batch redelivered
    // through the persistent session [MQTT-4.4.0-1].
    client.handleMessage = (packet, callback) => {
      if (packet.cmd !== 'publish' || packet.topic !== INTERNAL_READINGS_TOPIC) return callback();
      void this.bus.settled().then(() => callback());
    };
    return link;
  }

  /** Never throws: a bad payload is logged and counted, and the next message is handled as usual. */
  private handle(url: string, topic: string, payload: Buffer): void {
    try {
      if (topic === INTERNAL_READINGS_TOPIC) this.handleReadings(url, payload);
      else if (topic.endsWith('/cmd/ack')) this.handleCommandAck(url, topic, payload);
      else this.handleStatus(topic, payload);
    } catch (err) {
      this.stats.invalidPayloads++;
      this.logger.error({ url, topic, err }, 'failed to handle message');
    }
  }

  private handleReadings(url: string, payload: Buffer): void {
    let decoded: unknown;
    try {
      decoded = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      this.invalid(url, `malformed JSON: ${(err as Error).message}`);
      return;
    }
    const parsed = readingsBatchSchema.safeParse(decoded);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.invalid(url, `${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
      return;
    }
    const { readings } = parsed.data;
    this.stats.batches++;
    this.stats.readings += readings.length;
    // Clamp to our clock: a gateway whose clock runs ahead must not pin last_seen_at in the future.
    const now = Date.now();
    for (const r of readings) this.lastSeen.note(r.deviceId, new Date(Math.max(0, Math.min(r.receivedAt, now))));
    this.bus.publish(readings);
  }

  private handleStatus(topic: string, payload: Buffer): void {
    const parsed = parseDeviceTopic(topic);
    if (!parsed || parsed.channel !== 'status') return;
    if (payload.length === 0) return; // retained message cleared
    const status = deviceStatusSchema.safeParse(payload.toString('utf8').trim().replace(/^"(.*)"$/, '$1'));
    if (!status.success) {
      this.logger.debug({ topic }, 'ignoring unknown status payload');
      return;
    }
    this.stats.statusMessages++;
    this.presence.set(parsed.deviceId, status.data);
    if (status.data === 'online') this.lastSeen.note(parsed.deviceId, new Date());
  }

  private handleCommandAck(url: string, topic: string, payload: Buffer): void {
    const parsed = parseDeviceTopic(topic);
    if (!parsed || parsed.channel !== 'cmd/ack') return;
    let ack: DeviceCommandAck;
    try {
      const result = deviceCommandAckSchema.safeParse(JSON.parse(payload.toString('utf8')));
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new Error(`${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
      }
      ack = result.data;
    } catch (err) {
      this.stats.invalidCmdAcks++;
      this.logger.warn({ url, topic, detail: (err as Error).message, invalidCmdAcks: this.stats.invalidCmdAcks }, 'invalid cmd/ack payload');
      return;
    }
    this.stats.cmdAcks++;
    this.acks.next({ deviceId: parsed.deviceId, kind: parsed.kind, ack });
  }

  private invalid(url: string, detail: string): void {
    this.stats.invalidPayloads++;
    this.logger.warn({ url, detail, invalidPayloads: this.stats.invalidPayloads }, `invalid payload on ${INTERNAL_READINGS_TOPIC}`);
  }

  /**
   * Shutdown phases order the teardown: clients end here (onModuleDestroy), LastSeenWriter flushes
   * in beforeApplicationShutdown, the database closes in onApplicationShutdown.
   */
  async onModuleDestroy(): Promise<void> {
    this.acks.complete();
    await Promise.all(
      this.links.map(({ client }) =>
        client.connected ? client.endAsync().catch(() => client.end(true)) : Promise.resolve(client.end(true)),
      ),
    );
  }
}
