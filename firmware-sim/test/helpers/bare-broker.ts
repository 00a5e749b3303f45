import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
  clientId: string | null;
}

/**
 * A bare aedes broker on a real TCP port (no auth), recording every publish. `stop()` closes it
 * completely; `restart()` brings a fresh broker back on the same port, like a gateway reboot.
 */
export class BareBroker {
  readonly received: Received[] = [];
  port = 0;
  private broker: Aedes | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  async start(port = 0): Promise<this> {
    const broker = await Aedes.createBroker();
    broker.on('publish', (packet, client) => {
      if (packet.topic.startsWith('$SYS')) return;
      this.received.push({ topic: packet.topic, payload: Buffer.from(packet.payload as Buffer), retain: packet.retain, clientId: client?.id ?? null });
    });
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      broker.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.broker = broker;
    this.server = server;
    return this;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get connectedClients(): number {
    return this.broker?.connectedClients ?? 0;
  }

  publish(topic: string, payload: string, qos: 0 | 1 = 1): Promise<void> {
    return new Promise((resolve, reject) =>
      this.broker!.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false }, (err) => (err ? reject(err) : resolve())),
    );
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    await new Promise<void>((r) => (this.broker ? this.broker.close(() => r()) : r()));
    this.server = null;
    this.broker = null;
  }

  async restart(): Promise<void> {
    await this.start(this.port);
  }

  on(topicSuffix: string): Received[] {
    return this.received.filter((m) => m.topic.endsWith(topicSuffix));
  }
}

export async function waitFor(cond: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
