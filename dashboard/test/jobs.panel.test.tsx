import type { Alarm, Job } from '@sanitation/contracts';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlarmFeed } from '../src/features/alarms/alarm-feed.panel';
import { JobQueue } from '../src/features/jobs/job-queue.panel';
import { initI18n } from '../src/i18n/i18n';
import { alarms, jobs } from '../src/state/dispatch.stores';
import { selection } from '../src/state/selection';

const now = Date.now();
const iso = (offsetMin: number) => new Date(now + offsetMin * 60_000).toISOString();
const job = (over: Partial<Job>): Job =>
  ({
    jobId: 'j',
    type: 'collection',
    cause: 'bin-full',
    deviceId: 'bin-1',
    deviceKind: 'bin',
    zone: 'north',
    lat: 31.2,
    lon: 121.4,
    priority: 3,
    status: 'open',
    message: 'fill 92 %',
    details: {},
    createdAt: iso(-30),
    dueAt: iso(60),
    updatedAt: iso(-30),
    completedAt: null,
    assignee: null,
    proposal: null,
    unsafe: false,
    flags: [],
    proof: null,
    alarmId: null,
    ...over,
  }) as Job;

type Call = { method: string; url: string; body: unknown };
let calls: Call[] = [];
let respond: (call: Call) => { status: number; body: unknown } = () => ({ status: 200, body: { items: [], total: 0 } });

function stubFetch() {
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const call = { method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const { status, body } = respond(call);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const rowsOf = (root: Element, testid: string, attr: string) => [...root.querySelectorAll(`[data-testid="${testid}"]`)].map((r) => r.getAttribute(attr));
function change(el: HTMLSelectElement | HTMLTextAreaElement, value: string, event = 'change') {
  el.value = value;
  el.dispatchEvent(new Event(event, { bubbles: true }));
}

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  calls = [];
});

describe('JobQueue', () => {
  it('lists the loaded jobs overdue first, follows live updates and filters by kind', async () => {
    jobs.replace([]);
    respond = (c) =>
      c.url.startsWith('/api/jobs?')
        ? {
            status: 200,
            body: {
              items: [
                job({ jobId: 'j-p1', priority: 1 }),
                job({ jobId: 'j-late', priority: 4, dueAt: iso(-10) }),
                job({ jobId: 'j-lamp', type: 'lamp-repair', deviceId: 'lamp-7', deviceKind: 'streetlight', zone: 'south', priority: 2 }),
              ],
              total: 3,
            },
          }
        : { status: 404, body: { message: 'no such thing' } };
    stubFetch();
    const root = document.createElement('div');
    document.body.append(root);
    render(<JobQueue canDispatch />, root);

    await waitFor(() => rowsOf(root, 'job-row', 'data-job-id').length === 3, 'three rows');
    expect(rowsOf(root, 'job-row', 'data-job-id')).toEqual(['j-late', 'j-p1', 'j-lamp']);
    expect(root.querySelector('[data-job-id="j-late"]')!.classList.contains('overdue')).toBe(true);
    expect(root.querySelector('[data-job-id="j-p1"]')!.classList.contains('overdue')).toBe(false);
    expect(calls.find((c) => c.url.startsWith('/api/jobs?'))!.url).toContain('status=open%2Cassigned%2Cen_route%2Con_site');

    jobs.upsert([job({ jobId: 'j-new', priority: 1, dueAt: iso(5), updatedAt: iso(0) })]);
    await waitFor(() => rowsOf(root, 'job-row', 'data-job-id').includes('j-new'), 'the live job');
    expect(rowsOf(root, 'job-row', 'data-job-id')).toEqual(['j-late', 'j-new', 'j-p1', 'j-lamp']);

    change(root.querySelector<HTMLSelectElement>('[data-testid="job-filter-kind"]')!, 'streetlight');
    await waitFor(() => rowsOf(root, 'job-row', 'data-job-id').length === 1, 'the filtered list');
    expect(rowsOf(root, 'job-row', 'data-type')).toEqual(['lamp-repair']);
    render(null, root);
  });

  it('accepts a proposal, shows the server error inline, and selects the asset on click', async () => {
    jobs.replace([]);
    const proposed = job({ jobId: 'j-prop', proposal: { unitType: 'vehicle', unitId: 'truck-1', name: 'Compactor 1', travelS: 420, distanceM: 2300 } });
    respond = (c) => {
      if (c.url.startsWith('/api/jobs?')) return { status: 200, body: { items: [proposed], total: 1 } };
      if (c.url === '/api/jobs/j-prop/assign') return { status: 409, body: { message: 'job j-prop is no longer open' } };
      if (c.url === '/api/jobs/j-prop') return { status: 200, body: { ...proposed, history: [{ at: iso(-30), by: 'system', action: 'open' }] } };
      return { status: 404, body: { message: 'nope' } };
    };
    stubFetch();
    const root = document.createElement('div');
    document.body.append(root);
    render(<JobQueue canDispatch />, root);
    await waitFor(() => root.querySelector('[data-testid="job-accept"]') !== null, 'the accept button');
    expect(root.querySelector('[data-job-id="j-prop"]')!.textContent).toContain('Compactor 1, 7 min · 2.3 km');

    root.querySelector<HTMLButtonElement>('[data-testid="job-accept"]')!.click();
    await waitFor(() => root.textContent!.includes('job j-prop is no longer open'), 'the server message');
    expect(calls.find((c) => c.method === 'POST')).toEqual({ method: 'POST', url: '/api/jobs/j-prop/assign', body: {} });
    expect(root.querySelector('[data-testid="job-history"]')).toBeNull();

    root.querySelector<HTMLElement>('[data-job-id="j-prop"] .job-type')!.click();
    expect(selection.get()).toMatchObject({ id: 'bin-1', kind: 'bin' });
    await waitFor(() => root.querySelector('[data-testid="job-history"]')?.textContent?.includes('system') ?? false, 'the history');
    render(null, root);
  });

  it('hides the dispatch buttons from viewers', async () => {
    jobs.replace([]);
    respond = () => ({ status: 200, body: { items: [job({ jobId: 'j-v', proposal: { unitType: 'crew', unitId: 'c', name: 'C', travelS: 60, distanceM: 100 } })], total: 1 } });
    stubFetch();
    const root = document.createElement('div');
    document.body.append(root);
    render(<JobQueue canDispatch={false} />, root);
    await waitFor(() => rowsOf(root, 'job-row', 'data-job-id').length === 1, 'the row');
    expect(root.querySelector('[data-testid="job-accept"], [data-testid="job-reassign"], [data-testid="job-cancel"]')).toBeNull();
    render(null, root);
  });
});

