import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w web`: hot reload on 5173, API calls proxied to the server (API_URL, default :3000).
// `npm run build -w web`: web/dist, which the server serves on its own port in production.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/api': api, '/healthz': api, '/readyz': api } },
  build: { outDir: 'dist', sourcemap: true },
});
