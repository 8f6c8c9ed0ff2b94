/**
 * The shared Redis client (rate-limit windows, replay cache, cache invalidation publishing). One connection
 * per process; pub/sub subscribers duplicate it. Commands fail fast while Redis is unreachable instead of
 * queueing without bound, so a Redis outage degrades (insurance limiter, TTL-bounded caches) rather than
 * stalls requests.
 */
import Redis from 'ioredis';
import type { EngineLogger } from '../soap';
import type { RedisConfig } from '../config';

export function createRedisClient(config: Pick<RedisConfig, 'url' | 'connectTimeoutMs'>, logger?: EngineLogger): Redis | undefined {
  if (config.url === null) return undefined;
  const client = new Redis(config.url, {
    connectTimeout: config.connectTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(2000, 50 * 2 ** Math.min(attempt, 6)),
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger?.warn('redis connection problem', { error: error.message });
    down = true;
  });
  client.on('ready', () => {
    if (down) logger?.info('redis connection restored');
    down = false;
  });
  return client;
}

/** Closes the client, waiting for pending replies and for the connection to end. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
  // quit() resolves on the server's OK; the socket closes just after.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
  clearTimeout(timer);
}
