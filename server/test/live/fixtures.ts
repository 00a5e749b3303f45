import type { Alarm, DeviceStateEvent, Job, LiveClientEvents, LiveServerEvents, LoginResponse, TruckPositionEvent } from '@sanitation/contracts';
import { LIVE_NAMESPACE, LIVE_PATH } from '@sanitation/contracts';
import { io, type Socket } from 'socket.io-client';
import { call } from '../support/app.js';

export type LiveTestSocket = Socket<LiveServerEvents, LiveClientEvents>;

let next = 1;
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

export function alarm(over: Partial<Alarm> = {}): Alarm {
  const n = next++;
  return {
    alarmId: String(n),
    deviceId: `bin-${n}`,
    deviceKind: 'bin',
    cause: 'bin-fire',
    severity: 'critical',
    status: 'open',
    zone: 'A',
    contractor: null,
    lat: 30.25,
    lon: 120.15,
    message: 'temperature 71 °C',
    openedAt: iso(T0),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    escalations: 0,
    jobId: null,
    ...over,
  };
}

export function job(over: Partial<Job> = {}): Job {
  const n = next++;
  return {
    jobId: String(n),
    type: 'collection',
    cause: 'bin-full',
    deviceId: `bin-${n}`,
    deviceKind: 'bin',
    zone: 'A',
    contractor: null,
    lat: 30.25,
    lon: 120.15,
    priority: 3,
    status: 'open',
    message: 'fill 95 % ≥ 80 %',
    details: {},
    createdAt: iso(T0),
    dueAt: iso(T0 + 4 * 3_600_000),
    updatedAt: iso(T0),
    completedAt: null,
    assignee: null,
    proposal: null,
    unsafe: false,
    flags: [],
    proof: null,
    alarmId: null,
    ...over,
  };
}

export function deviceState(over: Partial<DeviceStateEvent> = {}): DeviceStateEvent {
  return { deviceId: `bin-${next++}`, kind: 'bin', zone: 'A', lat: 30.25, lon: 120.15, ts: T0, values: { fillPct: 40 }, online: true, ...over };
}

export function truckPosition(over: Partial<TruckPositionEvent> = {}): TruckPositionEvent {
  return { deviceId: 'truck-1', vehicleId: null, lat: 30.25, lon: 120.15, speedKmh: 20, headingDeg: 90, loadKg: 100, ts: T0, ...over };
}

export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await call<LoginResponse>(baseUrl, 'POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export function connectLive(baseUrl: string, auth: Record<string, unknown> = {}): LiveTestSocket {
  return io(`${baseUrl}${LIVE_NAMESPACE}`, { path: LIVE_PATH, auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Resolves on connect, rejects with the server's connect_error. */
export function connected(socket: LiveTestSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Collects every event a socket receives, in order. */
export function recorder(socket: LiveTestSocket) {
  const received: { event: keyof LiveServerEvents; payload: unknown }[] = [];
  socket.onAny((event: keyof LiveServerEvents, payload: unknown) => received.push({ event, payload }));
  return {
    received,
    of<E extends keyof LiveServerEvents>(event: E): Parameters<LiveServerEvents[E]>[0][] {
      return received.filter((r) => r.event === event).map((r) => r.payload as Parameters<LiveServerEvents[E]>[0]);
    },
  };
}
