/**
 * Shared by the micro-benchmarks (codec-micro, parse-micro): the test order envelope they all measure, and
 * CPU time per operation (process.cpuUsage, not wall time, so a busy machine distorts the figures less).
 */
import { compileSchema } from '../../src/soap/schema/compile';
import { encodeElement } from '../../src/soap/schema/encode';
import { ORDER_MODEL, SUBMIT, sampleOrder } from '../../test/soap/schema/order-model';

/** A SubmitOrder-like request with `lines` lines in a SOAP 1.1 envelope, as bytes. */
export function orderEnvelope(lines: number): Buffer {
  const payload = encodeElement(compileSchema(ORDER_MODEL), SUBMIT, sampleOrder(lines));
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header/><soap:Body>${payload}</soap:Body></soap:Envelope>`,
  );
}

/** Milliseconds of CPU per call of `fn` after `warmup` calls: the best of `rounds` slices of `seconds`. */
export function cpuMsPerOp(fn: () => unknown, seconds: number, rounds = 1, warmup = 50): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const until = Date.now() + (seconds * 1000) / rounds;
    const start = process.cpuUsage();
    let n = 0;
    while (Date.now() < until) {
      fn();
      n++;
    }
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000 / n);
  }
  return best;
}
