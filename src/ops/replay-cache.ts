/**
 * The replay cache as the service runs it: shared in Redis (through the Redis circuit) so a message
 * replayed to another instance is caught, with a stated policy for when Redis is unavailable:
 *
 * - 'per-instance' (default): seen nonces and signed-message fingerprints are remembered in this instance's
 *   memory for the outage. A replay to the same instance during the outage is still refused; a message
 *   replayed to a different instance, or one first accepted before the outage, is accepted once more
 *   per instance while its timestamp is still acceptable (security.timestamp.maxAgeSeconds + skew).
 * - 'refuse': every request that needs the replay cache gets a 503 + Retry-After Receiver (Server) fault,
 *   retriable, never a 500, until Redis is back. Nothing is weakened; availability is lost instead.
 */
import { SoapFault } from '../soap';
import { InMemoryReplayCache, RedisReplayCache, type ReplayCache } from '../soap/security';
import type { RedisCircuit } from './redis';

/** Seconds a client should wait when the replay cache must refuse (a few circuit probes). */
const RETRY_AFTER_SECONDS = '5';

export type ReplayFallbackPolicy = 'per-instance' | 'refuse';

export interface SharedReplayCacheOptions {
  readonly circuit: RedisCircuit;
  /** Key prefix in Redis (instances that must catch each other's replays share it). */
  readonly prefix: string;
  /** Bound of the per-instance fallback (InMemoryReplayCache's maxEntries). */
  readonly maxEntries: number;
  readonly whenUnavailable: ReplayFallbackPolicy;
  /** Called each time a check could not use Redis. */
  readonly onFallback?: () => void;
}

export function replayCacheUnavailableFault(): SoapFault<never> {
  return new SoapFault<never>({
    code: 'Receiver',
    reason: 'Service temporarily unavailable',
    httpStatus: 503,
    httpHeaders: { 'Retry-After': RETRY_AFTER_SECONDS },
  });
}

export function sharedReplayCache(options: SharedReplayCacheOptions): ReplayCache {
  const { circuit } = options;
  const shared = new RedisReplayCache(circuit.client, options.prefix);
  const local = new InMemoryReplayCache({ maxEntries: options.maxEntries });
  return {
    async remember(key: string, ttlMs: number): Promise<boolean> {
      if (circuit.available) {
        try {
          return await circuit.call(() => shared.remember(key, ttlMs));
        } catch {
          // Redis did not answer in time: the policy below decides (the circuit logs the outage once).
        }
      }
      options.onFallback?.();
      if (options.whenUnavailable === 'refuse') throw replayCacheUnavailableFault();
      return local.remember(key, ttlMs);
    },
  };
}