describe('AlarmFeed', () => {
  const alarm = (over: Partial<Alarm>): Alarm =>
    ({ alarmId: 'a', deviceId: 'bin-1', deviceKind: 'bin', cause: 'bin-full', severity: 'major', status: 'open', zone: 'north', lat: 1, lon: 2, message: '', openedAt: iso(-5), acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, resolution: null, escalations: 0, jobId: null, ...over }) as Alarm;

  it('raises the critical banner for an unacknowledged fire and requires a note to resolve', async () => {
    alarms.replace([]);
    respond = (c) => {
      if (c.url.startsWith('/api/alarms?')) return { status: 200, body: { items: [alarm({ alarmId: 'a-full' }), alarm({ alarmId: 'a-fire', cause: 'bin-fire', severity: 'critical', openedAt: iso(-60) })], total: 2 } };
      if (c.url === '/api/alarms/a-fire/resolve') return { status: 200, body: alarm({ alarmId: 'a-fire', cause: 'bin-fire', severity: 'critical', status: 'resolved', resolvedAt: iso(0), resolution: (c.body as { note: string }).note }) };
      return { status: 404, body: { message: 'nope' } };
    };
    stubFetch();
    const root = document.createElement('div');
    document.body.append(root);
    render(<AlarmFeed canDispatch />, root);
    await waitFor(() => rowsOf(root, 'alarm-row', 'data-alarm-id').length === 2, 'two alarms');
    expect(rowsOf(root, 'alarm-row', 'data-alarm-id')).toEqual(['a-fire', 'a-full']);
    const banner = document.querySelector('[data-testid="alarm-critical-banner"]');
    expect(banner?.textContent).toContain('Fire in bin');

    const fire = root.querySelector('[data-alarm-id="a-fire"]')!;
    fire.querySelector<HTMLButtonElement>('[data-testid="alarm-resolve"]')!.click();
    await waitFor(() => fire.querySelector('[data-testid="alarm-resolve-confirm"]') !== null, 'the note form');
    fire.querySelector<HTMLButtonElement>('[data-testid="alarm-resolve-confirm"]')!.click();
    await waitFor(() => fire.textContent!.includes('Say why'), 'the missing-note message');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    change(fire.querySelector<HTMLTextAreaElement>('[data-testid="alarm-note"]')!, 'fire brigade put it out', 'input');
    await new Promise((r) => setTimeout(r, 20)); // let the typed note render, as between a user's keystroke and click
    fire.querySelector<HTMLButtonElement>('[data-testid="alarm-resolve-confirm"]')!.click();
    await waitFor(() => root.querySelector('[data-alarm-id="a-fire"]')?.getAttribute('data-status') === 'resolved', 'the resolved alarm');
    expect(calls.find((c) => c.method === 'POST')).toEqual({ method: 'POST', url: '/api/alarms/a-fire/resolve', body: { note: 'fire brigade put it out' } });
    await waitFor(() => document.querySelector('[data-testid="alarm-critical-banner"]') === null, 'the banner to go');
    render(null, root);
  });
});
