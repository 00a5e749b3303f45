import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  deviceCommandSchema,
  deviceTopic,
  MAX_TELEMETRY_BATCH,
  type DeviceCommand,
  type DeviceCommandAck,
  type DeviceKind,
  type ReadingValues,
} from '@sanitation/contracts';
import { Backoff } from './backoff.js';
import { StoreForwardBuffer, type BufferedReading } from './store-forward.buffer.js';

export interface FirmwareOptions {
  deviceId: string;
  kind: DeviceKind;
  secret: string;
  mqttUrl: string;
  /** Store-and-forward capacity, readings. */
  bufferSize: number;
  /** Largest batch flushed at once, readings (the wire contract allows 500). */
  maxBatch: number;
  /** Batches awaiting PUBACK at once. */
  maxInflightBatches: number;
  keepaliveS: number;
  /**
   * Least real time between two telemetry publishes, ms. Readings produced faster (a truck at a
   * high speed factor) wait and go out together as one batch, keeping a device well under the
   * gateway's per-device publish rate.
   */
  minPublishIntervalMs?: number;
  connectTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Sim clock (epoch ms) for command acks. */
  now: () => number;
  /** Carries out a command; returns an error text when it cannot. */
  onCommand: (cmd: DeviceCommand) => string | null;
  onLog?: (msg: string) => void;
}

export interface FirmwareCounters {
  /** Good readings handed to the broker at least once. */
  published: number;
  /** Good readings whose PUBACK arrived (each counted once; a batch ack counts all its readings). */
  acked: number;
  /** Publishes that failed (error callback or connection lost before the PUBACK). */
  sendFailures: number;
  /** Readings dropped because the buffer was full. */
  dropped: number;
  /** Garbage payloads sent on purpose (expected to be rejected; never counted as acked). */
  garbageSent: number;
  /** Garbage payloads the broker PUBACKed anyway (it may ack and drop). */
  garbageAcked: number;
  connects: number;
  disconnects: number;
  commands: number;
  lastSeq: number;
}

/** One field device's connectivity firmware: MQTT session, seq numbering, store-and-forward, commands. */
export class DeviceFirmware {
  readonly counters: FirmwareCounters = {
    published: 0, acked: 0, sendFailures: 0, dropped: 0, garbageSent: 0, garbageAcked: 0, connects: 0, disconnects: 0, commands: 0, lastSeq: -1,
  };
  readonly buffer: StoreForwardBuffer;
  private client: MqttClient | null = null;
  private connected = false;
  /** Bumped on every connection so a late callback from an old session is ignored. */
  private epoch = 0;
  private seq = 0;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  /**
   * Highest seq handed to the broker so far. The buffer sends in seq order and requeued readings
   * go back in order, so every reading up to it has been published at least once.
   */
  private highestSent = -1;
  private lastPublishAt = -Infinity;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly topics: { telemetry: string; status: string; cmd: string; ack: string };
  lastError: string | null = null;

  constructor(private readonly opts: FirmwareOptions) {
    this.buffer = new StoreForwardBuffer(opts.bufferSize);
    this.backoff = new Backoff(opts.backoffInitialMs, opts.backoffMaxMs);
    const t = (c: Parameters<typeof deviceTopic>[2]) => deviceTopic(opts.kind, opts.deviceId, c);
    this.topics = { telemetry: t('telemetry'), status: t('status'), cmd: t('cmd'), ack: t('cmd/ack') };
  }

