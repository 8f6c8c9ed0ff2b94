/**
 * Micro-benchmark of the fast XML parser alone (src/soap/xml/fast.ts): the 200-line SubmitOrder envelope
 * of bench/codec-micro.ts, parsed from bytes and from text, plus the strict UTF-8 decode and the
 * character check on their own. CPU time per op (process.cpuUsage), best of a few rounds.
 *
 *   npx tsx bench/parse-micro.ts [lines] [seconds-per-case] [rounds]
 */
import { parseXmlFast } from '../src/soap/xml/fast';
import { decodeXmlText, normalizeXmlText } from '../src/soap/xml/guard';
import { cpuMsPerOp, orderEnvelope } from './lib/micro';

const lines = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 1);
const rounds = Number(process.argv[4] ?? 3);

const envelope = orderEnvelope(lines);
const text = envelope.toString('utf8');

function bench(name: string, fn: () => unknown): void {
  const best = cpuMsPerOp(fn, seconds, rounds, 200);
  const mbps = envelope.length / 1e6 / (best / 1000);
  console.log(`${name.padEnd(36)} ${best.toFixed(4).padStart(9)} ms/op ${mbps.toFixed(0).padStart(6)} MB/s`);
}

console.log(`order with ${lines} lines: envelope ${envelope.length} bytes`);
const only = process.env.ONLY;
if (!only || only === 'bytes') bench('parseXmlFast(bytes)', () => parseXmlFast(envelope));
if (!only || only === 'text') bench('parseXmlFast(text)', () => parseXmlFast(text));
if (!only) {
  bench('decodeXmlText (utf8 + checks)', () => decodeXmlText(envelope));
  bench('normalizeXmlText (checks only)', () => normalizeXmlText(text));
  bench('Buffer.toString utf8', () => envelope.toString('utf8'));
}
