import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Not a workspace and not in the root `projects` list: `npm test` does not run the benchmark.
// Run these checks of the benchmark's own tools with `npx vitest run --config bench/vitest.config.ts`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'bench',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
