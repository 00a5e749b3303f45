import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createServerApp, type CreateServerAppOptions } from '../../src/app.js';
import { parseServerConfig, type ServerConfig } from '../../src/config/server.config.js';
import { TEST_INFLUX_URL } from './databases.js';

export const INTERNAL_TOKEN = 'test-internal-token-0123456789';

export interface RunningApp {
  app: INestApplication;
  config: ServerConfig;
  baseUrl: string;
  close(): Promise<void>;
}

/** A real server listening on an ephemeral loopback port; PGlite in a temp dir unless DATABASE_URL is given. */
export async function startApp(env: Record<string, string> = {}, options: CreateServerAppOptions = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'server-test-'));
  const config = parseServerConfig({
    INTERNAL_TOKEN,
    DATA_DIR: dataDir,
    INFLUX_URL: TEST_INFLUX_URL,
    LOG_LEVEL: 'silent',
    GATEWAY_MQTT_URLS: 'mqtt://127.0.0.1:1', // nothing listens on port 1; tests that need a broker override it
    ...env,
  });
  const app = await createServerApp(config, options);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON (e.g. the docs page) */
  }
  return { status: res.status, body: body as T };
}
