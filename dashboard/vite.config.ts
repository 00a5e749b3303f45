import { defineConfig } from 'vite';

// The server serves dist/ (DASHBOARD_DIR) so `npm start` gives one URL. `npm run dev -w dashboard`
// proxies the API and the live socket to a server on :8080.
const API = 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      output: {
        // mapbox-gl is only loaded when a token is configured; maplibre-gl and charts in their own chunks.
        manualChunks: { maplibre: ['maplibre-gl'], charts: ['uplot'] },
      },
    },
  },
  // ES-module workers can load code on demand (the snapshot worker starts its download first).
  worker: { format: 'es' },
  server: {
    proxy: { '/api': API, '/socket.io': { target: API, ws: true } },
  },
});
