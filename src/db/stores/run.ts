import type { Database } from '../connection';
import { toStoreError } from '../errors';
import { type RetryOptions, withRetry } from '../retry';

/**
 * The envelope of every store method: the work (a whole transaction, or one statement) is retried on
 * deadlocks, serialization failures and busy/lock timeouts a bounded number of times; what still fails
 * leaves as a domain error (ServiceUnavailable for an unreachable or overloaded database).
 */
export async function storeCall<T>(db: Database, work: () => Promise<T>, retry?: RetryOptions): Promise<T> {
  try {
    return await withRetry(work, { budgetMs: db.options.statementTimeoutMs, ...retry });
  } catch (error) {
    throw toStoreError(error);
  }
}
