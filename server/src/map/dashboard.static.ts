import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';

/** Vite puts content-hashed files under assets/: safe to cache for a year. */
const HASHED_CACHE = 'public, max-age=31536000, immutable';
/** Paths the dashboard never owns: the API and the live stream. */
const NOT_DASHBOARD = /^\/(api|socket\.io)(\/|$)/;

/**
 * Serves the built dashboard from `dir` at `/`: its files as they are, and index.html for any other
 * GET outside /api and /socket.io (client-side routes such as /alarms/42). Must run before the Nest
 * router is registered (before `app.init()`). A missing index.html is logged, not fatal: the API
 * keeps working and the page appears once the dashboard is built.
 */
export function serveDashboard(app: NestExpressApplication, dir: string, logger: Logger): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  const assets = join(root, 'assets') + sep;
  if (!existsSync(index)) {
    logger.warn({ dashboardDir: root }, `DASHBOARD_DIR has no index.html (${index}): the dashboard is not served until it is built (npm run build -w dashboard)`);
  }
  app.useStaticAssets(root, {
    index: false, // `/` goes to the fallback below, which sends index.html uncached
    redirect: false,
    setHeaders: (res: Response, path: string) => res.setHeader('Cache-Control', path.startsWith(assets) ? HASHED_CACHE : 'no-cache'),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_DASHBOARD.test(req.path)) return next();
    // A missing hashed file is a stale page asking for an old build: a 404, not index.html served as JS.
    if (req.path.startsWith('/assets/')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (err?: Error) => {
      if (err && !res.headersSent) {
        res.removeHeader('Cache-Control');
        next();
      }
    });
  });
}
