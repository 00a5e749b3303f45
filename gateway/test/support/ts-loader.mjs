// Test-only ESM hooks so worker threads started from the TypeScript sources (vitest runs src/, not
// dist/) can load .ts: vitest's own transform does not reach into worker_threads.
// Used as `--import <this file>` in the worker's execArgv (see startTestGateway).
import { register } from 'node:module';

register(new URL('./ts-loader.hooks.mjs', import.meta.url));
