// Light MQTT load generator: one plain `net` socket per device, no MQTT client objects.
// Every PUBLISH is a copy of a per-device packet pre-encoded with mqtt-packet in which only
// fixed-width fields are patched (packet id, ts, seq, fillPct), so the generator spends its
// CPU on syscalls rather than on encoding, and the broker, not the generator, is measured.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import mqttPacket from 'mqtt-packet';
import { FrameSplitter, PACKET } from './mqtt-frames.mjs';
import { patchReading, publishTemplate } from './publish-template.mjs';

const MAX_PACKET_ID = 65535;
const CONNACK_TIMEOUT_MS = 10_000;

/**
 * @typedef {object} DeviceSpec
 * @property {string} id       deviceId = MQTT client id = username
 * @property {string} password the device secret
 * @property {string} [kind]   topic kind segment, default `bin`
 */

/**
 * @typedef {object} LoadOptions
 * @property {string} [host]
 * @property {number} port
 * @property {DeviceSpec[]} devices
 * @property {number} readingsPerDevice   fixed number of QoS 1 publishes per device
 * @property {number} [window]            in-flight (unacked) publishes per connection
 * @property {number} [firstSeq]          seq of each device's first reading
 * @property {number} [keepaliveS]
 * @property {number} [connectConcurrency] CONNECTs awaiting CONNACK at once
 * @property {number} [connectTimeoutMs]  limit for establishing all connections
 * @property {number} [connectRetries]    retries of a refused CONNECT (credential sync lag)
 * @property {number} [ratePerS]          paced mode: total publishes per second (default: as fast as the windows allow)
 */

class DeviceConnection {
  /** @param {DeviceSpec} spec @param {LoadGenerator} gen @param {number} index */
  constructor(spec, gen, index) {
    this.spec = spec;
    this.gen = gen;
    this.index = index;
    this.template = publishTemplate(spec.id, spec.kind ?? 'bin');
    /** @type {net.Socket | null} */
    this.socket = null;
    this.nextPid = 1;
    /** packet id -> send time (performance.now()) */
    this.inflight = new Map();
    this.sent = 0;
    this.acked = 0;
    this.closed = false;
    /** @type {((code: number) => void) | null} */
    this.onConnack = null;
    this.splitter = new FrameSplitter((type, _flags, buf, start, len) => this.onPacket(type, buf, start, len));
  }

  /** @returns {Promise<void>} resolves on CONNACK 0 */
  connect() {
    const { host, port, keepaliveS } = this.gen.opts;
    const connectPacket = mqttPacket.generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: this.spec.id,
      keepalive: keepaliveS,
      username: this.spec.id,
      password: Buffer.from(this.spec.password, 'utf8'),
    });
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      this.socket = socket;
      this.closed = false;
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(new Error(`${this.spec.id}: no CONNACK within ${CONNACK_TIMEOUT_MS} ms`)), CONNACK_TIMEOUT_MS);
      const fail = (/** @type {Error} */ err) => {
        clearTimeout(timer);
        this.onConnack = null;
        socket.destroy();
        reject(err);
      };
      socket.once('error', fail);
      socket.once('close', () => fail(new Error(`${this.spec.id}: closed before CONNACK`)));
      this.onConnack = (code) => {
        clearTimeout(timer);
        this.onConnack = null;
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        if (code !== 0) {
          socket.destroy();
          const err = /** @type {Error & {code?: number}} */ (new Error(`${this.spec.id}: CONNACK return code ${code}`));
          err.code = code;
          reject(err);
          return;
        }
        socket.on('error', (e) => this.gen.onConnectionLost(this, e));
        socket.on('close', () => this.gen.onConnectionLost(this, null));
        resolve();
      };
      socket.on('data', (chunk) => {
        this.gen.now = performance.now();
        this.splitter.push(chunk);
      });
      socket.write(connectPacket);
    });
  }

  /** @param {number} type @param {Buffer} buf @param {number} start @param {number} len */
  onPacket(type, buf, start, len) {
    if (type === PACKET.PUBACK && len >= 2) {
      const pid = (buf[start] << 8) | buf[start + 1];
      const sentAt = this.inflight.get(pid);
      if (sentAt === undefined) {
        this.gen.unexpectedAcks++;
        return;
      }
      this.inflight.delete(pid);
      this.acked++;
      if (this.acked === this.gen.opts.readingsPerDevice) this.gen.finished++;
      this.gen.recordAck(this.gen.now - sentAt);
      this.gen.refillQueue.add(this);
    } else if (type === PACKET.CONNACK && len >= 2) {
      this.onConnack?.(buf[start + 1]);
    }
  }

  /**
   * Sends publishes until the window is full, the device's readings are all sent, or `max`
   * (the paced mode's budget) is reached. Returns how many it sent.
   * @param {number} now @param {number} nowMs @param {number} [max]
   */
  refill(now, nowMs, max = Infinity) {
    if (this.closed || !this.socket) return 0;
    const { window, readingsPerDevice, firstSeq } = this.gen.opts;
    const room = Math.min(window - this.inflight.size, readingsPerDevice - this.sent, max);
    if (room <= 0 || this.gen.stopping) return 0;
    const t = this.template;
    const len = t.packet.length;
    const out = Buffer.allocUnsafe(len * room);
    for (let i = 0; i < room; i++) {
      const base = i * len;
      t.packet.copy(out, base);
      let pid = this.nextPid;
      // A packet id must not be reused while unacknowledged [MQTT-2.3.1-4].
      while (this.inflight.has(pid)) pid = pid === MAX_PACKET_ID ? 1 : pid + 1;
      this.nextPid = pid === MAX_PACKET_ID ? 1 : pid + 1;
      out[base + t.pidOffset] = pid >> 8;
      out[base + t.pidOffset + 1] = pid & 0xff;
      const seq = firstSeq + this.sent;
      patchReading(out, base, t, nowMs, seq, (seq * 7 + this.index) % 101);
      this.inflight.set(pid, now);
      this.sent++;
    }
    this.gen.sent += room;
    this.socket.write(out);
    return room;
  }
}

