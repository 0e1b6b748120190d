import { defineConfig, type Plugin } from 'vite';

// The dev server proxies the API, Socket.IO and posters to a running seatmap server (see README).
const target = process.env.SEATMAP_API_TARGET ?? 'http://localhost:3000';

/**
 * The built page's stylesheet is preloaded instead of linked, so it no longer blocks the first paint or the
 * module script (which starts the page's API requests at once); main.ts links it and shows the app once it has
 * loaded, so nothing is ever drawn unstyled. The dev server keeps the plain link.
 */
function nonBlockingStylesheet(): Plugin {
  return {
    name: 'seatmap-non-blocking-stylesheet',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace(
          /<link rel="stylesheet"( crossorigin)? href="([^"]+)">/g,
          '<link rel="preload" as="style"$1 href="$2">',
        ),
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [nonBlockingStylesheet()],
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
