/**
 * A rate-limiter-flexible counter shared by every instance through Redis, behind the Redis circuit, with
 * this instance's memory as the fallback. While Redis is unavailable (circuit open, or a command failed or
 * timed out) the window is counted per instance: with N instances a client can get up to N times the limit
 * for that time. That is the stated price of never making a request wait on, or fail because of, Redis.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterOptions } from 'rate-limiter-flexible';
import type { RedisCircuit } from './redis';

export interface SharedLimiter {
  /** As RateLimiterAbstract.consume: resolves, or rejects with a RateLimiterRes when over the limit or blocked. */
  consume(key: string): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
}

export interface SharedLimiterSettings extends Pick<
  IRateLimiterOptions,
  'points' | 'duration' | 'blockDuration' | 'keyPrefix'
> {
  points: number;
  duration: number;
  keyPrefix: string;
}

/** In Redis through `circuit` when given (memory while it is open), else in memory only. */
export function sharedLimiter(
  settings: SharedLimiterSettings,
  circuit?: RedisCircuit,
  onFallback?: () => void,
): SharedLimiter {
  const memory = new RateLimiterMemory(settings);
  if (circuit === undefined) return { consume: (key) => memory.consume(key), get: (key) => memory.get(key) };
  const shared = new RateLimiterRedis({ ...settings, storeClient: circuit.client });

  async function either<T>(inRedis: () => Promise<T>, inMemory: () => Promise<T>): Promise<T> {
    if (circuit !== undefined && circuit.available) {
      try {
        return await circuit.call(inRedis);
      } catch (error) {
        // A RateLimiterRes is the limiter's answer (over the limit / blocked), not a Redis failure.
        if (error instanceof RateLimiterRes) throw error;
      }
    }
    onFallback?.();
    return inMemory();
  }

  return {
    consume: (key) =>
      either(
        () => shared.consume(key),
        () => memory.consume(key),
      ),
    get: (key) =>
      either(
        () => shared.get(key),
        () => memory.get(key),
      ),
  };
}
