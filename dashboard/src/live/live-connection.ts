import {
  LIVE_NAMESPACE,
  LIVE_PATH,
  type Alarm,
  type DeviceStateEvent,
  type Job,
  type LiveClientEvents,
  type LiveServerEvents,
  type LiveSubscription,
  type OffRouteEvent,
  type PlanChangedEvent,
  type PlanProgressEvent,
  type SubscribeAck,
  type TruckPositionEvent,
} from '@sanitation/contracts';
import { io, type Socket } from 'socket.io-client';
import { Store } from '../state/store';

export type LiveStatus = 'offline' | 'connecting' | 'live' | 'error';

/** What the rest of the app listens to; the map, the job/alarm stores and panels register here. */
export interface LiveHandlers {
  devices: (events: DeviceStateEvent[]) => void;
  trucks: (events: TruckPositionEvent[]) => void;
  alarm: (alarm: Alarm) => void;
  job: (job: Job) => void;
  planChanged: (event: PlanChangedEvent) => void;
  planProgress: (event: PlanProgressEvent) => void;
  planOffRoute: (event: OffRouteEvent) => void;
  /** After (re)connecting and subscribing: stores refetch what they may have missed. */
  resynced: () => void;
}

type LiveSocket = Socket<LiveServerEvents, LiveClientEvents>;

/**
 * The dashboard's single socket to the server's live stream (one socket controller feeding the
 * state, as in traccar-web). It authenticates with the operator's token, keeps one subscription
 * (the visible map area, or zones) and re-sends it after a reconnect.
 */
export class LiveConnection {
  readonly status = new Store<LiveStatus>('offline');
  readonly lastError = new Store<string | null>(null);
  private socket: LiveSocket | null = null;
  private subscription: LiveSubscription | null = null;
  private readonly handlers: { [K in keyof LiveHandlers]: Set<LiveHandlers[K]> } = {
    devices: new Set(),
    trucks: new Set(),
    alarm: new Set(),
    job: new Set(),
    planChanged: new Set(),
    planProgress: new Set(),
    planOffRoute: new Set(),
    resynced: new Set(),
  };
  /** Zones added to whatever area is subscribed (the route planner follows its plan's zone). */
  private extraZones: string[] = [];

  on<K extends keyof LiveHandlers>(event: K, handler: LiveHandlers[K]): () => void {
    (this.handlers[event] as Set<LiveHandlers[K]>).add(handler);
    return () => (this.handlers[event] as Set<LiveHandlers[K]>).delete(handler);
  }

  connect(token: string, url: string = location.origin): void {
    this.disconnect();
    this.status.set('connecting');
    const socket: LiveSocket = io(`${url}${LIVE_NAMESPACE}`, { path: LIVE_PATH, auth: { token }, transports: ['websocket'] });
    this.socket = socket;
    socket.on('connect', () => {
      this.lastError.set(null);
      void this.resubscribe();
    });
    socket.on('connect_error', (err) => {
      this.status.set('error');
      this.lastError.set(err.message);
    });
    socket.on('disconnect', () => this.status.set('connecting'));
    socket.on('device:state', (events) => this.handlers.devices.forEach((h) => h(events)));
    socket.on('truck:position', (events) => this.handlers.trucks.forEach((h) => h(events)));
    socket.on('alarm:changed', (alarm) => this.handlers.alarm.forEach((h) => h(alarm)));
    socket.on('job:changed', (job) => this.handlers.job.forEach((h) => h(job)));
    socket.on('plan:changed', (e) => this.handlers.planChanged.forEach((h) => h(e)));
    socket.on('plan:progress', (e) => this.handlers.planProgress.forEach((h) => h(e)));
    socket.on('plan:off-route', (e) => this.handlers.planOffRoute.forEach((h) => h(e)));
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.status.set('offline');
  }

  /** Replaces the area this client receives (the map calls it on every move end). */
  async subscribe(subscription: LiveSubscription): Promise<SubscribeAck> {
    this.subscription = subscription;
    return this.resubscribe();
  }

  /** Plan events go to clients subscribed to the plan's zone: these zones join the subscription. */
  setExtraZones(zones: readonly string[]): void {
    if (zones.join('\n') === this.extraZones.join('\n')) return;
    this.extraZones = [...zones];
    void this.resubscribe();
  }

  private withZones(s: LiveSubscription | null): LiveSubscription | null {
    if (this.extraZones.length === 0) return s;
    return { ...(s ?? {}), zones: [...new Set([...(s?.zones ?? []), ...this.extraZones])] };
  }

  private async resubscribe(): Promise<SubscribeAck> {
    const socket = this.socket;
    const subscription = this.withZones(this.subscription);
    if (!socket || !subscription || !socket.connected) return { ok: false, error: 'not connected' };
    const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', subscription, resolve));
    if (ack.ok) {
      this.status.set('live');
      this.handlers.resynced.forEach((h) => h());
    } else {
      this.status.set('error');
      this.lastError.set(ack.error);
    }
    return ack;
  }
}

/** The app's one connection. */
export const live = new LiveConnection();
