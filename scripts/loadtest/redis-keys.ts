import { Cluster, type Redis } from 'ioredis';

/**
 * Removes every key under a prefix (a bench's or a test file's), a SCAN page at a time — on a Redis Cluster on every
 * master (a SCAN sees one node's keys), deleting key by key (one DEL cannot span slots).
 */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<void> {
  if (redis instanceof Cluster) {
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    await Promise.all(redis.nodes('master').map((node) => deleteKeysOn(node, prefix, true)));
    return;
  }
  await deleteKeysOn(redis, prefix, false);
}

async function deleteKeysOn(redis: Redis, prefix: string, oneByOne: boolean): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) {
      if (oneByOne) await Promise.all(keys.map((key) => redis.del(key)));
      else await redis.del(...keys);
    }
    cursor = next;
  } while (cursor !== '0');
}
