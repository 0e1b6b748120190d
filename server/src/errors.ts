import type { ErrorCode } from '@seatmap/shared';

/** The one error type routes and services throw; the error handler turns it into the SPEC error shape. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (code: ErrorCode, message: string) => new AppError(404, code, message);

/** A backing store (Postgres, Redis) cannot be reached; answered as 503 without crashing. */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: 'database' | 'hold-store' | 'event-bus',
    cause?: unknown,
  ) {
    super(`${service} unavailable`, { cause });
    this.name = 'ServiceUnavailableError';
  }
}
