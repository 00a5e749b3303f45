/**
 * The dashboard's route planner (`#/routes`) in Chromium, for the routing e2e test: the
 * dispatcher's clicks, what the page shows (data-testids of dashboard/src/features/routes), and
 * the route layer's real pixels on the map (dashboard/src/map/route-layer.ts draws every route on
 * a 2D canvas over the map: a line per route and a filled circle in the route's colour per bin).
 */
import { expect } from 'vitest';
import type { BrowserContext, Page, Response } from 'playwright-core';
import type { RoutePlan } from '@sanitation/contracts';
import { Artifacts, around, colourStats, countNear, hexToRgb, launchBrowser, type BrowserSession, type Rgb } from './browser.js';

/** dashboard/src/features/routes/route-plan.logic.ts ROUTE_COLOURS (a change there fails these checks): by the truck's place in the request. */
const ROUTE_COLOURS = ['#56b4e9', '#e69f00', '#cc79a7', '#009e73'].map(hexToRgb);
export const routeRgb = (plan: RoutePlan, vehicleId: string): Rgb => ROUTE_COLOURS[Math.max(0, plan.params.vehicleIds.indexOf(vehicleId)) % ROUTE_COLOURS.length]!;

interface OpsMapHook {
  project(lon: number, lat: number): [number, number];
  map: { isMoving(): boolean };
}

export class RoutePlanPage {
  readonly shots = new Artifacts('e2e-routing');
  private readonly log: string[] = [];
  private constructor(
    private readonly session: BrowserSession,
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly serverUrl: string,
  ) {
    page.on('console', (m) => this.log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.log.push(`pageerror: ${e.message}`));
  }

  static async open(serverUrl: string, username: string, password: string): Promise<RoutePlanPage> {
    const session = await launchBrowser();
    const context = await session.newContext({ width: 1600, height: 1000 });
    const page = await context.newPage();
    const p = new RoutePlanPage(session, context, page, serverUrl);
    await page.goto(serverUrl);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/#\/ops$/);
    await page.goto(`${serverUrl}/#/routes`);
    await page.getByTestId('routes-panel').waitFor();
    return p;
  }

  /** Requests aborted because they went to another host (must stay empty). */
  get blocked(): string[] {
    return this.session.blocked;
  }

  /** The page's last console lines, for failure messages. */
  tail(): string {
    return this.log.slice(-20).join('\n');
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await this.session.close();
  }

