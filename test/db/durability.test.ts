/**
 * A process submitting orders is killed with SIGKILL mid-load: every order it reported as committed must
 * exist with all its lines, no order may exist without its lines, and reserved must still equal the
 * quantities of ACCEPTED orders (SQLite: WAL with synchronous=NORMAL survives a process crash).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { addPartner, addProduct, reservationMismatches, storesOf } from './fixtures';
import { deleteAllRows, forEachDatabase } from './harness';

const WORKER = path.join(__dirname, 'support', 'submit-worker.ts');
const ACKNOWLEDGED_BEFORE_KILL = 150;

forEachDatabase('durability under SIGKILL', (getDb, context) => {
  it('keeps every acknowledged order with its lines and the stock invariant', async function () {
    this.timeout(90_000);
    const db = getDb();
    await deleteAllRows(db);
    const stores = storesOf(db);
    const partners = [(await addPartner(stores, 'acme')).id, (await addPartner(stores, 'globex')).id];
    const skus = ['K-1', 'K-2', 'K-3', 'K-4'];
    for (const sku of skus) await addProduct(stores, sku, '0.10', 100_000);
    // The worker opens the same scratch database (for SQLite: a second process on the same WAL file).
    const { log: _log, ...options } = context.scratch().options;

    const child = spawn(process.execPath, ['-r', 'tsx/cjs', WORKER], {
      cwd: path.join(__dirname, '..', '..'),
      env: {
        ...process.env,
        DURABILITY_DB: JSON.stringify(options),
        DURABILITY_PARTNERS: JSON.stringify(partners),
        DURABILITY_SKUS: JSON.stringify(skus),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged = new Map<string, number>();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [orderId, lineCount] = line.split(' ');
          acknowledged.set(orderId!, Number(lineCount));
        }
        if (acknowledged.size >= ACKNOWLEDGED_BEFORE_KILL) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`the worker exited before being killed: ${stderr}`)));
    }).catch(async (error: unknown) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw error;
    });
    assert.equal(await exited, 'SIGKILL');

    const stored = new Map<string, number>();
    const rows = (await db.knex('orders').select('id', 'line_count')) as Array<{ id: string; line_count: unknown }>;
    for (const row of rows) stored.set(row.id, Number(row.line_count));
    for (const [orderId, lineCount] of acknowledged) {
      assert.equal(stored.get(orderId), lineCount, `acknowledged order ${orderId} is stored`);
      const lines = await db.knex('order_lines').where('order_id', orderId).count({ n: '*' });
      assert.equal(Number(lines[0]?.n), lineCount, `order ${orderId} has all its lines`);
    }
    const counts = (await db.knex('order_lines').select('order_id').count({ n: '*' }).groupBy('order_id')) as Array<{
      order_id: string;
      n: unknown;
    }>;
    const linesByOrder = new Map(counts.map((row) => [row.order_id, Number(row.n)]));
    for (const [orderId, lineCount] of stored)
      assert.equal(linesByOrder.get(orderId), lineCount, `order ${orderId} has exactly its lines`);
    assert.ok(stored.size >= acknowledged.size);
    assert.deepEqual(await reservationMismatches(db), []);
  });
});
