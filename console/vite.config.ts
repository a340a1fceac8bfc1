import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// A static site: `vite build` → console/dist, served by `npm start` (dev/static-server) or S3 + CloudFront.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', port: Number(process.env.CONSOLE_PORT ?? 10088) },
});
