import type { Job, LoginResponse } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_SINK, type IncidentSink } from '../src/alarms/incident-sink.js';
import { ManualClock } from '../src/clock/clock.js';
import { DATABASE, type Database } from '../src/database/database.js';
import { report, T0 } from './alarms/dispatch.fixture.js';
import { call, startApp, type RunningApp } from './support/app.js';

const ADMIN_PASSWORD = 'correct-horse-battery';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('fake jpeg body '.repeat(100)), Buffer.from([0xff, 0xd9])]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png chunks')]);

describe('job photos over HTTP (PGlite)', () => {
  let server: RunningApp;
  let url: string;
  const token: Record<string, string> = {};
  let jobId: string;
  let otherJobId: string;

  async function login(username: string, password: string): Promise<string> {
    const res = await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username, password } });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  async function upload(job: string, who: string | null, body: Uint8Array | ReadableStream<Uint8Array> | null, contentType?: string) {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Bearer ${token[who]}`;
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(`${url}/api/jobs/${job}/photos`, {
      method: 'POST',
      headers,
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  }

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD }, { clock: new ManualClock(T0) });
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
    const sink = server.app.get<IncidentSink>(INCIDENT_SINK);
    await sink.raise(report('streetlight-1', 'lamp-failure'));
    await sink.raise(report('streetlight-2', 'lamp-failure'));
    const all = await call<{ items: Job[] }>(url, 'GET', '/api/jobs', { token: token.dora });
    const byDevice = Object.fromEntries(all.body.items.map((j) => [j.deviceId, j.jobId]));
    jobId = byDevice['streetlight-1']!;
    otherJobId = byDevice['streetlight-2']!;
    for (const [job, crew] of [[jobId, 'crew-l'], [otherJobId, 'crew-c']] as const) {
      const res = await call(url, 'POST', `/api/jobs/${job}/assign`, { token: token.dora, body: { unitType: 'crew', unitId: crew } });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => server?.close());

  it("stores a crew member's photo and gives it back, with the token, to those who may see the job", async () => {
    const up = await upload(jobId, 'lin', JPEG, 'image/jpeg');
    expect(up.status).toBe(201);
    expect(up.body).toEqual({ photoId: expect.stringMatching(/^[0-9a-f-]{36}$/), url: `/api/jobs/${jobId}/photos/${up.body.photoId}` });

    for (const who of ['lin', 'dora', 'vic']) {
      const res = await fetch(`${url}${up.body.url}`, { headers: { authorization: `Bearer ${token[who]}` } });
      expect(res.status, who).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(Buffer.from(await res.arrayBuffer()).equals(JPEG), who).toBe(true);
    }
    // An <img> could not send the header: without it the photo is refused.
    expect((await fetch(`${url}${up.body.url}`)).status).toBe(401);
    // Another crew neither sees it nor uploads to that job.
    expect((await fetch(`${url}${up.body.url}`, { headers: { authorization: `Bearer ${token.carl}` } })).status).toBe(404);
    expect((await upload(jobId, 'carl', JPEG, 'image/jpeg')).status).toBe(404);
    // Viewers read but do not write; dispatchers may attach photos too.
    expect((await upload(jobId, 'vic', JPEG, 'image/jpeg')).status).toBe(403);
    expect((await upload(jobId, 'dora', PNG, 'image/png')).status).toBe(201);
  });

  it('passes the returned path as photoUrl when the crew closes the job', async () => {
    const up = await upload(jobId, 'lin', JPEG, 'image/jpeg; charset=binary');
    expect(up.status).toBe(201);
    const done = await call<Job>(url, 'POST', `/api/jobs/${jobId}/transition`, {
      token: token.lin,
      body: { status: 'done', note: 'lamp replaced', photoUrl: up.body.url },
    });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    expect(done.body.proof?.photoUrl).toBe(up.body.url);
    expect(done.body.history!.at(-1)).toMatchObject({ by: 'lin', note: 'lamp replaced' });
    // The job is closed: the crew cannot add more, a dispatcher still can.
    const late = await upload(jobId, 'lin', JPEG, 'image/jpeg');
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('done');
    expect((await upload(jobId, 'dora', JPEG, 'image/jpeg')).status).toBe(201);
  });

  it('refuses what is not a photo with a clear 400, 413 or 415', async () => {
    const cases: [string, Uint8Array | null, string | undefined, number, RegExp][] = [
      ['plain text', Buffer.from('hello'), 'text/plain', 415, /content-type must be one of image\/jpeg, image\/png, image\/webp \(got text\/plain\)/],
      ['gif', Buffer.from('GIF89a'), 'image/gif', 415, /got image\/gif/],
      ['no type', JPEG, undefined, 415, /got none/],
      ['json', Buffer.from('{}'), 'application/json', 415, /content-type/],
      ['empty', Buffer.alloc(0), 'image/jpeg', 400, /body is empty/],
      ['png bytes labelled jpeg', PNG, 'image/jpeg', 400, /not a image\/jpeg image/],
      ['6 MB', Buffer.concat([JPEG, Buffer.alloc(6 * 1024 * 1024)]), 'image/jpeg', 413, /limit of 5 MB/],
    ];
    for (const [name, body, type, status, message] of cases) {
      const res = await upload(otherJobId, 'carl', body, type);
      expect(res.status, name).toBe(status);
      expect(res.body.message, name).toMatch(message);
    }
  });

  it('counts a streamed body without a length against the 5 MB cap too', async () => {
    const chunk = new Uint8Array(512 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent === 0) ctrl.enqueue(new Uint8Array(JPEG));
        if (sent >= 12) ctrl.close();
        else ctrl.enqueue(chunk);
        sent++;
      },
    });
    const res = await upload(otherJobId, 'carl', stream, 'image/webp').catch((err: Error) => ({ status: -1, body: err.message }));
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/over the limit of 5 MB/);
    // Just under the cap is fine.
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.alloc(5 * 1024 * 1024 - 12)]);
    expect((await upload(otherJobId, 'carl', webp, 'image/webp')).status).toBe(201);
  });

  it('answers 404 for unknown jobs and photos', async () => {
    for (const path of [`/api/jobs/${otherJobId}/photos/00000000-0000-4000-8000-000000000000`, `/api/jobs/${otherJobId}/photos/nope`, '/api/jobs/999999/photos/x', '/api/jobs/abc/photos/x']) {
      const res = await call(url, 'GET', path, { token: token.dora });
      expect(res.status, path).toBe(404);
    }
    expect((await upload('999999', 'dora', JPEG, 'image/jpeg')).status).toBe(404);
  });
});
