/**
 * Issue 4's "done when", in a real browser: Debian's Chromium (software WebGL) opens the dashboard
 * served by the real server, while the simulator drives the real gateway on a shared simulated
 * clock. A dispatcher and a truck's crew each log in; what they see is checked in the page and in
 * the map canvas's real pixels, against the API. Screenshots: test-artifacts/e2e-dashboard/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Job, KpiReport, MapSnapshot, Vehicle } from '@sanitation/contracts';
import { createSimulation, type Simulation } from '@sanitation/firmware-sim';
import type { BrowserContext, Page } from 'playwright-core';
import { Artifacts, around, colourStats, countNear, hexToRgb, launchBrowser, type BrowserSession, type Rgb } from './browser.js';
import { DispatchApi } from './dispatch-api.js';
import { startStack, waitFor, type Stack } from './stack.js';

const SPEED = 600; // a sim hour every 6 s
const START = Date.parse('2026-11-27T04:30:00+08:00'); // trucks start their shifts from ~05:30
const CREW_PASSWORD = 'crew-password-e2e';
const DEVICES = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The map's debug hook (dashboard/src/map/map-controller.ts): screen position of a point, idle state, the map itself. */
interface OpsMapHook {
  project(lon: number, lat: number): [number, number];
  isIdle(): boolean;
  /** Updates received from the socket, drawn on the map, and pushes of data to the map. */
  stats(): { received: number; drawn: number; pushes: number };
  map: { jumpTo(options: { center: [number, number]; zoom: number }): void; isMoving(): boolean };
}
declare global {
  interface Window {
    __opsMap?: OpsMapHook;
  }
}

// The map's palette (dashboard/src/map/asset-state.ts STATE_COLOURS; a change there fails these
// checks): a healthy/low bin, and a bin filling, due for collection or overflowing.
const OK: Rgb = hexToRgb('#2fbf71');
const FILLING: Rgb[] = ['#f2d13d', '#f28c28', '#e5383b'].map(hexToRgb);

