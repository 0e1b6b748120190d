import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const defaultClientDir = path.join(repoRoot, 'client/dist');
const postersDir = path.join(repoRoot, 'server/assets/posters');

/**
 * Serves the built client at / (unknown non-API GETs fall back to index.html for client-side routes) and the
 * demo posters at /posters/. Returns whether a client build was found.
 */
export async function registerStatic(app: FastifyInstance, clientDir: string | null): Promise<boolean> {
  if (existsSync(postersDir)) {
    await app.register(fastifyStatic, { root: postersDir, prefix: '/posters/', decorateReply: false });
  }
  if (!clientDir || !existsSync(path.join(clientDir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: clientDir,
    prefix: '/',
    wildcard: false,
    decorateReply: true,
    setHeaders: (reply, filePath) =>
      reply.header('cache-control', clientCacheControl(path.relative(clientDir, filePath))),
  });
  return true;
}

/**
 * Vite fingerprints everything under assets/ (a new build gets new names), so those files never change: a year,
 * immutable. index.html names the current assets, so browsers revalidate it on every visit.
 */
export function clientCacheControl(relativePath: string): string {
  if (relativePath.split(path.sep)[0] === 'assets') return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

/** Whether a 404 should be answered with the client's index.html (a browser navigating to a client route). */
export function wantsClientPage(method: string, url: string, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (/^\/(api|socket\.io|health|metrics|docs|openapi\.json|posters)(\/|$|\?)/.test(url)) return false;
  return (accept ?? '').includes('text/html');
}