export class LoadGenerator {
  /** @param {LoadOptions} opts */
  constructor(opts) {
    this.opts = {
      host: '127.0.0.1',
      window: 20,
      firstSeq: 0,
      keepaliveS: 60,
      connectConcurrency: 100,
      connectTimeoutMs: 60_000,
      connectRetries: 10,
      ...opts,
    };
    this.connections = this.opts.devices.map((d, i) => new DeviceConnection(d, this, i));
    this.sent = 0;
    this.acked = 0;
    this.unexpectedAcks = 0;
    this.connectionsLost = 0;
    /** connections that got all their PUBACKs or were lost */
    this.finished = 0;
    this.stopping = false;
    /** @type {Set<DeviceConnection>} connections that got PUBACKs in this tick */
    this.refillQueue = new Set();
    this.refillScheduled = false;
    /** ack latencies in ms (the first 2^20 acks) */
    this.latencies = new Float64Array(1 << 20);
    this.latencyCount = 0;
    this.firstPublishAt = 0;
    this.lastAckAt = 0;
    /** performance.now() of the socket chunk being parsed */
    this.now = 0;
    this.closing = false;
    /** @type {string | null} */
    this.lastLossReason = null;
    /** @type {(() => void) | null} */
    this.onAllAcked = null;
  }

  get total() {
    return this.connections.length * this.opts.readingsPerDevice;
  }

  /** Opens every connection (bounded concurrency, retries refused CONNECTs). */
  async connectAll() {
    const deadline = Date.now() + this.opts.connectTimeoutMs;
    let next = 0;
    const worker = async () => {
      while (next < this.connections.length) {
        const conn = this.connections[next++];
        for (let attempt = 0; ; attempt++) {
          if (Date.now() > deadline) throw new Error(`connecting ${this.connections.length} devices took over ${this.opts.connectTimeoutMs} ms`);
          try {
            await conn.connect();
            break;
          } catch (err) {
            if (attempt >= this.opts.connectRetries) throw err;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.connectConcurrency, this.connections.length) }, worker));
  }

  /** @param {number} latencyMs */
  recordAck(latencyMs) {
    this.acked++;
    this.lastAckAt = this.now;
    if (this.latencyCount < this.latencies.length) this.latencies[this.latencyCount++] = latencyMs;
    if (!this.refillScheduled) {
      this.refillScheduled = true;
      setImmediate(() => this.flushRefills());
    }
  }

  /** Refills, once per tick, every connection that got PUBACKs: one socket write each. */
  flushRefills() {
    this.refillScheduled = false;
    const now = performance.now();
    const nowMs = Date.now();
    if (!this.opts.ratePerS) for (const conn of this.refillQueue) conn.refill(now, nowMs);
    this.refillQueue.clear();
    if (this.finished === this.connections.length || (this.stopping && this.inflightCount() === 0)) this.onAllAcked?.();
  }

  inflightCount() {
    let n = 0;
    for (const c of this.connections) n += c.inflight.size;
    return n;
  }

