import type { OffRouteEvent, PlanChangedEvent, PlanProgressEvent, RoutePlan } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEvents } from '../../../src/events/domain-events.js';
import { planBbox } from '../../../src/routing/plans/plan-geometry.js';
import { call, startApp, type RunningApp } from '../../support/app.js';
import { connected, connectLive, job as liveJob, login, recorder, type LiveTestSocket } from '../../live/fixtures.js';

const ADMIN_PASSWORD = 'routing-live-admin';

function plan(zone: string, lat: number, lon: number): RoutePlan {
  const stop = { stopId: 'c:b-1', kind: 'collect' as const, deviceId: 'b-1', deviceKind: 'bin' as const, siteId: null, name: null, lat, lon, arriveAt: '', serviceAt: '', departAt: '', windowFrom: null, windowTo: null, demandKg: 10, loadAfterKg: 10, predictedPct: 90, locked: false, jobId: null, progress: 'planned' as const, actualArriveAt: null, etaAt: null };
  return {
    planId: `p-${zone}`, zone, date: '2026-11-28', status: 'published', version: 2, createdAt: '', createdBy: 'admin', publishedAt: null, publishedBy: null,
    params: { vehicleIds: ['t1'], collectAtPct: 80, nextRoundAt: '', timeLimitS: 1, seed: 1, balance: true },
    summary: { routes: 1, stops: 1, distanceM: 0, durationS: 0, collectedKg: 10, leftOut: 0, feasible: true, travel: 'straight-line', solveMs: 0, iterations: 0 },
    routes: [{ vehicleId: 't1', vehicleName: 'T1', capacityKg: 100, stops: [stop], distanceM: 0, durationS: 0, path: [], progress: null }],
    leftOut: [], history: [],
  };
}

describe('plan events on the live socket', () => {
  let server: RunningApp;
  const sockets: LiveTestSocket[] = [];

  async function subscriber(token: string, sub: Record<string, unknown>) {
    const socket = connectLive(server.baseUrl, { token });
    sockets.push(socket);
    await connected(socket);
    const rec = recorder(socket);
    const ack = await socket.emitWithAck('subscribe', sub as never);
    expect(ack.ok).toBe(true);
    return rec;
  }

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD, ROUTING_TRAVEL: 'straight-line' });
    const admin = await login(server.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const [username, role] of [['ops', 'dispatcher'], ['crewman', 'crew']]) {
      expect((await call(server.baseUrl, 'POST', '/api/auth/operators', { token: admin, body: { username, password: `${username}-pass-1`, role } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
  });

  it('goes to operators watching the plan’s zone or a bbox that meets it; not to other areas, not to crews', async () => {
    const ops = await login(server.baseUrl, 'ops', 'ops-pass-1');
    const crew = await login(server.baseUrl, 'crewman', 'crewman-pass-1');
    const byZone = await subscriber(ops, { zones: ['z1'] });
    const byBbox = await subscriber(ops, { bbox: [120.1, 30.2, 120.2, 30.3] });
    const elsewhere = await subscriber(ops, { zones: ['z9'], bbox: [10, 10, 11, 11] });
    const crewSub = await subscriber(crew, { zones: ['z1'] });

    const p = plan('z1', 30.25, 120.16);
    const events = server.app.get(DomainEvents);
    const changed: PlanChangedEvent = { plan: p, change: 'published' };
    const progress: PlanProgressEvent = { planId: p.planId, version: 2, routes: [] };
    const offRoute: OffRouteEvent = { planId: p.planId, vehicleId: 't1', offRouteM: 420, lat: 30.26, lon: 120.17, at: '2026-11-28T01:00:00.000Z' };
    events.emit({ type: 'plan', event: changed, bbox: planBbox(p) });
    events.emit({ type: 'plan-progress', zone: 'z1', bbox: planBbox(p), event: progress });
    events.emit({ type: 'plan-off-route', zone: 'z1', bbox: planBbox(p), event: offRoute });

    await expect.poll(() => byZone.of('plan:off-route').length).toBe(1);
    await expect.poll(() => byBbox.of('plan:off-route').length).toBe(1);
    for (const rec of [byZone, byBbox]) {
      expect(rec.of('plan:changed')).toEqual([changed]);
      expect(rec.of('plan:progress')).toEqual([progress]);
      expect(rec.of('plan:off-route')).toEqual([offRoute]);
    }
    // A job in the other area, emitted after the plan events, arrives after anything sent before it.
    events.emit({ type: 'job', job: liveJob({ zone: 'z9', lat: 10.5, lon: 10.5 }) });
    await expect.poll(() => elsewhere.of('job:changed').length).toBe(1);
    expect(elsewhere.received.filter((r) => r.event.startsWith('plan:'))).toEqual([]);
    expect(crewSub.received.filter((r) => r.event.startsWith('plan:'))).toEqual([]);
  });
});
