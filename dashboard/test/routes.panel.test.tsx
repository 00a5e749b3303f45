import type { PlanRoute, RoutePlan } from '@sanitation/contracts';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../src/i18n/i18n';
import { live } from '../src/live/live-connection';
import { plan, route1, route2 } from './routes.fixture';

// uPlot needs a real canvas; jsdom has none. The curve's series are tested in routes.logic.test.ts.
vi.mock('../src/features/routes/plan-load.chart', () => ({
  PlanLoadChart: ({ route }: { route: PlanRoute }) => <div data-testid="plan-load-chart" data-vehicle-id={route.vehicleId} />,
}));
const { RoutesPanel } = await import('../src/features/routes/routes.panel');
const { resetRoutes, routesFocus } = await import('../src/features/routes/route-plan.store');
const { selection } = await import('../src/state/selection');

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const tick = () => new Promise((r) => setTimeout(r, 0));

/** Fires a socket event as the live connection would. */
function emit(name: 'planChanged' | 'planProgress' | 'planOffRoute', payload: unknown): void {
  (live as unknown as { handlers: Record<string, Set<(e: unknown) => void>> }).handlers[name]!.forEach((h) => h(payload));
}

interface Call {
  method: string;
  url: string;
  body: unknown;
}

/** A fake plan API: answers with `next(call)` for edits, the held plan for GET. */
function fakeServer(onEdit: (call: Call, held: RoutePlan) => { status: number; body: unknown }) {
  const calls: Call[] = [];
  let held: RoutePlan | null = null;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    const path = url.split('?')[0]!;
    if (method === 'GET') {
      if (path === '/api/zones') return json(200, { type: 'FeatureCollection', features: [{ properties: { id: 'north', name: '北区' } }, { properties: { id: 'south', name: '南区' } }] });
      if (path === '/api/vehicles')
        return json(200, [
          { vehicleId: 'v1', name: 'Truck 1', skill: 'collection', capacityKg: 1000 },
          { vehicleId: 's1', name: 'Suction', skill: 'septic', capacityKg: 5000 },
          { vehicleId: 'v2', name: 'Truck 2', skill: 'collection', capacityKg: 800 },
        ]);
      if (path === '/api/routing/plans') return json(200, held ? [held] : []);
      if (path === '/api/routing/plans/p1' && held) return json(200, held);
      return json(404, { message: 'not found' });
    }
    const call = { method, url, body };
    calls.push(call);
    if (method === 'POST' && path === '/api/routing/plans') {
      held = plan();
      return json(201, held);
    }
    const answer = onEdit(call, held!);
    if (answer.status < 300) held = answer.body as RoutePlan;
    return json(answer.status, answer.body);
  });
  return { calls, setHeld: (p: RoutePlan) => (held = p) };
}