  /** @param {DeviceConnection} conn @param {Error | null} err */
  onConnectionLost(conn, err) {
    if (conn.closed) return;
    conn.closed = true;
    if (!this.closing) {
      this.connectionsLost++;
      this.lastLossReason = err?.message ?? 'closed by broker';
      // Its in-flight publishes will never be acked and its remaining readings never sent.
      conn.inflight.clear();
      if (conn.acked < this.opts.readingsPerDevice) this.finished++;
      if (this.finished === this.connections.length || (this.stopping && this.inflightCount() === 0)) this.onAllAcked?.();
    }
  }

  /**
   * Publishes `readingsPerDevice` readings on every connection, keeping `window` in flight
   * per connection. Resolves when all are acked, or after `timeLimitMs` (then it stops
   * sending and waits up to `drainMs` for the in-flight ones).
   * @param {{ timeLimitMs: number, drainMs?: number, onProgress?: (g: LoadGenerator) => void, progressMs?: number }} p
   */
  async run({ timeLimitMs, drainMs = 15_000, onProgress, progressMs = 2000 }) {
    /** @type {ReturnType<typeof setInterval> | undefined} */
    let progress;
    const done = new Promise((resolve) => {
      this.onAllAcked = () => resolve(undefined);
    });
    this.firstPublishAt = performance.now();
    const nowMs = Date.now();
    /** @type {ReturnType<typeof setInterval> | undefined} */
    let pacer;
    if (this.opts.ratePerS) pacer = this.startPacer();
    else for (const conn of this.connections) conn.refill(this.firstPublishAt, nowMs);
    if (onProgress) progress = setInterval(() => onProgress(this), progressMs);
    let timer;
    const timedOut = await Promise.race([
      done.then(() => false),
      new Promise((r) => (timer = setTimeout(() => r(true), timeLimitMs))),
    ]);
    clearTimeout(timer);
    let drained = true;
    if (timedOut) {
      this.stopping = true;
      if (this.inflightCount() > 0) {
        drained = await Promise.race([
          done.then(() => true),
          new Promise((r) => (timer = setTimeout(() => r(false), drainMs))),
        ]);
        clearTimeout(timer);
      }
    }
    clearInterval(progress);
    clearInterval(pacer);
    return this.result({ timedOut, drained });
  }

  /**
   * Paced mode: publishes at most `ratePerS` per second in total, one per connection per round
   * (round-robin), still within each connection's window, so the offered load is fixed.
   */
  startPacer() {
    const rate = /** @type {number} */ (this.opts.ratePerS);
    const n = this.connections.length;
    let tokens = 0;
    let last = performance.now();
    let cursor = 0;
    return setInterval(() => {
      const now = performance.now();
      tokens = Math.min(tokens + (rate * (now - last)) / 1000, rate * 0.05); // ≤ 50 ms of burst
      last = now;
      const nowMs = Date.now();
      let idleRun = 0;
      while (tokens >= 1 && idleRun < n) {
        const sent = this.connections[cursor].refill(now, nowMs, 1);
        cursor = cursor + 1 === n ? 0 : cursor + 1;
        if (sent) {
          tokens -= sent;
          idleRun = 0;
        } else idleRun++;
      }
    }, 5);
  }

  /** @param {{timedOut: boolean, drained: boolean}} flags */
  result(flags) {
    const lat = this.latencies.slice(0, this.latencyCount).sort();
    const pct = (/** @type {number} */ p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
    const durationMs = this.lastAckAt - this.firstPublishAt;
    return {
      ...flags,
      connections: this.connections.length,
      planned: this.total,
      sent: this.sent,
      acked: this.acked,
      unacked: this.sent - this.acked,
      unexpectedAcks: this.unexpectedAcks,
      connectionsLost: this.connectionsLost,
      lastLossReason: this.lastLossReason ?? null,
      firstPublishAt: this.firstPublishAt,
      lastAckAt: this.lastAckAt,
      durationMs,
      ackRate: durationMs > 0 ? (this.acked * 1000) / durationMs : 0,
      latencyMs: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: lat.length ? lat[lat.length - 1] : NaN },
      /** acked readings per deviceId */
      perDevice: new Map(this.connections.map((c) => [c.spec.id, c.acked])),
    };
  }

  /** Closes every socket (DISCONNECT first, so the broker does not treat it as a failure). */
  async close() {
    this.closing = true;
    this.stopping = true;
    const disconnect = mqttPacket.generate({ cmd: 'disconnect' });
    await Promise.all(
      this.connections.map(
        (c) =>
          new Promise((resolve) => {
            const s = c.socket;
            if (!s || s.destroyed) return resolve(undefined);
            const t = setTimeout(() => {
              s.destroy();
              resolve(undefined);
            }, 2000);
            s.once('close', () => {
              clearTimeout(t);
              resolve(undefined);
            });
            s.end(disconnect);
          }),
      ),
    );
  }
}
