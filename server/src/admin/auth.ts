import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ErrorCode } from '@seatmap/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Config, redisMode } from '../config.ts';
import { AppError } from '../errors.ts';

export type AuthResult = { ok: true } | { ok: false; status: 401 | 403; code: ErrorCode; message: string };

export interface AdminAuth {
  /** Whether an admin token is configured at all (without one every admin request is refused). */
  readonly enabled: boolean;
  check(presented: unknown): AuthResult;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks a presented admin token in constant time: both sides are hashed first, so the comparison never
 * depends on where they differ or on the real token's length. Without a configured token nothing matches.
 */
export function createAdminAuth(token: string | undefined): AdminAuth {
  const expected = token ? digest(token) : null;
  return {
    enabled: expected !== null,
    check(presented) {
      if (typeof presented !== 'string' || presented.length === 0) {
        return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'Admin token required' };
      }
      if (expected === null) {
        return {
          ok: false,
          status: 403,
          code: 'FORBIDDEN',
          message: 'The box office is disabled on this server: ADMIN_TOKEN is not set',
        };
      }
      if (!timingSafeEqual(digest(presented), expected)) {
        return { ok: false, status: 403, code: 'FORBIDDEN', message: 'Wrong admin token' };
      }
      return { ok: true };
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * onRequest hook: runs before body validation, so a stranger learns nothing about the admin API's inputs. A refusal
 * is thrown, so the one error handler answers it.
 */
export function requireAdmin(auth: AdminAuth) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const result = auth.check(bearerToken(request.headers.authorization));
    if (!result.ok) {
      if (result.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="box office"');
      throw new AppError(result.status, result.code, result.message);
    }
  };
}

/**
 * The embedded single-process server makes up a token when none is set, so the box office works out of the box;
 * it is printed once at start. Cluster and production deployments set their own.
 */
export function withAdminToken(config: Config): { config: Config; generated: string | null } {
  const embedded = !config.DATABASE_URL && redisMode(config) === 'none';
  if (config.ADMIN_TOKEN || !embedded) return { config, generated: null };
  const token = randomBytes(24).toString('base64url');
  return { config: { ...config, ADMIN_TOKEN: token }, generated: token };
}
