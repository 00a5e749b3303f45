import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Not a workspace. `npm test` runs these quick checks of the benchmark's own tools (about 1 s),
// never the benchmark itself: that is `npm run bench:ingest`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'bench',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
