import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { reconnectDelay, watchConnection } from './redis-client.ts';

describe('reconnectDelay', () => {
  it('backs off exponentially and caps at 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map(reconnectDelay)).toEqual([50, 100, 200, 400, 800, 1600, 2000, 2000]);
  });
});

describe('watchConnection', () => {
  it('logs an outage once and its end once, and keeps errors from being unhandled', () => {
    const emitter = new EventEmitter();
    const lines: string[] = [];
    const logger = {
      warn: (_: object, msg: string) => lines.push(`warn ${msg}`),
      info: (_: object, msg: string) => lines.push(`info ${msg}`),
    };
    watchConnection(emitter, logger, 'test');
    emitter.emit('ready');
    emitter.emit('error', new Error('ECONNREFUSED'));
    emitter.emit('error', new Error('ECONNREFUSED'));
    emitter.emit('ready');
    emitter.emit('error', new Error('ETIMEDOUT'));
    expect(lines).toEqual([
      'warn redis connection lost; retrying in the background',
      'info redis connection restored',
      'warn redis connection lost; retrying in the background',
    ]);
  });

  it('swallows errors without a logger', () => {
    const emitter = new EventEmitter();
    watchConnection(emitter, undefined, 'test');
    expect(emitter.emit('error', new Error('boom'))).toBe(true);
  });
});
