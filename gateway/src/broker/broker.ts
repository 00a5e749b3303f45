import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from 'pino';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { AccessControl } from './auth.hook.js';
import { createPreConnect } from './connect.hook.js';
import { guardPacketSize } from './packet-size.guard.js';
import { createRetainedIndexPersistence } from './retained-index.persistence.js';

export interface BrokerOptions {
  host: string;
  port: number;
  wsPort: number;
  maxPacketBytes: number;
  connectTimeoutMs: number;
  keepaliveMaxS: number;
  access: AccessControl;
  logger: Logger;
}

export interface RunningBroker {
  aedes: Aedes;
  mqttPort: number;
  wsPort: number;
  /** Stops accepting, closes every client, then the broker. */
  close(): Promise<void>;
}

function listen(server: NetServer | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startBroker(opts: BrokerOptions): Promise<RunningBroker> {
  const { access, logger } = opts;
  const aedes = await Aedes.createBroker({
    persistence: createRetainedIndexPersistence(),
    connectTimeout: opts.connectTimeoutMs,
    preConnect: createPreConnect(opts.keepaliveMaxS),
    authenticate: access.authenticate,
    authorizePublish: access.authorizePublish,
    authorizeSubscribe: access.authorizeSubscribe,
    // aedes' 23-char limit applies to MQTT 3.1 only; 3.1.1 allows longer ids (we allow 64+).
    maxClientsIdLength: 128,
  });
  // aedes reports persistence/mq failures as 'error'; without a listener they would crash us.
  (aedes as unknown as NodeJS.EventEmitter).on('error', (err: Error) => logger.error({ err: err.message }, 'broker error'));
  aedes.on('clientError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'client error'));
  aedes.on('connectionError', (_client, err) => logger.debug({ err: err.message }, 'connection error'));

  const onOversize = (remote: string | undefined) => (reason: string) =>
    logger.warn({ remote, reason }, 'connection cut off by the packet size guard');

  const sockets = new Set<Socket>();
  const tcp = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    guardPacketSize(socket, opts.maxPacketBytes, onOversize(socket.remoteAddress));
    aedes.handle(socket);
  });
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n');
  });
  // ws' own frame limit is a first fence; the guard enforces the MQTT packet limit across frames.
  const wss = new WebSocketServer({ server: http, maxPayload: opts.maxPacketBytes + 1024, handleProtocols: (protocols) => {
    for (const p of ['mqtt', 'mqttv3.1']) if (protocols.has(p)) return p;
    return false;
  } });
  wss.on('connection', (ws, req) => {
    const stream = createWebSocketStream(ws);
    stream.on('error', () => {}); // aedes listens too; a reset must not become an uncaught error
    guardPacketSize(stream, opts.maxPacketBytes, onOversize(req.socket.remoteAddress));
    aedes.handle(stream, req);
  });

  const mqttPort = await listen(tcp, opts.port, opts.host);
  const wsPort = await listen(http, opts.wsPort, opts.host);

  return {
    aedes,
    mqttPort,
    wsPort,
    async close() {
      tcp.close();
      http.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const s of sockets) s.destroy();
      wss.close();
      http.closeAllConnections();
    },
  };
}