describe('RoutesPanel', () => {
  let root: HTMLElement;
  beforeAll(async () => {
    await initI18n('en');
  });
  afterEach(() => {
    render(null, root);
    root.remove();
    resetRoutes();
    vi.unstubAllGlobals();
  });
  const $ = (sel: string) => root.querySelector<HTMLElement>(`[data-testid="${sel}"]`);
  const $$ = (sel: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${sel}"]`)];
  const stopRow = (id: string) => root.querySelector<HTMLElement>(`[data-testid="plan-stop"][data-stop-id="${id}"]`)!;
  const status = () => $('plan-status');
  const setValue = (el: HTMLElement, value: string, event: 'change' | 'input') => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event(event, { bubbles: true }));
  };

  it('requests a plan for the chosen zone and collection trucks, shows it, and edits it with a stale edit reloaded', async () => {
    const server = fakeServer((call, held) => {
      if (call.url.endsWith('/stops/s1-a')) {
        const p = structuredClone(held);
        p.version = 2;
        p.routes[0]!.stops[1]!.locked = true;
        return { status: 200, body: p };
      }
      if (call.url.endsWith('/moves') && (call.body as { version: number }).version === 2) {
        server.setHeld(plan({ version: 3 }));
        return { status: 409, body: { message: 'plan p1 is at version 3, not 2' } };
      }
      if (call.url.endsWith('/moves')) {
        const r1 = route1();
        const r2 = route2();
        const [moved] = r1.stops.splice(2, 1);
        r2.stops.splice(1, 0, { ...moved!, locked: true });
        return { status: 200, body: plan({ version: 4, routes: [r1, r2] }) };
      }
      if (call.url.endsWith('/publish')) return { status: 200, body: plan({ version: 5, status: 'published' }) };
      return { status: 400, body: { message: 'unexpected' } };
    });
    root = document.createElement('div');
    document.body.append(root);
    render(<RoutesPanel canDispatch />, root);

    await waitFor(() => $$('plan-vehicle').length === 2 && root.querySelectorAll('[data-testid="plan-zone"] option').length === 3, 'zones and trucks');
    expect($$('plan-vehicle').map((c) => c.getAttribute('data-vehicle-id'))).toEqual(['v1', 'v2']);
    expect($('routes-panel')!.textContent).toContain('No plan open');

    // Nothing is sent until a zone and a truck are chosen.
    $('plan-create')!.click();
    await tick();
    expect($('plan-form-problem')!.textContent).toBe('Choose a zone');
    setValue($('plan-zone')!, 'north', 'change');
    await tick();
    $('plan-create')!.click();
    await tick();
    expect($('plan-form-problem')!.textContent).toBe('Choose at least one truck');
    expect(server.calls).toEqual([]);

    root.querySelector<HTMLInputElement>('[data-vehicle-id="v2"]')!.click();
    await tick();
    root.querySelector<HTMLInputElement>('[data-vehicle-id="v1"]')!.click();
    await tick();
    setValue($('plan-collect-at')!, '70', 'input');
    await tick();
    // on by default (share the round out); the dispatcher asks for fewest trucks instead
    expect(($('plan-balance') as HTMLInputElement).checked).toBe(true);
    $('plan-balance')!.click();
    await tick();
    $('plan-create')!.click();
    await waitFor(() => status() !== null, 'the plan');
    expect(server.calls[0]).toMatchObject({ method: 'POST', url: '/api/routing/plans', body: { zone: 'north', vehicleIds: ['v1', 'v2'], collectAtPct: 70, timeLimitS: 5, balance: false } });
    expect((server.calls[0]!.body as { date: string }).date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The plan as the dispatcher sees it.
    expect([status()!.dataset.status, status()!.dataset.planId, status()!.dataset.version]).toEqual(['draft', 'p1', '1']);
    const summary = $('plan-summary')!.textContent!;
    expect(summary).toContain('20.3 km');
    expect(summary).toContain('5:20');
    expect(summary).toContain('1,200 kg');
    expect(summary).toContain('street graph');
    expect(summary).toContain('4.2 s');
    expect($$('plan-route').map((r) => r.dataset.vehicleId)).toEqual(['v1', 'v2']);
    const v1Stops = [...$$('plan-route')[0]!.querySelectorAll<HTMLElement>('[data-testid="plan-stop"]')];
    expect(v1Stops.map((s) => `${s.dataset.kind}:${s.dataset.deviceId}:${s.dataset.locked}:${s.dataset.progress}`)).toEqual([
      'start::false:planned',
      'collect:bin-a:false:planned',
      'collect:bin-b:true:planned',
      'unload::false:planned',
      'end::false:planned',
    ]);
    // City time (Shanghai) whatever the test machine's zone; window and predicted fill shown.
    expect(stopRow('s1-a').textContent).toContain('06:10 / 06:10 / 06:15');
    expect(stopRow('s1-a').textContent).toContain('window 05:00–07:00');
    expect(stopRow('s1-a').textContent).toContain('85 %');
    expect(stopRow('s1-a').textContent).toContain('load 400 kg');
    expect($$('plan-left-out').map((l) => `${l.dataset.deviceId}:${l.dataset.reason}`)).toEqual(['bin-z:can-wait']);
    expect($('plan-left-out')!.textContent).toContain('predicted 54 % at 2026-11-29 06:00');
    expect($('plan-load-chart')!.dataset.vehicleId).toBe('v1');

    // A bin in the list selects it (the map flies there, its panel opens); the unload site only moves the map.
    stopRow('s1-unload').querySelector<HTMLElement>('.plan-stop-line')!.click();
    expect([routesFocus.get(), selection.get()]).toEqual([{ lon: 121.43, lat: 31.23 }, null]);
    stopRow('s1-b').querySelector<HTMLElement>('.plan-stop-line')!.click();
    expect(selection.get()).toEqual({ id: 'bin-b', kind: 'bin', lon: 121.42, lat: 31.22 });
    selection.set(null);

    // Lock a stop.
    stopRow('s1-a').querySelector<HTMLButtonElement>('[data-testid="plan-stop-lock"]')!.click();
    await waitFor(() => stopRow('s1-a').dataset.locked === 'true', 'the lock');
    expect(server.calls[1]).toEqual({ method: 'PATCH', url: '/api/routing/plans/p1/stops/s1-a', body: { version: 1, locked: true } });
    expect(status()!.dataset.version).toBe('2');

    // A move made on a version someone else has replaced: the server's message, and the plan reloaded.
    const move = async (stopId: string, vehicleId: string, position: string) => {
      stopRow(stopId).querySelector<HTMLButtonElement>('[data-testid="plan-stop-move"]')!.click();
      await tick();
      setValue(stopRow(stopId).querySelector('[data-testid="plan-move-vehicle"]')!, vehicleId, 'change');
      setValue(stopRow(stopId).querySelector('[data-testid="plan-move-index"]')!, position, 'input');
      await tick();
      stopRow(stopId).querySelector<HTMLButtonElement>('[data-testid="plan-move-confirm"]')!.click();
    };
    await move('s1-b', 'v2', '1');
    await waitFor(() => $('plan-error') !== null, 'the stale error');
    expect($('plan-error')!.textContent).toContain('The plan changed; reloaded. (plan p1 is at version 3, not 2)');
    expect(status()!.dataset.version).toBe('3');

    // The editor stays open on the reloaded plan, so the dispatcher can try again.
    stopRow('s1-b').querySelector<HTMLButtonElement>('[data-testid="plan-move-confirm"]')!.click();
    await waitFor(() => status()!.dataset.version === '4', 'the move');
    expect(server.calls.at(-1)).toEqual({ method: 'POST', url: '/api/routing/plans/p1/moves', body: { version: 3, stopId: 's1-b', toVehicleId: 'v2', toIndex: 0 } });
    expect($('plan-error')).toBeNull();
    expect([...$$('plan-route')[1]!.querySelectorAll<HTMLElement>('[data-testid="plan-stop"]')].map((s) => s.dataset.stopId)).toEqual(['s2-start', 's1-b', 's2-c', 's2-end']);

    // Publish asks first.
    $('plan-publish')!.click();
    await tick();
    expect(server.calls.at(-1)!.url).not.toContain('publish');
    $('plan-publish-confirm')!.click();
    await waitFor(() => status()!.dataset.status === 'published', 'published');
    expect(server.calls.at(-1)).toEqual({ method: 'POST', url: '/api/routing/plans/p1/publish', body: { version: 4 } });
    expect($('plan-optimize')).toBeNull(); // a published plan is not re-optimised by hand
    expect($('plan-stop-lock')).toBeNull();
  });

  it('follows a published plan live: progress, ETA, off-route badge, re-plans; a breakdown needs a note', async () => {
    const published = plan({ status: 'published', version: 5 });
    const server = fakeServer((call, held) => {
      if (call.url.endsWith('/breakdown')) return { status: 200, body: { ...held, version: held.version + 1, history: [{ at: '', by: 'd', action: 'replanned' }] } };
      if (call.url.endsWith('/cancel')) return { status: 200, body: { ...held, version: held.version + 1, status: 'cancelled' } };
      return { status: 400, body: { message: 'unexpected' } };
    });
    server.setHeld(published);
    root = document.createElement('div');
    document.body.append(root);
    render(<RoutesPanel canDispatch />, root);
    // The wall screen opens today's plan by itself.
    await waitFor(() => status()?.dataset.status === 'published', 'the published plan');

    emit('planProgress', {
      planId: 'p1',
      version: 5,
      routes: [
        {
          vehicleId: 'v1',
          progress: { nextStopIndex: 2, doneStops: 2, delayS: 420, offRoute: false, offRouteM: 10, lastFixAt: '2026-11-27T22:20:00.000Z', withdrawn: false },
          stops: [
            { stopId: 's1-a', progress: 'done', actualArriveAt: '2026-11-27T22:14:00.000Z', etaAt: null },
            { stopId: 's1-b', progress: 'en_route', actualArriveAt: null, etaAt: '2026-11-27T22:36:00.000Z' },
          ],
        },
      ],
    });
    await waitFor(() => stopRow('s1-b').dataset.progress === 'en_route', 'progress');
    expect(stopRow('s1-a').dataset.progress).toBe('done');
    expect(stopRow('s1-a').textContent).toContain('arrived 06:14');
    expect(stopRow('s1-b').querySelector('[data-testid="plan-stop-eta"]')!.textContent).toBe('ETA 06:36');
    expect($$('plan-route')[0]!.querySelector('[data-testid="plan-route-progress"]')!.textContent).toContain('+7 min');

    emit('planOffRoute', { planId: 'p1', vehicleId: 'v2', offRouteM: 312.4, lat: 31.2, lon: 121.4, at: '2026-11-27T22:25:00.000Z' });
    await waitFor(() => $('plan-offroute') !== null, 'the off-route badge');
    expect($$('plan-offroute').map((b) => `${b.dataset.vehicleId}:${b.textContent}`)).toEqual(['v2:Off route 312 m']);

    // A re-plan arrives over the socket: the new version replaces the plan shown.
    const replanned = plan({ status: 'published', version: 6, routes: [route1()] });
    server.setHeld(replanned);
    emit('planChanged', { change: 'replanned', plan: replanned });
    await waitFor(() => status()!.dataset.version === '6', 'the re-plan');
    expect($$('plan-route').map((r) => r.dataset.vehicleId)).toEqual(['v1']);

    // Breakdown: the note is required.
    $('plan-breakdown')!.click();
    await tick();
    expect(($('plan-breakdown-confirm') as HTMLButtonElement).disabled).toBe(true);
    setValue($('plan-breakdown-note')!, 'gearbox failed', 'input');
    await tick();
    $('plan-breakdown-confirm')!.click();
    await waitFor(() => status()!.dataset.version === '7', 'the re-plan after the breakdown');
    expect(server.calls.at(-1)).toEqual({ method: 'POST', url: '/api/routing/plans/p1/breakdown', body: { vehicleId: 'v1', note: 'gearbox failed' } });

    $('plan-cancel')!.click();
    await tick();
    expect(server.calls.at(-1)!.url).not.toContain('cancel');
    $('plan-cancel-confirm')!.click();
    await waitFor(() => status()!.dataset.status === 'cancelled', 'the cancellation');
    expect(server.calls.at(-1)).toEqual({ method: 'POST', url: '/api/routing/plans/p1/cancel', body: { version: 7 } });
    expect($('plan-breakdown')).toBeNull();
  });

  it('shows an API error from planning inline and lets a viewer only look', async () => {
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
      if (url === '/api/zones') return json(200, { type: 'FeatureCollection', features: [{ properties: { id: 'north', name: '北区' } }] });
      if (url === '/api/vehicles') return json(200, [{ vehicleId: 'v1', name: 'Truck 1', skill: 'collection', capacityKg: 1000 }]);
      if (init.method === 'POST') return json(400, { message: ['vehicleIds.0: unknown vehicle v1'] });
      return json(200, []);
    });
    root = document.createElement('div');
    document.body.append(root);
    render(<RoutesPanel canDispatch />, root);
    await waitFor(() => $$('plan-vehicle').length === 1 && root.querySelectorAll('[data-testid="plan-zone"] option').length === 2, 'the form');
    setValue($('plan-zone')!, 'north', 'change');
    root.querySelector<HTMLInputElement>('[data-vehicle-id="v1"]')!.click();
    await tick();
    $('plan-create')!.click();
    await waitFor(() => $('plan-error') !== null, 'the error');
    expect($('plan-error')!.textContent).toContain('vehicleIds.0: unknown vehicle v1');
    expect(status()).toBeNull();

    render(null, root);
    render(<RoutesPanel canDispatch={false} />, root);
    await waitFor(() => $$('plan-vehicle').length === 1, 'the form again');
    expect($('plan-create')).toBeNull();
  });
});
