/**
 * Debian's Chromium driven by playwright-core for the dashboard's browser tests: headless with
 * software WebGL (SwiftShader), no browser download, and every request to another host aborted
 * (the dashboard must work without internet). Screenshots go to test-artifacts/<folder>/, and the
 * map's real canvas pixels are decoded from them (a blank or undrawn canvas fails the checks).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const ROOT = resolve(import.meta.dirname, '..', '..');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface BrowserSession {
  browser: Browser;
  /** Opens a new isolated context (own storage: one per logged-in user) with requests to other hosts aborted. */
  newContext(viewport: { width: number; height: number }, options?: { isMobile?: boolean }): Promise<BrowserContext>;
  /** Requests aborted because they went to another host. */
  blocked: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const blocked: string[] = [];
  return {
    browser,
    blocked,
    async newContext(viewport, options = {}) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: options.isMobile ?? false, hasTouch: options.isMobile ?? false });
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname)) return route.continue();
        blocked.push(url.href);
        return route.abort();
      });
      return context;
    },
    close: () => browser.close(),
  };
}

export class Artifacts {
  readonly dir: string;
  constructor(folder: string) {
    this.dir = join(ROOT, 'test-artifacts', folder);
    mkdirSync(this.dir, { recursive: true });
  }

  async shot(page: Page, name: string, selector?: string): Promise<PNG> {
    const path = join(this.dir, `${name}.png`);
    const buffer = selector ? await page.locator(selector).screenshot({ path }) : await page.screenshot({ path });
    return PNG.sync.read(buffer);
  }
}

export type Rgb = [number, number, number];

export function pixel(png: PNG, x: number, y: number): Rgb {
  const i = (Math.round(y) * png.width + Math.round(x)) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

const distance = (a: Rgb, b: Rgb) => Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));

/** How the picture is made up: distinct colours (quantised to 4 bits a channel) and the share not in the most common colour. */
export function colourStats(png: PNG): { distinct: number; nonDominantShare: number } {
  const counts = new Map<number, number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const key = ((png.data[i]! >> 4) << 8) | ((png.data[i + 1]! >> 4) << 4) | (png.data[i + 2]! >> 4);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = png.width * png.height;
  const dominant = Math.max(...counts.values());
  return { distinct: counts.size, nonDominantShare: 1 - dominant / total };
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The square of half-width `r` around (x, y). */
export const around = (p: { x: number; y: number }, r: number): Rect => ({ x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r });

/** Pixels within `tolerance` (per channel) of `rgb`, in the whole picture or in `area`. */
export function countNear(png: PNG, rgb: Rgb, tolerance: number, area?: Rect): number {
  let n = 0;
  const x0 = Math.max(0, Math.floor(area?.x0 ?? 0));
  const x1 = Math.min(png.width - 1, Math.ceil(area?.x1 ?? png.width - 1));
  const y0 = Math.max(0, Math.floor(area?.y0 ?? 0));
  const y1 = Math.min(png.height - 1, Math.ceil(area?.y1 ?? png.height - 1));
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (distance(pixel(png, x, y), rgb) <= tolerance) n++;
  return n;
}

export function hexToRgb(hex: string): Rgb {
  const v = Number.parseInt(hex.replace('#', ''), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
