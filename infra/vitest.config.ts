import { defineConfig } from 'vitest/config';

// End-to-end: real influxd, server and gateway processes, the simulator in-process.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    // Each file runs a whole stack; two at once on 2 cores would measure contention, not the system.
    fileParallelism: false,
  },
});
