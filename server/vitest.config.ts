import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { testServices } from '../infra/vitest.test-env.mjs';

// Nest resolves constructor injection from `design:paramtypes`, which esbuild does not emit:
// compile with SWC (legacy decorators + metadata) instead.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  test: {
    name: 'server',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    provide: testServices(),
  },
});
