import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApp, type RunningApp } from '../support/app.js';

const INDEX = '<!doctype html><html><body><div id="app">ops dashboard</div></body></html>';
const SCRIPT = 'console.log("dashboard bundle");';

describe('the server serves the built dashboard from DASHBOARD_DIR', () => {
  let dir: string;
  let server: RunningApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-dist-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'x.js'), SCRIPT);
    server = await startApp({ DASHBOARD_DIR: dir, ADMIN_PASSWORD: 'static-admin-pass' });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/ and client-side routes answer index.html, uncached', async () => {
    for (const path of ['/', '/some/route', '/alarms/42']) {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(await res.text(), path).toBe(INDEX);
    }
  });

  it('hashed assets are served as files with a long cache; a missing one is a 404, not index.html', async () => {
    const res = await fetch(`${server.baseUrl}/assets/x.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toContain('max-age=31536000');
    expect(await res.text()).toBe(SCRIPT);
    const missing = await fetch(`${server.baseUrl}/assets/old-build.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('ops dashboard');
  });

  it('the API is untouched: an unknown /api route stays a JSON 404, real routes work', async () => {
    const res = await call(server.baseUrl, 'GET', '/api/unknown');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404 });
    expect((await call(server.baseUrl, 'GET', '/api/ui-config')).status).toBe(200);
    expect((await call(server.baseUrl, 'POST', '/some/route')).status).toBe(404);
  });
});

describe('DASHBOARD_DIR without index.html', () => {
  it('logs a warning naming the directory, still serves the API, and / is a 404', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-empty-'));
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const server = await startApp({ DASHBOARD_DIR: dir, ADMIN_PASSWORD: 'static-admin-pass' }, { logger });
    try {
      expect(lines.some((l) => l.includes('DASHBOARD_DIR has no index.html') && l.includes(dir))).toBe(true);
      expect((await call(server.baseUrl, 'GET', '/api/ui-config')).status).toBe(200);
      expect((await fetch(`${server.baseUrl}/`)).status).toBe(404);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
