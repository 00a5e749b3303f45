import { defineConfig } from 'vitest/config';

// One run over every workspace. Server specs need decorator metadata, which esbuild does not
// emit, so the server project compiles with SWC.
export default defineConfig({
  test: {
    projects: ['contracts', 'gateway', 'server', 'firmware-sim', 'dashboard', 'infra', 'bench'],
  },
});