  get id(): string {
    return this.opts.deviceId;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get started(): boolean {
    return this.client !== null;
  }

  /** Opens the MQTT session (once); reconnects on its own afterwards. */
  start(): void {
    if (this.client) return;
    const options: IClientOptions = {
      clientId: this.opts.deviceId,
      username: this.opts.deviceId,
      password: this.opts.secret,
      protocolVersion: 4,
      // Persistent session: the broker keeps our cmd subscription and queued commands across drops.
      clean: false,
      keepalive: this.opts.keepaliveS,
      connectTimeout: this.opts.connectTimeoutMs,
      // Our own backoff with jitter instead of MQTT.js's fixed period.
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      will: { topic: this.topics.status, payload: Buffer.from('offline'), qos: 1, retain: true },
    };
    const client = mqtt.connect(this.opts.mqttUrl, options);
    this.client = client;
    client.on('connect', (connack) => this.onConnect(connack.sessionPresent));
    client.on('close', () => this.onClose());
    client.on('error', (err) => {
      this.lastError = err.message;
    });
    client.on('message', (topic, payload) => {
      if (topic === this.topics.cmd) this.onCommandMessage(payload);
    });
  }

  /** Records a measurement: numbers it and sends it now, or keeps it until the broker is back. */
  record(ts: number, values: ReadingValues): BufferedReading {
    const reading = { ...values, ts, seq: this.seq++ } as BufferedReading;
    this.counters.lastSeq = reading.seq;
    this.buffer.push(reading);
    this.counters.dropped = this.buffer.dropped;
    this.flush();
    return reading;
  }

  /** Consumes a seq number for a garbage reading so it can never collide with a good one. */
  takeSeq(): number {
    const s = this.seq++;
    this.counters.lastSeq = s;
    return s;
  }

  /** Sends a deliberately bad payload (fault injection). Counted apart from good readings. */
  sendGarbage(payload: string | Buffer): boolean {
    if (!this.client || !this.connected || this.stopping) return false;
    this.counters.garbageSent++;
    const epoch = this.epoch;
    this.client.publish(this.topics.telemetry, payload, { qos: 1 }, (err) => {
      if (!err && epoch === this.epoch) this.counters.garbageAcked++;
    });
    return true;
  }

  /** Sends pending readings: a single object, or arrays of ≤ maxBatch after an outage. */
  flush(): void {
    const client = this.client;
    if (!client || !this.connected || this.stopping || this.flushTimer) return;
    const wait = this.lastPublishAt + (this.opts.minPublishIntervalMs ?? 0) - performance.now();
    if (wait > 0 && this.buffer.pendingCount > 0) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, wait);
      return;
    }
    while (this.buffer.pendingCount > 0 && this.buffer.inflightBatches < this.opts.maxInflightBatches) {
      this.lastPublishAt = performance.now();
      const batch = this.buffer.take(Math.min(this.opts.maxBatch, MAX_TELEMETRY_BATCH));
      if (!batch) break;
      for (const r of batch.readings) {
        if (r.seq > this.highestSent) {
          this.highestSent = r.seq;
          this.counters.published++;
        }
      }
      const body = batch.readings.length === 1 ? batch.readings[0] : batch.readings;
      const epoch = this.epoch;
      client.publish(this.topics.telemetry, JSON.stringify(body), { qos: 1 }, (err) => {
        if (epoch !== this.epoch) return; // the connection it was sent on is gone; already requeued
        if (err) {
          this.counters.sendFailures++;
          this.lastError = err.message;
          this.buffer.requeue(batch.id);
          return;
        }
        const n = this.buffer.ack(batch.id);
        this.counters.acked += n;
        this.flush();
      });
    }
  }

  /** Waits until every buffered reading is acknowledged, or the timeout passes. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.size > 0 && Date.now() < deadline) {
      this.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.buffer.size === 0;
  }

  /** Graceful shutdown: retained `offline`, then DISCONNECT (a clean disconnect suppresses the will). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const client = this.client;
    if (!client) return;
    if (this.connected) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        client.publish(this.topics.status, 'offline', { qos: 1, retain: true }, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await new Promise<void>((resolve) => {
      // A broker that stopped answering must not hold up shutdown: give up and cut the socket.
      const timer = setTimeout(() => client.end(true, {}, () => resolve()), 3000);
      client.end(false, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connected = false;
  }

  /** Drops the TCP connection without DISCONNECT, like a power cut: the broker publishes the will. */
  kill(): void {
    this.client?.stream?.destroy();
  }

  private onConnect(sessionPresent: boolean): void {
    if (this.stopping) return; // a CONNACK that raced our shutdown
    this.connected = true;
    this.epoch++;
    this.counters.connects++;
    this.backoff.reset();
    this.lastError = null;
    const client = this.client!;
    client.publish(this.topics.status, 'online', { qos: 1, retain: true });
    // With a resumed session the broker still has our subscription [MQTT-3.2.2-2].
    if (!sessionPresent) client.subscribe(this.topics.cmd, { qos: 1 });
    this.flush();
  }

  private onClose(): void {
    if (this.connected) this.counters.disconnects++;
    const wasConnected = this.connected;
    this.connected = false;
    // Whatever was in flight may or may not have reached the broker: send it again (the gateway
    // drops a repeated (deviceId, seq)), and count the failure.
    if (wasConnected && this.buffer.inflightBatches > 0) this.counters.sendFailures += this.buffer.inflightBatches;
    this.buffer.requeueAll();
    this.epoch++;
    // reconnect() starts with fresh packet stores, so MQTT.js would wait forever for PUBACKs of the
    // old session's packets (and a graceful end() with it). We resend those readings ourselves.
    if (this.client) for (const key of Object.keys(this.client.outgoing)) delete this.client.outgoing[Number(key)];
    if (this.stopping || this.reconnectTimer) return;
    const delay = this.backoff.next();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopping) this.client?.reconnect();
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private onCommandMessage(payload: Buffer): void {
    this.counters.commands++;
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      this.opts.onLog?.(`${this.id}: cmd is not JSON`);
      return;
    }
    const parsed = deviceCommandSchema.safeParse(raw);
    const cmdId = typeof (raw as { cmdId?: unknown })?.cmdId === 'string' ? (raw as { cmdId: string }).cmdId.slice(0, 64) : null;
    let ack: DeviceCommandAck;
    if (this.stopping) return;
    if (!parsed.success) {
      if (!cmdId) return; // nothing to answer to
      const issue = parsed.error.issues[0];
      ack = { cmdId, ok: false, ts: Math.round(this.opts.now()), error: `${issue?.path.join('.') || 'cmd'}: ${issue?.message ?? 'invalid'}`.slice(0, 256) };
    } else {
      const error = this.opts.onCommand(parsed.data);
      ack = error ? { cmdId: parsed.data.cmdId, ok: false, ts: Math.round(this.opts.now()), error: error.slice(0, 256) } : { cmdId: parsed.data.cmdId, ok: true, ts: Math.round(this.opts.now()) };
    }
    this.client?.publish(this.topics.ack, JSON.stringify(ack), { qos: 1 });
  }
}
