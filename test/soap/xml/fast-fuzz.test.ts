/**
 * Issue 14, finding 9: a bounded slice of the differential fuzz of the fast parser against libexpat
 * (test/soap/xml/fuzz/differential.ts): the committed corpus, 3,000 generated documents, and the scaling
 * shapes. The long run is `npm run fuzz`.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  KNOWN_SUPERLINEAR,
  SCALING_SHAPES,
  compareAll,
  expatAvailable,
  parseMs,
  xmlDocument,
} from './fuzz/differential';

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'fuzz');

describe('xml/fast: differential fuzz against libexpat (issue 14, finding 9)', function () {
  this.timeout(60_000);
  before(function () {
    if (!expatAvailable()) this.skip(); // /usr/bin/python3 with pyexpat, here and in CI
  });

  it('agrees with libexpat on the committed corpus', () => {
    const files = readdirSync(CORPUS)
      .filter((name) => name.endsWith('.xml'))
      .sort();
    assert.ok(files.length >= 30);
    assert.deepEqual(compareAll(files.map((file) => readFileSync(join(CORPUS, file), 'utf8'))), []);
  });

  it('agrees with libexpat on 3,000 generated documents, and never crashes', () => {
    assert.deepEqual(compareAll(fc.sample(xmlDocument, { numRuns: 3000, seed: 14 })), []);
  });

  it('parses every scaling shape in linear time', () => {
    for (const [shape, build] of Object.entries(SCALING_SHAPES)) {
      if (KNOWN_SUPERLINEAR.has(shape)) continue;
      parseMs(build(8_000), 1); // warm-up: the first runs measure the JIT, not the parser
      const small = parseMs(build(1_000));
      const large = parseMs(build(8_000));
      assert.ok(large / Math.max(small, 0.5) < 40, `${shape}: ${small} ms at 1k, ${large} ms at 8k`);
    }
  });
});
