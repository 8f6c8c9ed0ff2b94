import { isTransientConflict } from './errors';

export interface RetryOptions {
  /** Total attempts including the first (default 6). */
  attempts?: number;
  /** Backoff cap grows as baseDelayMs * 2^n up to maxDelayMs; the actual wait is uniformly jittered below it. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Which errors are worth another attempt (default: deadlocks, serialization failures, busy/lock timeouts). */
  isRetryable?: (error: unknown) => boolean;
  /**
   * No new attempt starts once this much time has passed since the first one began: a request must not
   * hang much beyond the configured statement timeout, however many attempts are left.
   */
  budgetMs?: number;
  /** Observability hook (metrics/logging); called before each wait. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const DEFAULTS = { attempts: 6, baseDelayMs: 5, maxDelayMs: 250 } as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` again when it fails with a transient conflict. `work` must be a whole transaction (it is
 * re-run from the start, so it must not have effects outside the database). Full jitter spreads the
 * competing transactions so they do not collide again in lockstep.
 */
export async function withRetry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? DEFAULTS.attempts;
  const base = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const isRetryable = options.isRetryable ?? isTransientConflict;
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const cap = Math.min(max, base * 2 ** (attempt - 1));
      const delayMs = Math.random() * cap;
      if (options.budgetMs !== undefined && Date.now() - started + delayMs >= options.budgetMs) throw error;
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
