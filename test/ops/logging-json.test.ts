// The JSON-lines format of createLogger writes with JSON.stringify (winston's json format configured
// safe-stable-stringify for every line, ~25 µs of each access line); values JSON.stringify cannot write
// still produce a line through winston's json format.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/ops/logging';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(line);
  });
  return { logger: createLogger({ level: 'info' }, { stream, fields: { pid: 7 } }), lines };
}
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('createLogger JSON lines', () => {
  it('writes one JSON object per line with level, message, fields, default fields and a timestamp', async () => {
    const { logger, lines } = capture();
    logger.info('access', {
      status: 200,
      partner: null,
      bytesOut: 4096,
      at: new Date('2026-12-04T18:00:00Z'),
      raw: Buffer.from('ab'),
    });
    await flush();
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.equal(line.message, 'access');
    assert.equal(line.status, 200);
    assert.equal(line.partner, null);
    assert.equal(line.pid, 7);
    assert.equal(line.at, '2026-12-04T18:00:00.000Z');
    assert.deepEqual(line.raw, { type: 'Buffer', data: [97, 98] });
    assert.match(String(line.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("still writes a line for a bigint and for a cyclic value (winston's json format as the fallback)", async () => {
    const { logger, lines } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    logger.info('big', { amount: 12345678901234567890n });
    logger.info('cycle', { cyclic });
    await flush();
    assert.equal(lines.length, 2);
    assert.equal((JSON.parse(lines[0]!) as Record<string, unknown>).amount, '12345678901234567890');
    const second = JSON.parse(lines[1]!) as { cyclic: { name: string; self: unknown } };
    assert.equal(second.cyclic.name, 'loop');
    assert.equal(second.cyclic.self, '[Circular]');
  });
});
