import { defineConfig } from 'vitest/config';
import { testServices } from '../infra/vitest.test-env.mjs';

export default defineConfig({
  test: {
    name: 'gateway',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    provide: testServices(),
  },
});
