/**
 * Micro-benchmark of the XML side of the engine: parse, decode and encode of a SubmitOrder-like request
 * with N lines (default 200), through the fast path and the DOM path. Prints ops/s and MB/s per CPU second
 * (process CPU time, so a busy machine distorts the figures less).
 *
 *   npx tsx bench/codec-micro.ts [lines] [seconds-per-case]
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseEnvelope } from '../src/soap/envelope';
import { compileSchema } from '../src/soap/schema/compile';
import { decodeElement } from '../src/soap/schema/decode';
import { encodeElement } from '../src/soap/schema/encode';
import { parseXmlFast } from '../src/soap/xml/fast';
import { ORDER_MODEL, SUBMIT, sampleOrder } from '../test/soap/schema/order-model';

const lines = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 1.5);

const schema = compileSchema(ORDER_MODEL);
const value = sampleOrder(lines);
const payload = encodeElement(schema, SUBMIT, value);
const envelope = Buffer.from(
  `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header/><soap:Body>${payload}</soap:Body></soap:Envelope>`,
);

function bench(name: string, fn: () => unknown): void {
  for (let i = 0; i < 50; i++) fn();
  // CPU time of this process, not wall time: the figures stay comparable on a busy machine.
  const until = Date.now() + seconds * 1000;
  const start = process.cpuUsage();
  let n = 0;
  while (Date.now() < until) {
    fn();
    n++;
  }
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  const perOp = ms / n;
  const mbps = envelope.length / 1e6 / (perOp / 1000);
  console.log(`${name.padEnd(44)} ${(1000 / perOp).toFixed(0).padStart(8)} ops/s ${perOp.toFixed(3).padStart(9)} ms/op ${mbps.toFixed(0).padStart(6)} MB/s`);
}

console.log(`order with ${lines} lines: envelope ${envelope.length} bytes`);
const parsed = parseEnvelope(envelope, { dom: false });
const payloadEl = parsed.payload!;
const signedPath = parseEnvelope(envelope, { dom: true }).payload!;

bench('envelope parse, fast path (bytes -> views)', () => parseEnvelope(envelope, { dom: false }));
bench('decode (views -> typed value)', () => decodeElement(schema, SUBMIT, payloadEl));
bench('encode (typed value -> XML text)', () => encodeElement(schema, SUBMIT, value));
bench('parse + decode + encode (fast path)', () => {
  const env = parseEnvelope(envelope, { dom: false });
  const v = decodeElement(schema, SUBMIT, env.payload!);
  return encodeElement(schema, SUBMIT, v);
});
bench('envelope parse, DOM path (signed traffic)', () => parseEnvelope(envelope, { dom: true }));
bench('decode from DOM views', () => decodeElement(schema, SUBMIT, signedPath));

const text = envelope.toString('utf8');
const fxp = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false, trimValues: false, jPath: false, maxNestedTags: 1000 });
bench('reference: fast-xml-parser preserveOrder', () => fxp.parse(text));
bench('reference: fast-xml-parser XMLValidator', () => XMLValidator.validate(text));
bench('reference: parseXmlFast on the same text', () => parseXmlFast(text));
