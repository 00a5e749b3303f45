// A light raw-socket MQTT subscriber that only counts the PUBLISH packets it receives.
// It subscribes with QoS 0 so it never has to answer (no PUBACKs competing with the load).
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import mqttPacket from 'mqtt-packet';
import { FrameSplitter, PACKET } from './mqtt-frames.mjs';

export class RawSubscriber {
  /** @param {{ host?: string, port: number, topic: string, clientId?: string, username?: string, password?: string }} opts */
  constructor(opts) {
    this.opts = { host: '127.0.0.1', clientId: `bench-sub-${process.pid}`, ...opts };
    this.received = 0;
    this.firstAt = 0;
    this.lastAt = 0;
    /** @type {net.Socket | null} */
    this.socket = null;
    /** @type {{ count: number, resolve: () => void } | null} */
    this.waiter = null;
    this.splitter = new FrameSplitter((type, _flags, buf, start, len) => this.onPacket(type, buf, start, len));
    /** @type {((type: number, code: number) => void) | null} */
    this.onControl = null;
  }

  /** Connects and subscribes; resolves after the SUBACK grants the subscription. */
  start(timeoutMs = 10_000) {
    const { host, port, topic, clientId, username, password } = this.opts;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`subscriber: no SUBACK within ${timeoutMs} ms`)), timeoutMs);
      const fail = (/** @type {Error} */ err) => {
        clearTimeout(timer);
        this.socket?.destroy();
        reject(err);
      };
      const socket = net.connect({ host, port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.once('error', fail);
      socket.on('data', (chunk) => this.splitter.push(chunk));
      this.onControl = (type, code) => {
        if (type === PACKET.CONNACK) {
          if (code !== 0) return fail(new Error(`subscriber: CONNACK return code ${code}`));
          socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 0 }] }));
        } else if (type === PACKET.SUBACK) {
          if (code === 0x80) return fail(new Error(`subscriber: subscription to ${topic} refused`));
          clearTimeout(timer);
          this.onControl = null;
          resolve(undefined);
        }
      };
      socket.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId,
          keepalive: 120,
          ...(username ? { username, password: Buffer.from(password ?? '', 'utf8') } : {}),
        }),
      );
    });
  }

  /** @param {number} type @param {Buffer} buf @param {number} start @param {number} len */
  onPacket(type, buf, start, len) {
    if (type === PACKET.PUBLISH) {
      const now = performance.now();
      if (this.received === 0) this.firstAt = now;
      this.lastAt = now;
      this.received++;
      if (this.waiter && this.received >= this.waiter.count) {
        this.waiter.resolve();
        this.waiter = null;
      }
    } else if (type === PACKET.CONNACK && len >= 2) {
      this.onControl?.(type, buf[start + 1]);
    } else if (type === PACKET.SUBACK && len >= 3) {
      this.onControl?.(type, buf[start + 2]);
    }
  }

  /**
   * Resolves true once `count` messages arrived, false after `timeoutMs`.
   * @param {number} count @param {number} timeoutMs
   */
  waitFor(count, timeoutMs) {
    if (this.received >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(false);
      }, timeoutMs);
      this.waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
  }

  close() {
    const s = this.socket;
    if (!s || s.destroyed) return;
    s.end(mqttPacket.generate({ cmd: 'disconnect' }));
    setTimeout(() => s.destroy(), 1000).unref();
  }
}
