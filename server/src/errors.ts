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

/** Errors several places answer, named once so their wording stays one. */
export const holdNotFound = () => notFound('HOLD_NOT_FOUND', 'The hold does not exist or has expired');
export const concertNotFound = () => notFound('CONCERT_NOT_FOUND', 'No such concert');
export const scheduleNotFound = () => notFound('SCHEDULE_NOT_FOUND', 'No such performance');
export const queueNotFound = (message = 'This concert has no waiting room') => notFound('QUEUE_NOT_FOUND', message);
export const alreadyCancelled = () => new AppError(409, 'ALREADY_CANCELLED', 'This reservation is already cancelled');
