import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../errors.ts';
import { guarded, isRedisUnavailable, toHoldStoreError } from './redis-errors.ts';

function replyError(message: string): Error {
  const err = new Error(message);
  err.name = 'ReplyError';
  return err;
}

describe('toHoldStoreError', () => {
  it('wraps connection failures and timeouts', () => {
    const cause = new Error('Connection is closed.');
    const wrapped = toHoldStoreError(cause);
    expect(wrapped).toBeInstanceOf(ServiceUnavailableError);
    expect((wrapped as ServiceUnavailableError).service).toBe('hold-store');
    expect((wrapped as Error).cause).toBe(cause);
    expect(toHoldStoreError(new Error('Command timed out'))).toBeInstanceOf(ServiceUnavailableError);
  });

  it('wraps transient server replies', () => {
    expect(toHoldStoreError(replyError('LOADING Redis is loading the dataset in memory'))).toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(toHoldStoreError(replyError('READONLY You cannot write against a read only replica.'))).toBeInstanceOf(
      ServiceUnavailableError,
    );
  });

  it('keeps script and command errors as they are', () => {
    const bug = replyError('ERR user_script:3: attempt to compare nil with number');
    expect(toHoldStoreError(bug)).toBe(bug);
  });

  it('does not wrap twice', () => {
    const err = new ServiceUnavailableError('hold-store');
    expect(toHoldStoreError(err)).toBe(err);
  });
});

describe('guarded', () => {
  it('passes results through and translates failures', async () => {
    await expect(guarded(async () => 42)).resolves.toBe(42);
    await expect(
      guarded(async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6391');
      }),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('isRedisUnavailable', () => {
  it('recognises a lost connection, a timeout and transient replies, not command errors or other errors', () => {
    expect(isRedisUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isRedisUnavailable(new Error('Command timed out'))).toBe(true);
    const retries = new Error('Reached the max retries per request limit');
    retries.name = 'MaxRetriesPerRequestError';
    expect(isRedisUnavailable(retries)).toBe(true);
    expect(isRedisUnavailable(replyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
    // A Redis Cluster's shard or the whole cluster out of reach.
    expect(
      isRedisUnavailable(new Error('Too many Cluster redirections. Last error: Error: Connection is closed.')),
    ).toBe(true);
    expect(isRedisUnavailable(replyError('CLUSTERDOWN The cluster is down'))).toBe(true);
    // Slots moving under an auto-pipelined batch (seen when a master is killed): a MOVED that ioredis did not follow.
    expect(isRedisUnavailable(replyError('MOVED 11494 127.0.0.1:7103'))).toBe(true);
    expect(isRedisUnavailable(replyError('ASK 11494 127.0.0.1:7103'))).toBe(true);
    expect(isRedisUnavailable(new Error('Failed to refresh slots cache.'))).toBe(true);
    expect(isRedisUnavailable(replyError('ERR user_script:3: attempt to compare nil with number'))).toBe(false);
    expect(isRedisUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isRedisUnavailable('Connection is closed')).toBe(false);
  });
});
