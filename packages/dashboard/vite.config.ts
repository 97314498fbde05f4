import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Served by the gateway under /dashboard/: every asset path carries that base, nothing from a CDN.
export default defineConfig({
  base: '/dashboard/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, target: 'es2022' },
});
