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
import { wrapEnvelope } from '../src/soap/envelope-write';
import { parseXmlFast } from '../src/soap/xml/fast';
import { ORDER_MODEL, SUBMIT, sampleOrder } from '../test/soap/schema/order-model';
import { cpuMsPerOp, orderEnvelope } from './lib/micro';
import { contract as benchContract } from './generated/contract';
import { BENCH_NS, ORDERS, envelope as benchEnvelope, submitOrderPayload } from './data';

const lines = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 1.5);
/** Optional third argument: only the cases whose name contains it (e.g. "bench"). */
const only = process.argv[4];

const schema = compileSchema(ORDER_MODEL);
const value = sampleOrder(lines);
const envelope = orderEnvelope(lines);

function bench(name: string, fn: () => unknown, bytes = envelope.length): void {
  if (only !== undefined && !name.includes(only)) return;
  const perOp = cpuMsPerOp(fn, seconds);
  const mbps = bytes / 1e6 / (perOp / 1000);
  console.log(
    `${name.padEnd(44)} ${(1000 / perOp).toFixed(0).padStart(8)} ops/s ${perOp.toFixed(3).padStart(9)} ms/op ${mbps.toFixed(0).padStart(6)} MB/s`,
  );
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
const fxp = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: false,
  jPath: false,
  maxNestedTags: 1000,
});
bench('reference: fast-xml-parser preserveOrder', () => fxp.parse(text));
bench('reference: fast-xml-parser XMLValidator', () => XMLValidator.validate(text));
bench('reference: parseXmlFast on the same text', () => parseXmlFast(text));

// The benchmark contract (bench/wsdl/bench.wsdl): exactly what the large-response and large-request scenarios
// encode and decode (GetOrderResponse for ORD-200, SubmitOrderRequest with 200 lines).
const benchSchema = compileSchema(benchContract.schema);
const GET_ORDER_RESPONSE = `{${BENCH_NS}}GetOrderResponse`;
const SUBMIT_ORDER_REQUEST = `{${BENCH_NS}}SubmitOrderRequest`;
const response = { order: ORDERS.get('ORD-200') };
const responseXml = encodeElement(benchSchema, GET_ORDER_RESPONSE, response);
bench(
  'bench: encode GetOrderResponse ORD-200',
  () => encodeElement(benchSchema, GET_ORDER_RESPONSE, response),
  responseXml.length,
);
// What the endpoint does with it: the envelope around it and its UTF-8 length (which flattens a rope string).
bench(
  'bench: encode + envelope + byteLength',
  () => Buffer.byteLength(wrapEnvelope('1.1', [], encodeElement(benchSchema, GET_ORDER_RESPONSE, response))),
  responseXml.length,
);
const submitEnvelope = Buffer.from(benchEnvelope(submitOrderPayload(lines)));
const submitEl = parseEnvelope(submitEnvelope, { dom: false }).payload!;
bench(
  'bench: decode SubmitOrderRequest',
  () => decodeElement(benchSchema, SUBMIT_ORDER_REQUEST, submitEl),
  submitEnvelope.length,
);
