import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console: index.html at the repository root loads src/web/main.tsx; the build goes to
 * dist/web, which the server serves at `/`. `vite` (dev) proxies /api to a server on :3000.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': { target: process.env.KEFU_API ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