async function login(page: Page, serverUrl: string, username: string, password: string): Promise<void> {
  await page.goto(serverUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/**
 * Waits until the camera is still and the map has drawn every update that had reached the page
 * when the wait began (the simulator keeps streaming, so "nothing pending" may never happen).
 */
async function mapIdle(page: Page, timeoutMs = 30_000): Promise<void> {
  try {
    await page.waitForFunction(() => window.__opsMap !== undefined, undefined, { timeout: timeoutMs, polling: 100 });
    const received = await page.evaluate(() => window.__opsMap!.stats().received);
    await page.waitForFunction(
      (target) => {
        const hook = window.__opsMap!;
        const stats = hook.stats();
        return !hook.map.isMoving() && stats.pushes > 0 && stats.drawn >= target;
      },
      received,
      { timeout: timeoutMs, polling: 100 },
    );
  } catch (err) {
    const stats = await page.evaluate(() => (window.__opsMap ? JSON.stringify(window.__opsMap.stats()) : 'no map hook'));
    throw new Error(`the map did not settle (${stats}); page log:\n${pageLog.slice(-30).join('\n')}`, { cause: err });
  }
}

/** The page's console and errors, for the failure messages. */
const pageLog: string[] = [];
function recordLog(page: Page, who: string): void {
  page.on('console', (m) => pageLog.push(`[${who}] ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageLog.push(`[${who}] pageerror: ${e.message}`));
}

/** Flies to a point at street zoom and returns where on the map canvas it is drawn. */
async function lookAt(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  await page.evaluate(([lo, la]) => window.__opsMap!.map.jumpTo({ center: [lo!, la!], zoom: 17 }), [lon, lat]);
  await sleep(300);
  await mapIdle(page);
  const [x, y] = await page.evaluate(([lo, la]) => window.__opsMap!.project(lo!, la!), [lon, lat]);
  return { x, y };
}

describe('the ops dashboard in Chromium against the real stack and simulator', () => {
  let stack: Stack;
  let sim: Simulation;
  let api: DispatchApi;
  let browser: BrowserSession;
  let dispatcherCtx: BrowserContext;
  let dispatcher: Page;
  let fillBin: { id: string; lon: number; lat: number };
  let job: Job;
  const shots = new Artifacts('e2e-dashboard');

  beforeAll(async () => {
    stack = await startStack({ clock: { start: START, speed: SPEED, leadMs: 60_000 }, logLevel: 'info' });
    sim = createSimulation({
      ...stack.simConnection(),
      devices: DEVICES,
      seed: 7,
      speed: SPEED,
      start: START,
      // Trucks go only for (nearly) overflowing bins: the scenario decides when that happens.
      collectAtPct: 98,
      pumpAtPct: 90,
      crewPassword: CREW_PASSWORD,
    });
    await sim.start();
    api = new DispatchApi(stack.serverUrl, await stack.token());
    // The dispatcher assigns collection jobs by hand in this scenario.
    await api.send('PUT', '/api/vehicles/auto-assign', { collection: false });
    await waitFor('all devices connected', async () => (sim.stats().connected === DEVICES ? true : undefined), 60_000, 250);
    // Sim time reaches START at the anchor; from then on every device reports. Wait until nearly
    // all have, so the map shows states rather than devices that never spoke.
    await sleep(Math.max(0, stack.clock!.anchor - Date.now()));
    await waitFor(
      'readings from most devices',
      async () => {
        const snapshot = await api.get<MapSnapshot>('/api/map/snapshot');
        return snapshot.devices.filter((d) => d.ts !== null).length >= DEVICES * 0.9 ? true : undefined;
      },
      60_000,
      1_000,
    );
    browser = await launchBrowser();
    dispatcherCtx = await browser.newContext({ width: 1600, height: 1000 });
    dispatcher = await dispatcherCtx.newPage();
    recordLog(dispatcher, 'dispatcher');
  });

  afterAll(async () => {
    await browser?.close();
    await sim?.stop({ drain: false });
    await stack?.stop();
  });

  it('a dispatcher logs in and the map draws the city with its assets', async () => {
    await login(dispatcher, stack.serverUrl, 'admin', stack.adminPassword);
    await dispatcher.waitForURL(/#\/ops$/);
    await mapIdle(dispatcher, 60_000);
    await expect.poll(() => dispatcher.getByTestId('live-status').getAttribute('class'), { timeout: 30_000 }).toContain('live-live');
    const city = await shots.shot(dispatcher, '01-ops-city', '[data-testid="map"]');
    const stats = colourStats(city);
    expect(stats.distinct, 'a drawn map has streets, zones and assets in many colours').toBeGreaterThan(30);
    expect(stats.nonDominantShare).toBeGreaterThan(0.05);
    // Above the legend (bottom left), which shows every colour whatever the map draws.
    const mapArea = { x0: 0, y0: 0, x1: city.width - 1, y1: city.height - 120 };
    expect(countNear(city, OK, 24, mapArea), 'healthy assets drawn in the OK colour').toBeGreaterThan(200);
    expect(browser.blocked, 'requests to other hosts').toEqual([]);
  });

  it('a bin fills: its job appears in the queue and its colour on the map changes', async () => {
    // A bin that is nearly empty now (and has no job), as the simulator's world knows it.
    const level = (id: string) => {
      const rt = sim.world.get(id);
      return rt.kind === 'bin' ? rt.state.fillPct : NaN;
    };
    const busy = new Set((await api.jobs({ type: 'collection' })).map((j) => j.deviceId));
    const bin = sim.city.devices.filter((d) => d.kind === 'bin' && !busy.has(d.id)).sort((a, b) => level(a.id) - level(b.id))[0]!;
    expect(level(bin.id)).toBeLessThan(30);
    fillBin = { id: bin.id, lon: bin.lon, lat: bin.lat };
    // Until its next reading the map may still show the bin as it was before a truck emptied it.
    await expect
      .poll(
        async () => {
          const at = await lookAt(dispatcher, fillBin.lon, fillBin.lat);
          const low = await shots.shot(dispatcher, '02-bin-low', '[data-testid="map"]');
          return countNear(low, OK, 24, around(at, 10));
        },
        { timeout: 30_000, interval: 1_000, message: 'the low bin is drawn in the OK colour' },
      )
      .toBeGreaterThan(5);

    // Fast enough for the forecast to raise the job early, and stopping at ~75 % (plus the natural fill), well short of the
    // 98 % at which a simulated truck goes for it, so the dispatcher and the crew have time; the
    // truck's test fills it up.
    const hours = (75 - level(fillBin.id)) / 30;
    sim.injectFault({ type: 'fast-fill', ratePctH: 30, durationMs: Math.round(hours * 3_600_000), targets: [fillBin.id] });
    const row = dispatcher.locator(`[data-testid="job-row"][data-device-id="${fillBin.id}"][data-type="collection"]`);
    await row.waitFor({ timeout: 120_000 });
    job = (await api.jobs({ deviceId: fillBin.id, type: 'collection' }))[0]!;
    expect(await row.getAttribute('data-job-id')).toBe(job.jobId);

    await expect
      .poll(
        async () => {
          const at = await lookAt(dispatcher, fillBin.lon, fillBin.lat);
          const png = await shots.shot(dispatcher, '03-bin-filling', '[data-testid="map"]');
          return FILLING.reduce((n, c) => n + countNear(png, c, 24, around(at, 10)), 0);
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThan(5);
  });

  it('the dispatcher assigns the job, and the truck’s crew sees it on a phone', async () => {
    const row = dispatcher.locator(`[data-testid="job-row"][data-job-id="${job.jobId}"]`);
    // The proposal's unit if the core found one in shift, else the dispatcher picks a truck.
    // (dispatchEvent: the queue is a scrolling side panel that live updates keep re-laying out.)
    await shots.shot(dispatcher, '04-job-queue');
    const accept = row.getByTestId('job-accept');
    if ((await accept.count()) > 0) {
      await accept.dispatchEvent('click');
    } else {
      await row.getByTestId('job-reassign').dispatchEvent('click');
      const picker = row.getByTestId('job-unit-select');
      await picker.waitFor();
      await picker.selectOption({ index: 0 });
      await row.getByTestId('job-reassign-confirm').dispatchEvent('click');
    }
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).not.toBe('open');
    await shots.shot(dispatcher, '05-job-assigned');
    const assigned = (await api.jobs({ deviceId: fillBin.id, type: 'collection' }))[0]!;
    expect(assigned.assignee?.unitType).toBe('vehicle');
    const vehicle = await api.get<Vehicle>(`/api/vehicles/${assigned.assignee!.unitId}`);
    const member = vehicle.members[0]!;

    const crewCtx = await browser.newContext({ width: 390, height: 844 }, { isMobile: true });
    const crew = await crewCtx.newPage();
    recordLog(crew, 'crew');
    await login(crew, stack.serverUrl, member, CREW_PASSWORD);
    await crew.waitForURL(/#\/crew$/);
    const card = crew.locator(`[data-testid="crew-job"][data-job-id="${job.jobId}"]`);
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.getByTestId('crew-last-readings').textContent(), { timeout: 15_000 }).toMatch(/\d/);
    await shots.shot(crew, '06-crew-phone');
    await crewCtx.close();
  });

  it('the truck empties the bin and the job closes', async () => {
    sim.injectFault({ type: 'fast-fill', ratePctH: 40, durationMs: 5_400_000, targets: [fillBin.id] });
    const done = await waitFor(
      'the collection job closed by the truck',
      async () => {
        const [j] = await api.jobs({ deviceId: fillBin.id, type: 'collection' });
        return j?.status === 'done' ? j : undefined;
      },
      240_000,
      1_000,
    );
    expect(done.proof?.stopVehicleId).toBeTruthy();
    expect(done.flags).not.toContain('unproven');
    const row = dispatcher.locator(`[data-testid="job-row"][data-job-id="${job.jobId}"]`);
    await expect.poll(async () => ((await row.count()) === 0 ? 'gone' : await row.getAttribute('data-status')), { timeout: 15_000 }).toMatch(/^(gone|done)$/);
    await shots.shot(dispatcher, '07-job-closed');
  });

  it('the KPI cockpit shows the figures the API computes', async () => {
    const kpiResponse = () => dispatcher.waitForResponse((r) => new URL(r.url()).pathname === '/api/kpi' && r.request().method() === 'GET');
    /** The cards' data-kpi → data-rate, once they show the figures of `report`. */
    const cardsShowing = async (report: KpiReport): Promise<[string, string][]> => {
      const expected = (key: string) => String((report as unknown as Record<string, { rate: number | null }>)[key]?.rate ?? '');
      let cards: [string, string][] = [];
      await expect
        .poll(async () => {
          cards = await dispatcher.getByTestId('kpi-card').evaluateAll((els) => els.map((e) => [e.getAttribute('data-kpi') ?? '', e.getAttribute('data-rate') ?? ''] as [string, string]));
          return cards.filter(([key, rate]) => rate !== expected(key)).map(([key]) => key);
        }, { timeout: 15_000 })
        .toEqual([]);
      return cards;
    };

    // This month so far (the default): the cards show exactly what the page was served.
    const first = kpiResponse();
    await dispatcher.getByTestId('nav-kpi').click();
    const served = (await (await first).json()) as KpiReport;
    const cards = await cardsShowing(served);
    expect(cards.map(([key]) => key).sort()).toEqual(['binsBeforeOverflow', 'facilityIntegrity', 'faultTimeliness', 'lightingRate', 'septicWithinSla']);
    await shots.shot(dispatcher, '08-kpi-cockpit');

    // A closed past day (the evening before the scenario, when the server's clock began) can no
    // longer change while the simulator runs on: the API computes the same figures again.
    const day = new Date(START - 12 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 10); // city date (UTC+8) of the evening before
    await dispatcher.getByTestId('kpi-from').fill(day);
    await dispatcher.getByTestId('kpi-to').fill(day);
    const second = kpiResponse();
    await dispatcher.getByTestId('kpi-apply').click();
    const response = await second;
    const pastDay = (await response.json()) as KpiReport;
    expect(Date.parse(pastDay.from)).toBe(Date.parse(`${day}T00:00:00+08:00`));
    await cardsShowing(pastDay);
    const fresh = await api.get<KpiReport>(`/api/kpi${new URL(response.url()).search}`);
    for (const key of ['faultTimeliness', 'septicWithinSla', 'binsBeforeOverflow', 'lightingRate'] as const) {
      expect(fresh[key], key).toEqual(pastDay[key]);
    }
    await shots.shot(dispatcher, '09-kpi-past-day');
  });
});
