/**
 * The long differential fuzz run (`npm run fuzz [-- seconds [seed]]`, default 300 s): the committed corpus
 * (test/fixtures/fuzz/), then generated documents until the time is up, printing progress and how many
 * inputs were tried; then the scaling shapes. Exits 1 on the first mismatch, crash or super-linear shape,
 * printing the input (add it to the corpus once fixed or classified).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { KNOWN_SUPERLINEAR, SCALING_SHAPES, compareAll, parseMs, xmlDocument } from './differential';

const CORPUS = join(__dirname, '..', '..', '..', 'fixtures', 'fuzz');
const seconds = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);

function fail(what: string, detail: unknown): never {
  console.error(`FAIL ${what}\n${JSON.stringify(detail, null, 2)}`);
  process.exit(1);
}

const files = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.xml'))
  .sort();
const corpusMismatches = compareAll(files.map((file) => readFileSync(join(CORPUS, file), 'utf8')));
if (corpusMismatches.length > 0) fail('corpus', corpusMismatches);
let tried = files.length;
console.log(`corpus: ${tried} documents agree`);

const deadline = Date.now() + seconds * 1000;
let batch = 0;
let nextReport = Date.now() + 10_000;
while (Date.now() < deadline) {
  const documents = fc.sample(xmlDocument, { numRuns: 1000, seed: seed + batch });
  let mismatches;
  try {
    mismatches = compareAll(documents);
  } catch (error) {
    fail(`crash (seed ${seed}, batch ${batch})`, String(error));
  }
  if (mismatches.length > 0) fail(`mismatch (seed ${seed}, batch ${batch})`, mismatches[0]);
  tried += documents.length;
  batch++;
  if (Date.now() >= nextReport) {
    console.log(`${tried} inputs tried, no mismatch (seed ${seed})`);
    nextReport = Date.now() + 10_000;
  }
}

for (const [shape, build] of Object.entries(SCALING_SHAPES)) {
  const small = parseMs(build(1_000));
  const large = parseMs(build(8_000));
  const ratio = large / Math.max(small, 0.5);
  console.log(
    `${shape}: ${small.toFixed(2)} ms at 1k, ${large.toFixed(2)} ms at 8k (x${ratio.toFixed(1)} for 8x the input)`,
  );
  if (ratio > 24 && !KNOWN_SUPERLINEAR.has(shape)) fail(`super-linear time: ${shape}`, { small, large });
}
console.log(`done: ${tried} inputs tried in ${seconds} s (seed ${seed}), no mismatch, no crash, every shape linear`);
