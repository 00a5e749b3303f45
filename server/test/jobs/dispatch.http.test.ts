import type { Job, LoginResponse } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_SINK, type IncidentSink } from '../../src/alarms/incident-sink.js';
import { ManualClock } from '../../src/clock/clock.js';
import { DATABASE, type Database } from '../../src/database/database.js';
import { DomainEvents, type DomainEvent } from '../../src/events/domain-events.js';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { report, T0 } from '../alarms/dispatch.fixture.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { eventually } from '../support/broker.js';

const ADMIN_PASSWORD = 'correct-horse-battery';

describe('alarms and jobs over HTTP (PGlite, manual clock)', () => {
  let server: RunningApp;
  let url: string;
  const clock = new ManualClock(T0);
  const token: Record<string, string> = {};
  const events: DomainEvent[] = [];
  let jobOf: Record<string, string>;

  async function login(username: string, password: string): Promise<string> {
    const res = await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username, password } });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD }, { clock });
    url = server.baseUrl;
    token.admin = await login('admin', ADMIN_PASSWORD);
    for (const [username, role] of [['dora', 'dispatcher'], ['lin', 'crew'], ['carl', 'crew'], ['vic', 'viewer']] as const) {
      const created = await call(url, 'POST', '/api/auth/operators', { token: token.admin, body: { username, password: `${username}-password`, role } });
      expect(created.status).toBe(201);
      token[username] = await login(username, `${username}-password`);
    }
    const db = server.app.get<Database>(DATABASE);
    await db.query(
      `INSERT INTO crews (id, name, skill, members, capacity_jobs, shift_start, shift_end, base_lat, base_lon)
       VALUES ('crew-l', 'Lighting L', 'lighting', ARRAY['lin'], 8, '18:00', '06:00', 30.2, 120.1),
              ('crew-c', 'Lighting C', 'lighting', ARRAY['carl'], 8, '18:00', '06:00', 30.2, 120.1)`,
    );
    server.app.get(DomainEvents).events$.subscribe((e) => events.push(e));
    const sink = server.app.get<IncidentSink>(INCIDENT_SINK);
    await sink.raise(report('streetlight-1', 'lamp-failure'));
    await sink.raise(report('streetlight-2', 'lamp-failure'));
    await sink.raise(report('bin-1', 'bin-full'));
    const all = await call<{ items: Job[] }>(url, 'GET', '/api/jobs', { token: token.dora });
    jobOf = Object.fromEntries(all.body.items.map((j) => [j.deviceId, j.jobId]));
    expect(Object.keys(jobOf).sort()).toEqual(['bin-1', 'streetlight-1', 'streetlight-2']);
  });
  afterAll(async () => server?.close());

  it('dispatcher assigns; a crew member sees and moves only their crew\'s jobs', async () => {
    for (const [device, crew] of [['streetlight-1', 'crew-l'], ['streetlight-2', 'crew-c']] as const) {
      const res = await call<Job>(url, 'POST', `/api/jobs/${jobOf[device]}/assign`, { token: token.dora, body: { unitType: 'crew', unitId: crew } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'assigned', assignee: { unitId: crew } });
    }
    const mine = await call<{ items: Job[]; total: number }>(url, 'GET', '/api/jobs', { token: token.lin });
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(1);
    expect(mine.body.items.map((j) => j.deviceId)).toEqual(['streetlight-1']);
    expect((await call(url, 'GET', `/api/jobs/${jobOf['streetlight-2']}`, { token: token.lin })).status).toBe(404);
    expect((await call(url, 'GET', `/api/jobs/${jobOf['bin-1']}`, { token: token.lin })).status).toBe(404);
    expect((await call(url, 'POST', `/api/jobs/${jobOf['streetlight-2']}/transition`, { token: token.lin, body: { status: 'en_route' } })).status).toBe(404);

    clock.set(T0 + 60_000);
    const moved = await call<Job>(url, 'POST', `/api/jobs/${jobOf['streetlight-1']}/transition`, { token: token.lin, body: { status: 'en_route', note: 'leaving base' } });
    expect(moved.status).toBe(200);
    expect(moved.body.history!.at(-1)).toEqual({ at: new Date(T0 + 60_000).toISOString(), by: 'lin', action: 'en_route', note: 'leaving base' });
    expect(events.some((e) => e.type === 'job' && e.job.jobId === jobOf['streetlight-1'] && e.job.status === 'en_route')).toBe(true);

    const again = await call(url, 'POST', `/api/jobs/${jobOf['streetlight-1']}/transition`, { token: token.lin, body: { status: 'en_route' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('from en_route to en_route') });

    // Viewers read everything but change nothing; crews cannot assign or cancel.
    expect((await call<{ total: number }>(url, 'GET', '/api/jobs', { token: token.vic })).body.total).toBe(3);
    expect((await call(url, 'POST', `/api/jobs/${jobOf['bin-1']}/assign`, { token: token.vic, body: {} })).status).toBe(403);
    expect((await call(url, 'POST', `/api/jobs/${jobOf['bin-1']}/cancel`, { token: token.lin, body: { note: 'x' } })).status).toBe(403);
  });

  it('an empty assign body accepts the proposal, or answers 409 without one', async () => {
    const none = await call(url, 'POST', `/api/jobs/${jobOf['bin-1']}/assign`, { token: token.dora });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('NO_PROPOSAL');
    // The fleet's proposer runs in this app too and may replace a proposal set here (crew-c has
    // the wrong skill for a collection), so set and accept until an acceptance lands.
    const jobs = server.app.get(JobsService);
    const accepted = await eventually(async () => {
      await jobs.setProposal(jobOf['bin-1']!, { unitType: 'crew', unitId: 'crew-c', name: 'Lighting C', travelS: 300, distanceM: 2000 });
      const res = await call<Job & { code?: string }>(url, 'POST', `/api/jobs/${jobOf['bin-1']}/assign`, { token: token.dora, body: {} });
      if (res.status === 409 && res.body.code === 'NO_PROPOSAL') return null;
      return res;
    }, 'an accepted proposal');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'assigned', assignee: { unitType: 'crew', unitId: accepted.body.proposal!.unitId } });
    expect(accepted.body.history!.at(-1)).toMatchObject({ action: 'assigned', by: 'dora' });
    const cancelled = await call<Job>(url, 'POST', `/api/jobs/${jobOf['bin-1']}/cancel`, { token: token.dora, body: { note: 'bin removed' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.history!.at(-1)).toMatchObject({ by: 'dora', action: 'cancelled', note: 'bin removed' });
  });

  it('answers bad input with 400 naming the field, unknown ids with 404', async () => {
    const job = jobOf['streetlight-2'];
    const cases: [string, string, unknown, string][] = [
      ['POST', `/api/jobs/${job}/transition`, { status: 'flying' }, 'status'],
      ['POST', `/api/jobs/${job}/transition`, { status: 'done', photoUrl: 'not a url' }, 'photoUrl'],
      ['POST', `/api/jobs/${job}/cancel`, {}, 'note'],
      ['POST', `/api/jobs/${job}/assign`, { unitType: 'crew' }, 'unitId'],
      ['POST', `/api/jobs/${job}/assign`, { unitType: 'boat', unitId: 'x' }, 'unitType'],
      ['GET', '/api/jobs?priority=9', undefined, 'priority'],
      ['GET', '/api/jobs?status=open,lost', undefined, 'status.1'],
      ['GET', '/api/alarms?severity=bad', undefined, 'severity.0'],
      ['POST', '/api/alarms/1/resolve', {}, 'note'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(url, method, path, { token: token.dora, body });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.issues.map((i: { path: string }) => i.path), `${method} ${path}`).toContain(field);
      expect(res.body.message).toContain(field);
    }
    const unit = await call(url, 'POST', `/api/jobs/${job}/assign`, { token: token.dora, body: { unitType: 'vehicle', unitId: 'ghost' } });
    expect(unit.status).toBe(400);
    expect(unit.body.message).toMatch(/^unitId: /);
    for (const path of ['/api/jobs/999999', '/api/jobs/abc', '/api/alarms/999999', '/api/alarms/abc']) {
      expect((await call(url, 'GET', path, { token: token.dora })).status, path).toBe(404);
    }
    expect((await call(url, 'POST', '/api/jobs/999999/cancel', { token: token.dora, body: { note: 'x' } })).status).toBe(404);
    expect((await call(url, 'POST', '/api/alarms/999999/ack', { token: token.dora, body: {} })).status).toBe(404);
  });

  it('lists, acknowledges and resolves alarms with history; roles enforced', async () => {
    const sink = server.app.get<IncidentSink>(INCIDENT_SINK);
    await sink.raise(report('bin-9', 'bin-fire'));
    const list = await call<{ items: { alarmId: string; deviceId: string; severity: string; status: string; cause: string }[]; total: number }>(
      url, 'GET', '/api/alarms?status=open', { token: token.vic },
    );
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ deviceId: 'bin-9', severity: 'critical', cause: 'bin-fire' }); // most severe first
    const id = list.body.items[0]!.alarmId;
    expect((await call(url, 'POST', `/api/alarms/${id}/ack`, { token: token.vic, body: {} })).status).toBe(403);
    const ack = await call(url, 'POST', `/api/alarms/${id}/ack`, { token: token.dora, body: { note: 'fire brigade called' } });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'dora' });
    expect((await call(url, 'POST', `/api/alarms/${id}/ack`, { token: token.dora, body: {} })).status).toBe(409);
    const resolved = await call(url, 'POST', `/api/alarms/${id}/resolve`, { token: token.admin, body: { note: 'fire out' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: 'admin', resolution: 'fire out' });
    const got = await call(url, 'GET', `/api/alarms/${id}`, { token: token.lin });
    expect(got.body.history.map((h: { action: string; by: string }) => `${h.action}:${h.by}`)).toEqual([
      'opened:system',
      'acknowledged:dora',
      'resolved:admin',
    ]);
    // The fire-response job stays open for the crew to check the site.
    expect((await call<{ total: number }>(url, 'GET', '/api/jobs?deviceId=bin-9&status=open', { token: token.dora })).body.total).toBe(1);
    expect((await call<{ total: number }>(url, 'GET', '/api/alarms?status=resolved&kind=bin', { token: token.dora })).body.total).toBe(1);
  });
});
