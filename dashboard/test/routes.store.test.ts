import type { LiveSubscription, RoutePlan, SubscribeAck } from '@sanitation/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, live } from '../src/live/live-connection';
import { openPlan, resetRoutes, routesState, runEdit } from '../src/features/routes/route-plan.store';
import { routesApi } from '../src/features/routes/routes.api';
import { plan } from './routes.fixture';

function emit(name: string, payload: unknown): void {
  (live as unknown as { handlers: Record<string, Set<(e: unknown) => void>> }).handlers[name]!.forEach((h) => h(payload));
}

function serve(held: () => RoutePlan): string[] {
  const urls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url);
    return new Response(JSON.stringify(held()), { status: 200 });
  });
  return urls;
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('route plan store', () => {
  afterEach(() => {
    resetRoutes();
    vi.unstubAllGlobals();
  });

  it('reloads the plan when progress names a newer version, and after a reconnect', async () => {
    let held = plan({ status: 'published', version: 2 });
    const urls = serve(() => held);
    await openPlan('p1');
    expect(routesState.get().plan?.version).toBe(2);
    expect(routesState.get().selectedVehicle).toBe('v1');

    held = plan({ status: 'published', version: 3 });
    emit('planProgress', { planId: 'p1', version: 3, routes: [] });
    await waitFor(() => routesState.get().plan?.version === 3, 'the reload');
    expect(urls.filter((u) => u === '/api/routing/plans/p1')).toHaveLength(2);

    held = plan({ status: 'completed', version: 4 });
    emit('resynced', undefined);
    await waitFor(() => routesState.get().plan?.status === 'completed', 'the reload after a reconnect');
  });

  it('keeps off-route alerts of the plan shown only, and drops them when another plan opens', async () => {
    let held = plan({ status: 'published' });
    serve(() => held);
    await openPlan('p1');
    emit('planOffRoute', { planId: 'p1', vehicleId: 'v2', offRouteM: 200, lat: 0, lon: 0, at: '2026-11-27T22:00:00.000Z' });
    emit('planOffRoute', { planId: 'p9', vehicleId: 'v1', offRouteM: 200, lat: 0, lon: 0, at: '2026-11-27T22:00:00.000Z' });
    expect(Object.keys(routesState.get().offRoute)).toEqual(['v2']);
    held = plan({ planId: 'p2' });
    await openPlan('p2');
    expect(routesState.get().offRoute).toEqual({});
  });

  it('does not start a second edit while one runs', async () => {
    serve(() => plan());
    await openPlan('p1');
    let release!: (p: RoutePlan) => void;
    const first = runEdit('optimize', () => new Promise<RoutePlan>((r) => (release = r)));
    expect(await runEdit('publish', () => routesApi.publish(plan()))).toBe(false);
    release(plan({ version: 2 }));
    expect(await first).toBe(true);
    expect(routesState.get()).toMatchObject({ busy: null, plan: { version: 2 } });
  });
});

describe('live subscription with a plan zone', () => {
  it("adds the plan's zone to the map's area and re-sends it when the zone changes", async () => {
    const conn = new LiveConnection();
    const sent: LiveSubscription[] = [];
    (conn as unknown as { socket: unknown }).socket = {
      connected: true,
      emit: (_ev: string, sub: LiveSubscription, ack: (r: SubscribeAck) => void) => {
        sent.push(sub);
        ack({ ok: true, subscription: sub });
      },
      disconnect: () => undefined,
    };
    await conn.subscribe({ bbox: [121, 31, 122, 32] });
    conn.setExtraZones(['north']);
    conn.setExtraZones(['north']); // unchanged: not re-sent
    await conn.subscribe({ bbox: [121.1, 31, 122, 32] });
    conn.setExtraZones([]);
    expect(sent).toEqual([
      { bbox: [121, 31, 122, 32] },
      { bbox: [121, 31, 122, 32], zones: ['north'] },
      { bbox: [121.1, 31, 122, 32], zones: ['north'] },
      { bbox: [121.1, 31, 122, 32] },
    ]);
  });
});