  /** Resolves with the server's answer to the page's next `method` request to a path matching `path`. */
  private response(method: string, path: RegExp): Promise<Response> {
    return this.page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname), { timeout: 90_000 });
  }

  /** Fills the request form and clicks create; returns the plan the server answered with. */
  async create(zone: string, vehicleIds: string[], collectAtPct: number, timeLimitS: number): Promise<RoutePlan> {
    const p = this.page;
    try {
      await p.locator(`[data-testid="plan-zone"] option[value="${zone}"]`).waitFor({ state: 'attached', timeout: 20_000 });
    } catch (err) {
      await this.shots.shot(p, '00-no-zone').catch(() => undefined);
      const options = await p.locator('[data-testid="plan-zone"] option').evaluateAll((os) => os.map((o) => o.getAttribute('value')));
      throw new Error(`zone ${zone} not offered (${p.url()}; options ${JSON.stringify(options)}); page log:\n${this.tail()}`, { cause: err });
    }
    await p.getByTestId('plan-zone').selectOption(zone);
    for (const id of vehicleIds) await p.locator(`[data-testid="plan-vehicle"][data-vehicle-id="${id}"]`).check();
    await p.getByTestId('plan-collect-at').fill(String(collectAtPct));
    await p.getByTestId('plan-time-limit').fill(String(timeLimitS));
    const answer = this.response('POST', /^\/api\/routing\/plans$/);
    await p.getByTestId('plan-create').click();
    const res = await answer;
    expect(res.status(), `create from the page: ${(await res.text()).slice(0, 400)}`).toBe(201);
    return (await res.json()) as RoutePlan;
  }

  status = () => this.page.getByTestId('plan-status');
  stop = (stopId: string) => this.page.locator(`[data-testid="plan-stop"][data-stop-id="${stopId}"]`);

  /** Waits until the page shows this version of the plan (edits made elsewhere arrive as plan:changed). */
  async showsVersion(plan: RoutePlan): Promise<void> {
    await expect
      .poll(async () => `${await this.status().getAttribute('data-plan-id')} v${await this.status().getAttribute('data-version')}`, { timeout: 15_000 })
      .toBe(`${plan.planId} v${plan.version}`);
  }

  /** Route cards' vehicles, and per route the collect rows' device ids in page order. */
  async routesShown(): Promise<Record<string, string[]>> {
    return this.page.getByTestId('plan-route').evaluateAll((cards) =>
      Object.fromEntries(
        cards.map((c) => [
          c.getAttribute('data-vehicle-id') ?? '',
          Array.from(c.querySelectorAll('[data-testid="plan-stop"][data-kind="collect"]')).map((s) => s.getAttribute('data-device-id') ?? ''),
        ]),
      ),
    );
  }

  async leftOutShown(): Promise<{ deviceId: string; reason: string; text: string }[]> {
    return this.page.getByTestId('plan-left-out').evaluateAll((rows) =>
      rows.map((r) => ({ deviceId: r.getAttribute('data-device-id') ?? '', reason: r.getAttribute('data-reason') ?? '', text: (r.textContent ?? '').trim() })),
    );
  }

  /** The load chart's canvas (uPlot) as drawn: how many colours and how many pixels in the route's colour. */
  async loadChart(name: string, colour: Rgb): Promise<{ vehicleId: string | null; distinct: number; inColour: number }> {
    const chart = this.page.getByTestId('plan-load-chart');
    await chart.locator('canvas').waitFor();
    const png = await this.shots.shot(this.page, name, '[data-testid="plan-load-chart"]');
    return { vehicleId: await chart.getAttribute('data-vehicle-id'), distinct: colourStats(png).distinct, inColour: countNear(png, colour, 30) };
  }

  /** Pixels in `colour` within 8 px of where the map draws (lon, lat), once the camera is still. */
  async mapPixelsAt(name: string, lon: number, lat: number, colour: Rgb): Promise<number> {
    const p = this.page;
    await p.waitForFunction(() => {
      const hook = (window as unknown as { __opsMap?: OpsMapHook }).__opsMap;
      return hook !== undefined && !hook.map.isMoving();
    }, undefined, { timeout: 30_000, polling: 100 });
    const [x, y] = await p.evaluate(([lo, la]) => (window as unknown as { __opsMap: OpsMapHook }).__opsMap.project(lo!, la!), [lon, lat]);
    const png = await this.shots.shot(p, name, '[data-testid="map"]');
    return countNear(png, colour, 24, around({ x, y }, 8));
  }

  /** Clicks a route card's header: that route's load curve shows and the map draws it on top. */
  async selectRoute(vehicleId: string): Promise<void> {
    await this.page.locator(`[data-testid="plan-route"][data-vehicle-id="${vehicleId}"] .plan-route-head strong`).click();
  }

  async lock(stopId: string): Promise<void> {
    const answer = this.response('PATCH', /^\/api\/routing\/plans\/[^/]+\/stops\//);
    await this.stop(stopId).getByTestId('plan-stop-lock').click();
    expect((await answer).status()).toBe(200);
  }

  /** Moves a stop with the row's editor: `position` is 1-based as the page shows it. */
  async move(stopId: string, toVehicleId: string, position: number): Promise<void> {
    const row = this.stop(stopId);
    await row.getByTestId('plan-stop-move').click();
    await row.getByTestId('plan-move-vehicle').selectOption(toVehicleId);
    const index = row.getByTestId('plan-move-index');
    expect(await index.getAttribute('data-base')).toBe('1');
    await index.fill(String(position));
    const answer = this.response('POST', /^\/api\/routing\/plans\/[^/]+\/moves$/);
    await row.getByTestId('plan-move-confirm').click();
    const res = await answer;
    expect(res.status(), (await res.text()).slice(0, 400)).toBe(200);
  }

  async publish(): Promise<void> {
    await this.page.getByTestId('plan-publish').click();
    const answer = this.response('POST', /^\/api\/routing\/plans\/[^/]+\/publish$/);
    await this.page.getByTestId('plan-publish-confirm').click();
    const res = await answer;
    expect(res.status(), (await res.text()).slice(0, 400)).toBe(200);
  }
}
