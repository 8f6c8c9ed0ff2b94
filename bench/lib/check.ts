/**
 * The preflight check run against every server before it is measured: the scenario's request must get
 * HTTP 200 and the same answer, value for value, as the shared data says (bench/data.ts), so every server
 * is known to do the same work.
 */
import { isDeepStrictEqual } from 'node:util';
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'line',
});

/** Every leaf as its XML text: numbers and strings alike, the way they are written on the wire. */
export function asWireValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asWireValues);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, asWireValues(v)]),
    );
  }
  return String(value);
}

export interface ExpectedAnswer {
  readonly element: string;
  readonly value: unknown;
}

export async function checkAnswer(
  url: string,
  soapAction: string,
  body: string,
  expected: ExpectedAnswer,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${soapAction}"` },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 600)}`);
  const parsed = parser.parse(text) as { Envelope?: { Body?: Record<string, unknown> } };
  const actual = parsed.Envelope?.Body?.[expected.element];
  const wanted = asWireValues(expected.value);
  if (!isDeepStrictEqual(actual, wanted)) {
    throw new Error(
      `wrong answer: expected ${JSON.stringify(wanted).slice(0, 400)}\n got ${JSON.stringify(actual).slice(0, 400)}`,
    );
  }
}
