import assert from 'node:assert/strict';
import { classifyDatabaseError, toStoreError } from '../../src/db/errors';
import { withRetry } from '../../src/db/retry';
import { InsufficientStock, ServiceUnavailable } from '../../src/service/errors';

/** Errors shaped like the drivers' (the real ones are provoked in the database suites). */
function driverError(fields: Record<string, unknown>, message = 'driver error'): Error {
  return Object.assign(new Error(message), fields);
}

describe('database error classification', () => {
  const cases: Array<[string, Error, ReturnType<typeof classifyDatabaseError>]> = [
    ['pg unique_violation', driverError({ code: '23505' }), 'unique'],
    ['mysql ER_DUP_ENTRY', driverError({ code: 'ER_DUP_ENTRY', errno: 1062 }), 'unique'],
    ['mssql 2627 (unique constraint)', driverError({ number: 2627, code: 'EREQUEST' }), 'unique'],
    ['mssql 2601 (unique index)', driverError({ number: 2601 }), 'unique'],
    ['sqlite unique', driverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }), 'unique'],
    ['sqlite primary key', driverError({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }), 'unique'],
    ['pg serialization_failure', driverError({ code: '40001' }), 'conflict'],
    ['pg deadlock_detected', driverError({ code: '40P01' }), 'conflict'],
    ['mysql deadlock', driverError({ code: 'ER_LOCK_DEADLOCK', errno: 1213 }), 'conflict'],
    ['mysql lock wait timeout', driverError({ errno: 1205 }), 'conflict'],
    ['mssql deadlock victim', driverError({ number: 1205 }), 'conflict'],
    ['sqlite busy', driverError({ code: 'SQLITE_BUSY' }), 'conflict'],
    ['sqlite busy snapshot', driverError({ code: 'SQLITE_BUSY_SNAPSHOT' }), 'conflict'],
    [
      'knex acquire timeout',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
      'unavailable',
    ],
    ['connection refused', driverError({ code: 'ECONNREFUSED' }), 'unavailable'],
    ['connection reset', driverError({ code: 'ECONNRESET' }), 'unavailable'],
    ['pg admin shutdown', driverError({ code: '57P01' }), 'unavailable'],
    ['pg connection failure class 08', driverError({ code: '08006' }), 'unavailable'],
    ['pg statement timeout', driverError({ code: '57014' }), 'unavailable'],
    ['pg terminated', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['mysql lost connection', driverError({ code: 'PROTOCOL_CONNECTION_LOST' }), 'unavailable'],
    ['mariadb max_statement_time', driverError({ errno: 1969 }), 'unavailable'],
    ['mssql socket', driverError({ code: 'ESOCKET' }), 'unavailable'],
    ['mssql request timeout', driverError({ code: 'ETIMEOUT' }), 'unavailable'],
    ['wrapped in originalError', driverError({ originalError: driverError({ number: 1205 }) }), 'conflict'],
    ['wrapped in cause', new Error('outer', { cause: driverError({ code: 'ECONNREFUSED' }) }), 'unavailable'],
    ['pg syntax error', driverError({ code: '42601' }), 'other'],
    ['check violation', driverError({ code: '23514' }), 'other'],
    ['plain bug', new TypeError('x is undefined'), 'other'],
  ];
  for (const [name, error, kind] of cases) {
    it(`${name} -> ${kind}`, () => assert.equal(classifyDatabaseError(error), kind));
  }

  it('turns outages and exhausted conflicts into ServiceUnavailable, keeps domain errors and bugs', () => {
    const refused = driverError({ code: 'ECONNREFUSED' });
    const mapped = toStoreError(refused);
    assert.ok(mapped instanceof ServiceUnavailable);
    assert.equal((mapped as ServiceUnavailable).cause, refused);
    assert.ok(toStoreError(driverError({ code: '40P01' })) instanceof ServiceUnavailable);
    const domain = new InsufficientStock('X', 1, 0);
    assert.equal(toStoreError(domain), domain);
    const bug = new TypeError('bug');
    assert.equal(toStoreError(bug), bug);
  });
});

describe('withRetry', () => {
  it('re-runs transient conflicts and returns the first success', async () => {
    let calls = 0;
    const delays: number[] = [];
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw driverError({ code: '40P01' });
        return 'done';
      },
      { baseDelayMs: 1, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    assert.equal(result, 'done');
    assert.equal(calls, 3);
    assert.equal(delays.length, 2);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    let calls = 0;
    const deadlock = driverError({ errno: 1213 });
    await assert.rejects(
      withRetry(
        async () => {
          calls += 1;
          throw deadlock;
        },
        { attempts: 4, baseDelayMs: 1 },
      ),
      (error) => error === deadlock,
    );
    assert.equal(calls, 4);
  });

  it('never retries other errors', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls += 1;
        throw new InsufficientStock('X', 1, 0);
      }),
      InsufficientStock,
    );
    assert.equal(calls, 1);
  });

  it('starts no new attempt after the time budget is spent', async () => {
    let calls = 0;
    const started = Date.now();
    await assert.rejects(
      withRetry(
        async () => {
          calls += 1;
          await new Promise((resolve) => setTimeout(resolve, 40));
          throw driverError({ code: 'SQLITE_BUSY' });
        },
        { attempts: 100, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 100 },
      ),
    );
    assert.ok(calls <= 3, `${calls} attempts`);
    assert.ok(Date.now() - started < 300);
  });
});
