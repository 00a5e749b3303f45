/**
 * A dashboard's view of the live stream for e2e tests: logs in, connects to the socket.io
 * namespace, subscribes to an area and records every event with the wall time it arrived.
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, LIVE_PATH, type LiveClientEvents, type LiveServerEvents, type LiveSubscription, type SubscribeAck } from '@sanitation/contracts';

export type LiveEventName = keyof LiveServerEvents;

export interface RecordedEvent<E extends LiveEventName = LiveEventName> {
  event: E;
  /** Wall-clock epoch ms when the client received it. */
  at: number;
  data: Parameters<LiveServerEvents[E]>[0];
}

export interface LiveRecorder {
  socket: Socket<LiveServerEvents, LiveClientEvents>;
  events: RecordedEvent[];
  /** Recorded events of one name. */
  of<E extends LiveEventName>(event: E): RecordedEvent<E>[];
  /** Resolves with the first recorded event (past or future) matching, or rejects after timeoutMs. */
  waitFor<E extends LiveEventName>(event: E, match: (data: Parameters<LiveServerEvents[E]>[0]) => boolean, timeoutMs: number): Promise<RecordedEvent<E>>;
  close(): void;
}

export async function login(serverUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Connects with `token`, subscribes (bbox and/or zones) and records until close(). */
export async function connectLive(serverUrl: string, token: string, subscription: LiveSubscription, timeoutMs = 10_000): Promise<LiveRecorder> {
  const socket: Socket<LiveServerEvents, LiveClientEvents> = io(`${serverUrl}${LIVE_NAMESPACE}`, {
    path: LIVE_PATH,
    auth: { token },
    transports: ['websocket'],
    reconnection: true, // the server may be killed and restarted mid-test
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
  });
  const events: RecordedEvent[] = [];
  const waiters = new Set<(e: RecordedEvent) => void>();
  const record = (event: LiveEventName, data: unknown) => {
    const e = { event, at: Date.now(), data } as RecordedEvent;
    events.push(e);
    for (const w of [...waiters]) w(e);
  };
  // The typed map cannot take one handler for all these events; the untyped view can.
  const raw = socket as unknown as Socket;
  const names = ['job:changed', 'alarm:changed', 'device:state', 'truck:position', 'plan:changed', 'plan:progress', 'plan:off-route'] as const;
  for (const name of names) raw.on(name, (data: unknown) => record(name, data));
  const subscribe = () =>
    new Promise<void>((resolve, reject) => {
      socket.timeout(timeoutMs).emit('subscribe', subscription, (err: Error | null, ack: SubscribeAck) => {
        if (err) return reject(new Error(`subscribe: no answer within ${timeoutMs} ms`));
        if (!ack.ok) return reject(new Error(`subscribe refused: ${ack.error}`));
        resolve();
      });
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`live: no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`live: ${err.message}`));
    });
  });
  await subscribe();
  // After a server restart the subscription is gone with the old connection: subscribe again.
  socket.io.on('reconnect', () => void subscribe().catch(() => {}));

  const recorder: LiveRecorder = {
    socket,
    events,
    of: <E extends LiveEventName>(event: E) => events.filter((e): e is RecordedEvent<E> => e.event === event),
    waitFor<E extends LiveEventName>(event: E, match: (data: Parameters<LiveServerEvents[E]>[0]) => boolean, ms: number) {
      const past = recorder.of(event).find((e) => match(e.data));
      if (past) return Promise.resolve(past);
      return new Promise<RecordedEvent<E>>((resolve, reject) => {
        const waiter = (e: RecordedEvent) => {
          if (e.event !== event || !match(e.data as Parameters<LiveServerEvents[E]>[0])) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(e as RecordedEvent<E>);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${event} event matched within ${ms} ms`));
        }, ms);
        waiters.add(waiter);
      });
    },
    close: () => void socket.close(),
  };
  return recorder;
}
