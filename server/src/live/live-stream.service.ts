import type { Server as HttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  LIVE_NAMESPACE,
  LIVE_PATH,
  liveSubscriptionSchema,
  type LiveClientEvents,
  type LiveServerEvents,
  type LiveSubscription,
  type SubscribeAck,
} from '@sanitation/contracts';
import type { Subscription } from 'rxjs';
import { Server, type Namespace, type Socket } from 'socket.io';
import { AuthService, type AuthenticatedOperator } from '../auth/auth.service.js';
import { issuePath } from '../common/zod-validation.pipe.js';
import { DomainEvents, type DomainEvent, type PlanBbox } from '../events/domain-events.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { AreaIndex } from './area-index.js';
import { CrewMembershipRepository } from './crew-membership.repository.js';
import { LiveClient, type LiveSink } from './live-client.js';
import { LiveException, LiveExceptionCode } from './live.exception.js';
import { LIVE_DEFAULTS, type LiveOptions } from './live.options.js';

interface SocketData {
  operator: AuthenticatedOperator;
  token: string;
}
type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, Record<string, never>, SocketData>;
type LiveNamespace = Namespace<LiveClientEvents, LiveServerEvents, Record<string, never>, SocketData>;

/** Live-stream figures for logs and tests. */
export interface LiveStats {
  clients: number;
  subscribed: number;
}

/**
 * The socket.io live stream (namespace LIVE_NAMESPACE on the API's HTTP server). Handshake:
 * `auth: { token }` with an operator bearer token, checked like the REST guard. Nothing is sent
 * before a valid `subscribe`; after it, only what lies in the client's bbox or zones. Events
 * come from DomainEvents (emitted by alarms, jobs and the rules engine after a commit).
 *
 * Routing: an AreaIndex maps a point/zone to the subscribed clients in a few look-ups, so a
 * reading costs O(matching clients), not O(all clients). Pacing (device batches, truck
 * coalescing) uses the process's monotonic clock: it shapes network traffic and has nothing to
 * do with the domain time of the injectable Clock.
 */
