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
  await app.register(fastifyStatic, { root: clientDir, prefix: '/', wildcard: false, decorateReply: true });
  return true;
}

/** Whether a 404 should be answered with the client's index.html (a browser navigating to a client route). */
export function wantsClientPage(method: string, url: string, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (/^\/(api|socket\.io|health|metrics|docs|openapi\.json|posters)(\/|$|\?)/.test(url)) return false;
  return (accept ?? '').includes('text/html');
}
