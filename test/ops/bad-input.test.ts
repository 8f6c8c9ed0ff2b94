// The bad-input corpus against a running service process: every message gets a SOAP fault or a clear HTTP
// error, nothing leaks (file contents, stack traces), the server stays up, and its memory stays bounded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_DEMO_PASSWORDS } from '../../src/server';
import { soap11 } from '../support/app-server';
import { startServeProcess, type ServeProcess } from './serve-process';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const getProduct = '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>';
const demo = { username: 'demo', password: DEV_DEMO_PASSWORDS.demo };

interface BadInput {
  name: string;
  body: string | Buffer;
  contentType?: string;
  /** Acceptable HTTP statuses. */
  statuses: number[];
  /** The answer must be a SOAP fault (else a plain HTTP error is fine). */
  fault?: boolean;
}

function nested(depth: number): string {
  return `<soap:Envelope xmlns:soap="${S11}"><soap:Body>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</soap:Body></soap:Envelope>`;
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<soap:Envelope xmlns:soap="${S11}"><soap:Body><po:GetProductRequest xmlns:po="urn:partner-orders:v1"><po:sku>&lol9;</po:sku></po:GetProductRequest></soap:Body></soap:Envelope>`;

const XXE = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="${S11}"><soap:Body><po:GetProductRequest xmlns:po="urn:partner-orders:v1"><po:sku>&xxe;</po:sku></po:GetProductRequest></soap:Body></soap:Envelope>`;

const CORPUS: BadInput[] = [
  { name: 'malformed XML', body: `<soap:Envelope xmlns:soap="${S11}"><soap:Body><po:GetProductRequest>`, statuses: [400, 500], fault: true },
  { name: 'not XML at all', body: 'hello, is this SOAP?', statuses: [400, 500], fault: true },
  { name: 'DOCTYPE with an external entity (XXE)', body: XXE, statuses: [400, 500], fault: true },
  { name: 'billion laughs', body: BILLION_LAUGHS, statuses: [400, 500], fault: true },
  { name: '10 MiB body', body: Buffer.alloc(10 * 1024 * 1024, 'a'), statuses: [413] },
  { name: '10,000-deep nesting', body: nested(10_000), statuses: [400, 500], fault: true },
  { name: 'wrong envelope namespace', body: soap11(getProduct, demo).replace(S11, 'urn:not-soap'), statuses: [400, 500], fault: true },
  { name: 'wrong payload namespace', body: soap11(getProduct, demo).replace('xmlns:po="urn:partner-orders:v1"', 'xmlns:po="urn:partner-orders:v9"'), statuses: [400, 500], fault: true },
  { name: 'unknown operation', body: soap11('<po:LaunchRocketRequest/>', demo), statuses: [400, 500], fault: true },
  { name: 'JSON content type', body: '{"sku":"FAS-SCR-4X40"}', contentType: 'application/json', statuses: [415] },
  { name: 'SOAP 1.2 content type with a SOAP 1.1 envelope', body: soap11(getProduct, demo), contentType: 'application/soap+xml; charset=utf-8', statuses: [400, 415, 500], fault: true },
  {
    name: 'invalid UTF-8',
    body: Buffer.concat([Buffer.from(soap11('<po:GetProductRequest><po:sku>', demo).replace('</soapenv:Body></soapenv:Envelope>', '')), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</po:sku></po:GetProductRequest></soapenv:Body></soapenv:Envelope>')]),
    statuses: [400, 500],
    fault: true,
  },
  { name: 'empty body', body: '', statuses: [400, 500], fault: true },
];

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

async function send(url: string, input: BadInput): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': input.contentType ?? 'text/xml; charset=utf-8', SOAPAction: '"urn:partner-orders:v1/GetProduct"' },
      body: typeof input.body === 'string' ? input.body : new Uint8Array(input.body),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    // The server may answer 413 and close before the whole 10 MiB body is sent; fetch then reports the
    // reset instead of the status. That still is "a clear HTTP error", but only for the oversized body.
    return { status: -1, body: String((error as { cause?: unknown }).cause ?? error) };
  }
}

describe('bad-input corpus against a running server', function () {
  this.timeout(120000);
  let server: ServeProcess;
  let dataDir: string;
  let ordersUrl: string;

  before(async function () {
    if (!fs.existsSync('/proc/self/status')) this.skip();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-bad-input-'));
    server = await startServeProcess({
      database: { url: null, sqlite: { filename: path.join(dataDir, 'orders.sqlite') } },
      rateLimits: { unauthenticated: { points: 100_000, durationSeconds: 1, maxInFlight: 100 } },
    });
    ordersUrl = `${server.url}/soap/v1/orders`;
  });
  after(async () => {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (const input of CORPUS) {
    it(`${input.name}: ${input.fault ? 'a SOAP fault' : 'a clear HTTP error'}`, async () => {
      const reply = await send(ordersUrl, input);
      if (reply.status === -1 && input.statuses.includes(413)) return;
      assert.ok(input.statuses.includes(reply.status), `status ${reply.status}: ${reply.body.slice(0, 400)}`);
      if (input.fault) assert.match(reply.body, /<(\w+:)?Fault>/, reply.body.slice(0, 400));
      assert.doesNotMatch(reply.body, /root:x:0:0/, 'no file contents');
      assert.doesNotMatch(reply.body, /\bat .*\.(ts|js):\d+/, 'no stack trace');
      assert.ok(reply.body.length < 10_000, 'no echo of the input');
    });
  }

  it('stays up and keeps its memory bounded after the corpus is sent 20 more times', async () => {
    const baseline = rssBytes(server.child.pid ?? 0);
    for (let round = 0; round < 20; round++) {
      await Promise.all(CORPUS.map((input) => send(ordersUrl, input)));
    }
    const reply = await fetch(ordersUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:partner-orders:v1/GetProduct"' },
      body: soap11(getProduct, demo),
    });
    assert.equal(reply.status, 200, await reply.text());
    const after = rssBytes(server.child.pid ?? 0);
    assert.ok(after < 512 * 1024 * 1024, `RSS ${Math.round(after / 1048576)} MiB`);
    assert.ok(after - baseline < 150 * 1024 * 1024, `RSS grew from ${Math.round(baseline / 1048576)} to ${Math.round(after / 1048576)} MiB`);
    assert.equal(server.child.exitCode, null, 'the server is still running');
  });
});
