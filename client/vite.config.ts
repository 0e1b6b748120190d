import { defineConfig } from 'vite';

// The dev server proxies the API, Socket.IO and posters to a running seatmap server (see README).
const target = process.env.SEATMAP_API_TARGET ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  server: {
    port: Number(process.env.CLIENT_PORT ?? 5173),
    proxy: {
      '/api': { target, changeOrigin: true, ws: true },
      '/socket.io': { target, changeOrigin: true, ws: true },
      '/posters': { target, changeOrigin: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
