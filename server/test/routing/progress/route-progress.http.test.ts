import type { Alarm, Paged, RoutePlan } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_SINK, type IncidentSink } from '../../../src/alarms/incident-sink.js';
import { ManualClock } from '../../../src/clock/clock.js';
import { DomainEvents } from '../../../src/events/domain-events.js';
import { FleetUnitsService } from '../../../src/fleet/fleet-units.service.js';
import { createLogger } from '../../../src/logging/logger.js';
import type { PublishedPlansPort } from '../../../src/routing/progress/published-plans.port.js';
import { RouteProgressService } from '../../../src/routing/progress/route-progress.service.js';
import { call, startApp, type RunningApp } from '../../support/app.js';
import { fix, onePlan, T0 } from './plan.fixture.js';

const ADMIN_PASSWORD = 'correct-horse-battery';

/** The real server (PGlite): the progress module boots, and an off-route truck opens and resolves a real alarm. */
describe('route progress in the server', () => {
  let server: RunningApp;
  let token: string;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD }, { clock });
    const login = await call<{ token: string }>(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    token = login.body.token;
  });
  afterAll(() => server?.close());

  it('is wired into the app', () => {
    expect(server.app.get(RouteProgressService)).toBeInstanceOf(RouteProgressService);
  });

  it('a truck 400 m off its planned path for 3 min gets an off-route warning on the alarm list; back on the path, it is resolved', async () => {
    const plans: PublishedPlansPort = { published: () => Promise.resolve([onePlan()] as RoutePlan[]), saveProgress: () => Promise.resolve(), complete: () => Promise.resolve() };
    const service = new RouteProgressService(
      server.app.get(DomainEvents),
      plans,
      server.app.get<IncidentSink>(INCIDENT_SINK),
      server.app.get(FleetUnitsService),
      clock,
      createLogger('silent'),
    );
    service.onModuleInit();
    await service.refresh();
    const events = server.app.get(DomainEvents);
    for (let s = 0; s <= 180; s += 30) {
      clock.set(T0 + s * 1000);
      events.emit({ type: 'truck', position: fix(500, T0 + s * 1000, 400) });
    }
    await service.flush();
    const open = await call<Paged<Alarm>>(server.baseUrl, 'GET', '/api/alarms?cause=off-route&status=open', { token });
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(1);
    expect(open.body.items[0]).toMatchObject({ deviceId: 'gps-1', deviceKind: 'truck', severity: 'warning', message: 'Truck 1 is 400 m off its planned route', jobId: null });

    clock.set(T0 + 4 * 60_000);
    events.emit({ type: 'truck', position: fix(700, T0 + 4 * 60_000) });
    await service.flush();
    const after = await call<Paged<Alarm>>(server.baseUrl, 'GET', '/api/alarms?cause=off-route', { token });
    expect(after.body.items).toHaveLength(1);
    expect(after.body.items[0]).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
    expect(after.body.items[0]!.resolution).toMatch(/back on the planned route/);
    service.onModuleDestroy();
  });
});
