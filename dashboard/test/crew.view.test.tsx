import type { Job } from '@sanitation/contracts';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { session } from '../src/auth/session';
import { CrewView } from '../src/features/crew/crew-view.page';
import { initI18n } from '../src/i18n/i18n';
import { jobs } from '../src/state/dispatch.stores';

const job = (jobId: string, over: Partial<Job>): Job =>
  ({
    jobId,
    type: 'lamp-repair',
    cause: 'lamp-failure',
    deviceId: `streetlight-${jobId}`,
    deviceKind: 'streetlight',
    zone: 'north',
    lat: 31.2,
    lon: 121.4,
    priority: 3,
    status: 'assigned',
    message: 'lamp off at night',
    details: {},
    createdAt: '2026-11-27T10:00:00.000Z',
    dueAt: '2099-01-01T00:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    completedAt: null,
    assignee: { unitType: 'crew', unitId: 'crew-l' },
    proposal: null,
    unsafe: false,
    flags: [],
    proof: null,
    alarmId: null,
    ...over,
  }) as Job;

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('CrewView', () => {
  let root: HTMLElement;
  const posted: { url: string; body: unknown }[] = [];
  beforeAll(async () => {
    await initI18n('en');
    session.set({ token: 't', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), username: 'lin', role: 'crew' });
  });
  afterEach(() => {
    render(null, root);
    root.remove();
    vi.unstubAllGlobals();
  });

  it("lists the crew's jobs in order with only the legal buttons, readings degrading on 404", async () => {
    const served = [job('a', {}), job('b', { status: 'on_site', priority: 4 }), job('c', { status: 'en_route' })];
    // A job of another unit already in the store (e.g. from an earlier session) must not show.
    jobs.upsert([job('x', { assignee: { unitType: 'crew', unitId: 'crew-other' } })]);
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
      if (init.method === 'POST') {
        const body = JSON.parse(String(init.body));
        posted.push({ url, body });
        const id = url.split('/')[3]!;
        return json(200, { ...served.find((j) => j.jobId === id)!, status: body.status, updatedAt: new Date().toISOString() });
      }
      if (url.startsWith('/api/jobs')) return json(200, { items: served, total: served.length });
      if (url === '/api/crews') return json(200, [{ crewId: 'crew-l', members: ['lin'] }]);
      if (url === '/api/vehicles') return json(200, []);
      if (url === '/api/map/assets/streetlight-a') return json(200, { id: 'streetlight-a', kind: 'streetlight', online: true, ts: Date.now(), values: { powerW: 0, on: true } });
      return json(404, { message: 'not found' });
    });
    root = document.createElement('div');
    document.body.append(root);
    render(<CrewView />, root);
    const cards = () => [...root.querySelectorAll('[data-testid="crew-job"]')];
    await waitFor(() => cards().length === 3, 'three cards');
    expect(cards().map((c) => `${c.getAttribute('data-job-id')}:${c.getAttribute('data-status')}`)).toEqual(['b:on_site', 'c:en_route', 'a:assigned']);
    const buttons = (c: Element) => [...c.querySelectorAll('.crew-actions button')].map((b) => b.getAttribute('data-testid'));
    expect(cards().map(buttons)).toEqual([['crew-done'], ['crew-on-site', 'crew-done'], ['crew-en-route', 'crew-on-site', 'crew-done']]);
    expect(cards()[0]!.querySelector('[data-testid="crew-map-link"]')!.getAttribute('href')).toBe('geo:31.2,121.4?q=31.2,121.4(streetlight-b)');
    const readings = (id: string) => root.querySelector(`[data-job-id="${id}"] [data-testid="crew-last-readings"]`)!;
    await waitFor(() => readings('a').getAttribute('data-state') === 'ok' && readings('b').getAttribute('data-state') === 'none', 'readings');
    expect(readings('a').textContent).toContain('powerW');
    expect(readings('b').textContent).toContain('No readings yet');

    const a = root.querySelector('[data-job-id="a"]')!;
    const note = a.querySelector<HTMLTextAreaElement>('[data-testid="crew-note"]')!;
    note.value = 'fixed the fuse';
    note.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0)); // let Preact re-render, as between two taps
    a.querySelector<HTMLButtonElement>('[data-testid="crew-done"]')!.click();
    await waitFor(() => cards().length === 2, 'the done job to drop off');
    expect(posted).toEqual([{ url: '/api/jobs/a/transition', body: { status: 'done', note: 'fixed the fuse' } }]);
  });
});