@Injectable()
export class LiveStreamService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly options: LiveOptions = { ...LIVE_DEFAULTS };
  private readonly clients = new Map<string, LiveClient>();
  private readonly index: AreaIndex<LiveClient>;
  /** Clients with device states or truck positions waiting for a batch. */
  private readonly dirty = new Set<LiveClient>();
  private io: Server<LiveClientEvents, LiveServerEvents, Record<string, never>, SocketData> | undefined;
  private nsp: LiveNamespace | undefined;
  private events: Subscription | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly crews: CrewMembershipRepository,
    private readonly domainEvents: DomainEvents,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'live' });
    this.index = new AreaIndex({ cellDeg: this.options.cellDeg });
  }

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    this.io = new Server(httpServer, { path: LIVE_PATH, serveClient: false });
    const nsp: LiveNamespace = this.io.of(LIVE_NAMESPACE);
    this.nsp = nsp;
    nsp.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (err: unknown) => next(err instanceof LiveException ? err : new Error('authentication failed')),
      );
    });
    nsp.on('connection', (socket) => this.onConnection(socket));
    this.events = this.domainEvents.events$.subscribe((event) => this.route(event));
    this.ticker = setInterval(() => this.flush(), this.options.flushTickMs);
    this.ticker.unref();
  }

  /** Disconnects the clients without closing the HTTP server: Nest closes that afterwards. */
  beforeApplicationShutdown(): void {
    this.events?.unsubscribe();
    clearInterval(this.ticker);
    this.nsp?.disconnectSockets(true);
    this.io?.engine.close();
    this.clients.clear();
    this.dirty.clear();
  }

  stats(): LiveStats {
    let subscribed = 0;
    for (const client of this.clients.values()) if (client.subscription) subscribed++;
    return { clients: this.clients.size, subscribed };
  }

  private async authenticate(socket: LiveSocket): Promise<void> {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token === '') {
      throw new LiveException(LiveExceptionCode.TOKEN_MISSING, 'missing token: connect with auth: { token: <operator bearer token from POST /api/auth/login> }');
    }
    const operator = await this.auth.authenticate(token);
    if (!operator) throw new LiveException(LiveExceptionCode.TOKEN_INVALID, 'invalid or expired token');
    socket.data.operator = operator;
    socket.data.token = token;
  }

  private onConnection(socket: LiveSocket): void {
    const sink: LiveSink = {
      alarm: (alarm) => socket.emit('alarm:changed', alarm),
      job: (job) => socket.emit('job:changed', job),
      devices: (states) => socket.emit('device:state', states),
      trucks: (positions) => socket.emit('truck:position', positions),
      // engine.io keeps unsent packets in `writeBuffer` (not in its typings) while the transport is busy.
      writable: () => ((socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0) <= this.options.maxWriteBufferPackets,
    };
    const client = new LiveClient(socket.id, socket.data.operator, sink, this.options);
    this.clients.set(socket.id, client);
    this.logger.debug({ client: socket.id, username: client.operator.username, role: client.operator.role }, 'live client connected');

    // subscribe awaits the database (token, crew membership): requests of one socket run in
    // order, so a quick re-subscribe or unsubscribe cannot be overtaken by an earlier one.
    let queue: Promise<unknown> = Promise.resolve();
    socket.on('subscribe', (raw: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: SubscribeAck) => void) : () => undefined;
      queue = queue.then(() =>
        this.subscribe(socket, client, raw).then(reply, (err: unknown) => {
          this.logger.warn({ err, client: socket.id }, 'live subscribe failed');
          reply({ ok: false, error: 'subscription failed on the server; try again' });
        }),
      );
    });
    socket.on('unsubscribe', () => {
      queue = queue.then(() => this.unsubscribe(client));
    });
    socket.on('disconnect', () => {
      this.unsubscribe(client);
      this.clients.delete(socket.id);
    });
  }

  private async subscribe(socket: LiveSocket, client: LiveClient, raw: unknown): Promise<SubscribeAck> {
    const parsed = liveSubscriptionSchema.safeParse(raw);
    if (!parsed.success) {
      const error = parsed.error.issues.map((i) => `${issuePath(i.path, '(subscription)')}: ${i.message}`).join('; ');
      return { ok: false, error };
    }
    // A token may have expired (or been revoked) since the handshake.
    if (!(await this.auth.authenticate(socket.data.token))) {
      setImmediate(() => socket.disconnect(true));
      return { ok: false, error: 'token expired: log in again and reconnect' };
    }
    if (client.isCrew) client.setCrewUnits(await this.crews.unitsOf(client.operator.username));
    if (!this.clients.has(socket.id)) return { ok: false, error: 'disconnected' };
    const subscription: LiveSubscription = client.subscribe(parsed.data);
    this.index.set(client, { bbox: subscription.bbox, zones: subscription.zones });
    this.dirty.delete(client);
    return { ok: true, subscription };
  }

  private unsubscribe(client: LiveClient): void {
    client.unsubscribe();
    this.index.delete(client);
    this.dirty.delete(client);
  }

  /** One domain event to every client whose area holds it. A faulty client costs only itself. */
  private route(event: DomainEvent): void {
    try {
      switch (event.type) {
        case 'alarm': {
          const { alarm } = event;
          this.index.match(alarm.lat, alarm.lon, alarm.zone, (c) => c.offerAlarm(alarm));
          break;
        }
        case 'job': {
          const { job } = event;
          this.index.match(job.lat, job.lon, job.zone, (c) => c.offerJob(job));
          break;
        }
        case 'device': {
          const { state } = event;
          this.index.match(state.lat, state.lon, state.zone, (c) => {
            if (c.offerDevice(state)) this.dirty.add(c);
          });
          break;
        }
        case 'plan':
          this.toPlanWatchers(event.event.plan.zone, event.bbox, (s) => s.emit('plan:changed', event.event));
          break;
        case 'plan-progress':
          this.toPlanWatchers(event.zone, event.bbox, (s) => s.emit('plan:progress', event.event));
          break;
        case 'plan-off-route':
          this.toPlanWatchers(event.zone, event.bbox, (s) => s.emit('plan:off-route', event.event));
          break;
        case 'truck': {
          const { position } = event;
          this.index.match(position.lat, position.lon, null, (c) => {
            if (c.offerTruck(position)) this.dirty.add(c);
          });
          break;
        }
      }
    } catch (err) {
      this.logger.error({ err, type: event.type }, 'live stream failed to route an event');
    }
  }

  /**
   * Plan events go to operators (not crews) subscribed to the plan's zone or to a bbox that meets
   * the plan's. Few operators watch plans and plans change seldom: a scan of the clients is enough.
   */
  private toPlanWatchers(zone: string, bbox: PlanBbox | null, send: (socket: LiveSocket) => void): void {
    for (const client of this.clients.values()) {
      const sub = client.subscription;
      if (!sub || client.isCrew) continue;
      const byZone = sub.zones?.includes(zone) ?? false;
      const b = sub.bbox;
      const byBbox = !!b && !!bbox && b[0] <= bbox[2] && bbox[0] <= b[2] && b[1] <= bbox[3] && bbox[1] <= b[3];
      if (!byZone && !byBbox) continue;
      const socket = this.nsp?.sockets.get(client.id);
      if (socket) send(socket);
    }
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const now = performance.now();
    for (const client of this.dirty) {
      try {
        client.flush(now);
      } catch (err) {
        this.logger.error({ err, client: client.id }, 'live stream failed to send a batch');
      }
      if (!client.hasPending()) this.dirty.delete(client);
    }
  }
}
