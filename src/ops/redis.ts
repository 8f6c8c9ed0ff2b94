/**
 * The shared Redis client and the circuit breaker every Redis call goes through. Redis makes state shared
 * (rate-limit windows, replay detection, cache invalidation), never makes a request possible: each command
 * has a short timeout (`commandTimeoutMs`), and after `failureThreshold` failures in a row, or as soon as the
 * connection reports an error, the circuit opens. While it is open no request waits for Redis at all: every
 * concern uses its in-memory fallback at once, and a background probe (PING every `probeIntervalMs`) closes
 * the circuit again when Redis answers. Transitions are logged once each, never per request.
 */
import Redis from 'ioredis';
import type { EngineLogger } from '../soap';
import type { RedisConfig } from '../config';

/** Thrown instead of calling Redis while the circuit is open; concerns catch it and use their fallback. */
export class RedisUnavailable extends Error {
  constructor(reason: string) {
    super(`redis unavailable: ${reason}`);
    this.name = 'RedisUnavailable';
  }
}

export type RedisClientSettings = Pick<RedisConfig, 'url' | 'connectTimeoutMs'>;

/** The client; its commands are bounded in time by the circuit (RedisCircuit.call), not by ioredis. */
export function createRedisClient(config: RedisClientSettings): Redis | undefined {
  if (config.url === null) return undefined;
  return new Redis(config.url, {
    connectTimeout: config.connectTimeoutMs,
    maxRetriesPerRequest: 1,
    // Commands issued while (re)connecting wait in the queue, bounded by the circuit's timeout; the circuit
    // stops new ones once the connection is known to be down.
    enableOfflineQueue: true,
    // Reconnect quickly (the circuit's probe notices within probeIntervalMs of the connection coming back).
    retryStrategy: (attempt) => Math.min(1000, 50 * 2 ** Math.min(attempt, 5)),
  });
}

/** A connection of its own for SUBSCRIBE (a subscribed connection can send nothing else); nothing waits on it. */
export function duplicateForSubscription(client: Redis): Redis {
  return client.duplicate();
}

/** Closes a client: QUIT, bounded by `timeoutMs` (a stalled Redis never answers it), then disconnect. */
export async function closeRedisClient(client: Redis, timeoutMs = 1000): Promise<void> {
  if (client.status === 'end') return;
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    const outcome = await Promise.race([client.quit().then(() => 'quit' as const), late]);
    if (outcome === 'late') client.disconnect();
  } catch {
    client.disconnect();
  }
  // quit() resolves on the server's OK; the socket closes just after.
  await Promise.race([ended, late]);
  clearTimeout(timer);
}

export interface RedisCircuitOptions {
  /** Longest a command may take before it counts as failed (redis.commandTimeoutMs). */
  commandTimeoutMs: number;
  /** Failed commands in a row that open the circuit. */
  failureThreshold: number;
  /** How often the background probe PINGs while the circuit is open. */
  probeIntervalMs: number;
  logger?: EngineLogger;
}

export interface RedisCircuitStatus {
  readonly available: boolean;
  /** Why the circuit is open (the last error), when it is. */
  readonly reason?: string;
  /** Epoch ms of the last transition (start-up counts as one). */
  readonly since: number;
}

export interface RedisCircuit {
  readonly client: Redis;
  /** False while the circuit is open: callers should use their fallback without calling. */
  readonly available: boolean;
  status(): RedisCircuitStatus;
  /**
   * Runs `command` when the circuit is closed, within commandTimeoutMs, counting its failure towards opening
   * the circuit; rejects with RedisUnavailable at once when open. A rejection from `command` is passed on.
   */
  call<T>(command: (client: Redis) => Promise<T>): Promise<T>;
  /** Called on every transition (open with reason, closed). */
  onChange(listener: (status: RedisCircuitStatus) => void): void;
  /** Stops probing (the client is closed by its owner). */
  dispose(): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A timeout, a closed connection or a refused write: Redis did not answer. An error reply (ReplyError) is an
 * answer, and a non-Error rejection (a rate limiter's "blocked" result) is not a failure at all.
 */
function isOutage(error: unknown): boolean {
  return error instanceof Error && error.name !== 'ReplyError';
}

/** What a failing Redis weakens, said once in the log line that reports the transition. */
const FALLBACK_POLICY =
  'rate limits and in-flight limits count per instance, replay detection is per instance, cache entries on other instances live until their TTL';

export class RedisTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer from redis within ${timeoutMs} ms`);
    this.name = 'RedisTimeout';
  }
}

/**
 * `work`, or a RedisTimeout once `timeoutMs` has passed without an answer. When the timer fires, the
 * verdict waits for one turn of the event loop (setImmediate runs after the I/O phase): a reply that
 * already arrived while this process was busy (a long synchronous task, a saturated CPU) is read first,
 * so only a Redis that really did not answer counts as timed out, not our own event-loop lag.
 */
function bounded<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new RedisTimeout(timeoutMs));
      });
    }, timeoutMs);
    work.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export function createRedisCircuit(client: Redis, options: RedisCircuitOptions): RedisCircuit {
  const log = options.logger;
  let available = true;
  let reason: string | undefined;
  let since = Date.now();
  let failures = 0;
  let probeTimer: NodeJS.Timeout | undefined;
  let disposed = false;
  const listeners: ((status: RedisCircuitStatus) => void)[] = [];

  const status = (): RedisCircuitStatus => (available ? { available, since } : { available, reason, since });
  const notify = () => {
    const current = status();
    for (const listener of listeners) listener(current);
  };

  function open(why: string): void {
    if (disposed) return;
    if (!available) {
      reason = why;
      return;
    }
    available = false;
    reason = why;
    since = Date.now();
    log?.warn('redis unavailable: circuit open, using per-instance fallbacks', {
      reason: why,
      fallbacks: FALLBACK_POLICY,
    });
    notify();
    scheduleProbe();
  }

  function close(): void {
    if (available) return;
    const downMs = Date.now() - since;
    available = true;
    reason = undefined;
    failures = 0;
    since = Date.now();
    log?.info('redis available again: circuit closed', { downMs });
    notify();
  }

  function scheduleProbe(): void {
    if (disposed || available || probeTimer !== undefined) return;
    probeTimer = setTimeout(() => {
      probeTimer = undefined;
      bounded(client.ping(), options.commandTimeoutMs).then(
        () => close(),
        (error: unknown) => {
          reason = messageOf(error);
          scheduleProbe();
        },
      );
    }, options.probeIntervalMs);
    probeTimer.unref();
  }

  // The connection tells us before any command does: a reset or refused connection opens the circuit at once.
  const onError = (error: Error) => open(error.message);
  const onClose = () => {
    if (client.status !== 'end') open('connection closed');
  };
  client.on('error', onError);
  client.on('close', onClose);

  return {
    client,
    get available() {
      return available;
    },
    status,
    async call<T>(command: (c: Redis) => Promise<T>): Promise<T> {
      if (!available) throw new RedisUnavailable(reason ?? 'circuit open');
      try {
        const result = await bounded(command(client), options.commandTimeoutMs);
        failures = 0;
        return result;
      } catch (error) {
        if (isOutage(error) && ++failures >= options.failureThreshold) open(messageOf(error));
        throw error;
      }
    },
    onChange(listener) {
      listeners.push(listener);
    },
    dispose() {
      disposed = true;
      clearTimeout(probeTimer);
      probeTimer = undefined;
      client.off('error', onError);
      client.off('close', onClose);
    },
  };
}
