import { defineConfig } from 'vitest/config';

// Plain modules (state, map data, formatting) are unit-tested in jsdom; the real browser tests
// live in infra/e2e and bench/dashboard.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: { name: 'dashboard', environment: 'jsdom', include: ['test/**/*.test.{ts,tsx}'], testTimeout: 30_000 },
});
