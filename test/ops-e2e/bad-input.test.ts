// The bad-input corpus (test/fixtures/bad-input/ plus cases generated here: 10 MiB bodies, 10,000-deep
// nesting, 100,000 siblings, wrong content types and methods) sent to a running `partner-orders serve`
// process. Every case gets its stated HTTP status and SOAP faultcode (or a plain HTTP error), no response
// leaks a stack trace or a file's content, a valid request still succeeds after each pass, and the
// server's resident memory grows by less than MEMORY_GROWTH_BOUND over five passes of the whole corpus
// sent concurrently.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_DEMO_PASSWORDS } from '../../src/server';
import { soap11 } from '../support/app-server';
import { memoryOf, startService, stopProcess, type ServiceInstance } from './support/processes';
import { rawRequest, type RawRequest, type RawResponse } from './support/raw-http';
import { faultcode11, getProduct, post } from './support/soap';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bad-input');
const MiB = 1024 * 1024;
/** RSS growth allowed across five passes (each pass holds two 10 MiB uploads and ~25 other requests in flight). */
const MEMORY_GROWTH_BOUND = 100 * MiB;
const PASSES = 5;

const demo = { username: 'demo', password: DEV_DEMO_PASSWORDS.demo };
const SECURITY_HEADER = /<soapenv:Header>([\s\S]*?)<\/soapenv:Header>/.exec(soap11('', demo))?.[1] ?? '';
const SOAP11 = { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:partner-orders:v1/GetProduct"' };
const SOAP12 = { 'Content-Type': 'application/soap+xml; charset=utf-8' };

/** A fixture's bytes, with the placeholder replaced by a valid UsernameToken of the demo partner. */
function fixture(name: string): Buffer {
  const bytes = fs.readFileSync(path.join(FIXTURES, name));
  const text = bytes.toString('latin1');
  return text.includes('__WSSE_SECURITY__')
    ? Buffer.from(text.replace('__WSSE_SECURITY__', SECURITY_HEADER), 'latin1')
    : bytes;
}

const envelope11 = (body: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:po="urn:partner-orders:v1"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

interface Expectation {
  status: number;
  /** SOAP 1.1 faultcode text, SOAP 1.2 Code/Value text, or 'text/plain' for a plain HTTP error. */
  fault: string;
  reason: RegExp;
}

interface Case {
  name: string;
  request: RawRequest;
  path?: string;
  expect: Expectation;
  /**
   * The server answers an oversized body before reading it all and then closes the socket with the rest
   * unread, so its kernel resets the connection, at times before the 413 has left: the client then sees
   * a reset. Until the engine drains such a body for a while before closing (a lingering close, as nginx
   * does; behind nginx the problem does not arise, see docs/operations.md, "Multi-instance deployment"), a reset is accepted for these
   * cases as a refusal, never as an acceptance, and counted in the memory report. The same limit is checked
   * strictly with Expect: 100-continue, where the 413 comes before any body byte.
   */
  earlyAnswer?: true;
}

// Built once: the big bodies are reused by every pass so the test process does not churn memory itself.
const tenMiB = Buffer.from(
  envelope11(`<po:SearchProductsRequest><po:text>${'A'.repeat(10 * MiB)}</po:text></po:SearchProductsRequest>`),
);
const deepNesting = Buffer.from(envelope11(`${'<po:x>'.repeat(10_000)}${'</po:x>'.repeat(10_000)}`));
const manySiblings = Buffer.from(
  envelope11(`<po:SearchProductsRequest>${'<po:text/>'.repeat(100_000)}</po:SearchProductsRequest>`),
);
const validGetProduct = Buffer.from(soap11(getProduct('FAS-SCR-4X40'), demo));

const client = (reason: RegExp, status = 500): Expectation => ({ status, fault: 'soap:Client', reason });
const versionMismatch = (reason: RegExp): Expectation => ({ status: 500, fault: 'soap:VersionMismatch', reason });
const methodNotAllowed = (reason: RegExp): Expectation => ({ status: 405, fault: 'text/plain', reason });

const CASES: readonly Case[] = [
  {
    name: 'malformed XML (mismatched end tag)',
    request: { headers: SOAP11, body: fixture('malformed.xml') },
    expect: client(/Rejected XML: end tag does not match/),
  },
  {
    name: 'truncated body',
    request: { headers: SOAP11, body: fixture('truncated.xml') },
    expect: client(/Rejected XML/),
  },
  { name: 'empty body', request: { headers: SOAP11, body: Buffer.alloc(0) }, expect: client(/Empty request body/) },
  {
    name: 'DOCTYPE with an external entity (XXE on /etc/passwd)',
    request: { headers: SOAP11, body: fixture('doctype-xxe.xml') },
    expect: client(/DOCTYPE and entity declarations are not allowed/),
  },
  {
    name: 'DOCTYPE with an external DTD',
    request: { headers: SOAP11, body: fixture('doctype-external-dtd.xml') },
    expect: client(/DOCTYPE and entity declarations are not allowed/),
  },
  {
    name: 'billion laughs',
    request: { headers: SOAP11, body: fixture('billion-laughs.xml') },
    expect: client(/DOCTYPE and entity declarations are not allowed/),
  },
  {
    name: '10 MiB body announced by Content-Length with Expect: 100-continue (refused on the headers)',
    request: { headers: SOAP11, body: tenMiB, expectContinue: true },
    expect: client(/Request body exceeds the limit of 1048576 bytes/, 413),
  },
  {
    name: '10 MiB body with Content-Length',
    request: { headers: SOAP11, body: tenMiB },
    expect: client(/Request body exceeds the limit of 1048576 bytes/, 413),
    earlyAnswer: true,
  },
  {
    name: '10 MiB body chunked (no Content-Length)',
    request: { headers: SOAP11, body: tenMiB, chunked: true },
    expect: client(/Request body exceeds the limit of 1048576 bytes/, 413),
    earlyAnswer: true,
  },
  {
    name: '10,000-deep nesting',
    request: { headers: SOAP11, body: deepNesting },
    expect: client(/nested deeper than 64 levels/),
  },
  {
    name: '100,000 sibling elements',
    request: { headers: SOAP11, body: manySiblings },
    expect: client(/more than 20000 elements/),
  },
  {
    name: 'invalid UTF-8',
    request: { headers: SOAP11, body: fixture('invalid-utf8.xml') },
    expect: client(/not valid UTF-8/),
  },
  {
    name: 'UTF-16 declared, UTF-8 sent',
    request: {
      headers: SOAP11,
      body: Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${envelope11(getProduct('FAS-SCR-4X40'))}`),
    },
    expect: client(/Charset mismatch: the XML declaration says UTF-16 but the Content-Type says UTF-8/, 415),
  },
  {
    name: 'wrong envelope namespace',
    request: { headers: SOAP11, body: fixture('wrong-envelope-namespace.xml') },
    expect: versionMismatch(/unsupported SOAP envelope namespace/),
  },
  {
    name: 'no envelope at all',
    request: { headers: SOAP11, body: fixture('no-envelope.xml') },
    expect: client(/root element must be a SOAP Envelope/),
  },
  {
    name: 'wrong payload namespace',
    request: { headers: SOAP11, body: fixture('wrong-payload-namespace.xml') },
    expect: client(/No operation accepts the body element \{urn:partner-orders:v9\}GetProductRequest/),
  },
  {
    name: 'payload without namespace',
    request: { headers: SOAP11, body: fixture('payload-without-namespace.xml') },
    expect: client(/No operation accepts the body element \{\}GetProductRequest/),
  },
  {
    name: 'unknown operation',
    request: {
      headers: { ...SOAP11, SOAPAction: '"urn:partner-orders:v1/DeleteAllOrders"' },
      body: fixture('unknown-operation.xml'),
    },
    expect: client(/No operation accepts the body element \{urn:partner-orders:v1\}DeleteAllOrdersRequest/),
  },
  {
    name: 'unknown SOAPAction on a valid body',
    request: { headers: { ...SOAP11, SOAPAction: '"urn:partner-orders:v1/DeleteAllOrders"' }, body: validGetProduct },
    expect: client(/SOAPAction 'urn:partner-orders:v1\/DeleteAllOrders' names no operation/),
  },
  {
    name: 'header block with mustUnderstand="1" we do not know',
    request: { headers: SOAP11, body: fixture('must-understand-unknown-header.xml') },
    expect: {
      status: 500,
      fault: 'soap:MustUnderstand',
      reason: /Header block not understood: \{urn:example:transactions\}Transaction/,
    },
  },
  {
    name: 'SOAP 1.2 envelope sent as text/xml',
    request: { headers: SOAP11, body: fixture('soap12-envelope.xml') },
    expect: versionMismatch(/announces SOAP 1.1 but the envelope is SOAP 1.2/),
  },
  {
    name: 'SOAP 1.1 envelope sent as application/soap+xml',
    request: { headers: SOAP12, body: validGetProduct },
    expect: { status: 500, fault: 'soap:VersionMismatch', reason: /./ },
  },
  {
    name: 'malformed SOAP 1.2 (Sender, HTTP 400)',
    request: {
      headers: SOAP12,
      body: Buffer.from(
        fixture('malformed.xml')
          .toString()
          .replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'),
      ),
    },
    expect: { status: 400, fault: 'soap:Sender', reason: /Rejected XML/ },
  },
  {
    name: 'JSON sent as text/xml',
    request: { headers: SOAP11, body: fixture('not-xml.json') },
    expect: client(/Rejected XML/),
  },
  {
    name: 'Content-Type application/json',
    request: { headers: { ...SOAP11, 'Content-Type': 'application/json' }, body: fixture('not-xml.json') },
    expect: client(/Unsupported Content-Type 'application\/json'/, 415),
  },
  {
    name: 'Content-Type text/plain',
    request: { headers: { ...SOAP11, 'Content-Type': 'text/plain' }, body: validGetProduct },
    expect: client(/Unsupported Content-Type 'text\/plain'/, 415),
  },
  {
    name: 'Content-Type multipart/related (MTOM)',
    request: {
      headers: { ...SOAP11, 'Content-Type': 'multipart/related; type="application/xop+xml"; boundary=b1' },
      body: validGetProduct,
    },
    expect: client(/Malformed MTOM request: The multipart body contains no part delimited by its boundary/, 400),
  },
  {
    name: 'Content-Type charset shift_jis',
    request: { headers: { ...SOAP11, 'Content-Type': 'text/xml; charset=shift_jis' }, body: validGetProduct },
    expect: client(/Unsupported charset 'shift_jis'/, 415),
  },
  {
    name: 'no Content-Type',
    request: { headers: { SOAPAction: SOAP11.SOAPAction }, body: validGetProduct },
    expect: client(/Missing Content-Type/, 415),
  },
  {
    name: 'GET without ?wsdl',
    request: { method: 'GET' },
    expect: methodNotAllowed(/GET \?wsdl returns the contract/),
  },
  {
    name: 'PUT',
    request: { method: 'PUT', headers: SOAP11, body: validGetProduct },
    expect: methodNotAllowed(/Method PUT not allowed/),
  },
  { name: 'DELETE', request: { method: 'DELETE' }, expect: methodNotAllowed(/Method DELETE not allowed/) },
  {
    name: 'contract document path traversal',
    path: '?xsd=../../../../etc/passwd',
    request: { method: 'GET' },
    expect: { status: 404, fault: 'text/plain', reason: /No contract document by that name/ },
  },
];

/** Traces of an internal error in a response: stack frames, source paths, file contents. */
const LEAKS = /(^|\n)\s+at\s|node:internal|\.ts:\d+|\.js:\d+|\/work\/|root:x:0:0|ECONN|TypeError|RangeError/;

function checkResponse(testCase: Case, response: RawResponse): void {
  const label = `${testCase.name}: ${response.status} ${response.body.slice(0, 400)}`;
  assert.equal(response.status, testCase.expect.status, label);
  assert.doesNotMatch(response.body, LEAKS, label);
  assert.equal(response.headers['x-powered-by'], undefined, label);
  if (testCase.expect.fault === 'text/plain') {
    assert.match(String(response.headers['content-type']), /^text\/plain/, label);
    assert.match(response.body, testCase.expect.reason, label);
    return;
  }
  const soap12 = String(response.headers['content-type']).startsWith('application/soap+xml');
  const code = soap12
    ? /<soap:Code><soap:Value>([^<]+)<\/soap:Value>/.exec(response.body)?.[1]
    : faultcode11(response.body);
  assert.equal(code, testCase.expect.fault, label);
  assert.match(response.body, testCase.expect.reason, label);
}

describe('ops e2e: bad-input corpus against a running server', function () {
  this.timeout(120_000);
  let server: ServiceInstance | undefined;
  let sqliteDir: string | undefined;
  const instance = () => server as ServiceInstance;

  before(async () => {
    sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-e2e-bad-input-'));
    server = await startService({
      name: 'bad-input',
      env: {
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
        SQLITE_FILENAME: path.join(sqliteDir, 'service.sqlite'),
        LOG_LEVEL: 'warn',
        // The corpus is about input handling; throttling of its many unauthenticated requests is tested elsewhere.
        NODE_CONFIG: JSON.stringify({
          rateLimits: {
            unauthenticated: { points: 100_000, maxInFlight: 1000 },
            partner: { points: 100_000, maxInFlight: 1000 },
          },
        }),
      },
    });
  });

  after(async () => {
    if (server) await stopProcess(server.child, 'SIGTERM', 5000);
    if (sqliteDir) fs.rmSync(sqliteDir, { recursive: true, force: true });
  });

  let resets = 0;
  let earlyAnswerAttempts = 0;
  const send = (testCase: Case) =>
    rawRequest(`${instance().ordersUrl}${testCase.path ?? ''}`, testCase.request).catch((error: Error) => {
      throw new Error(`${testCase.name}: ${error.message}`);
    });

  const stillServes = async () => {
    const reply = await post(instance().ordersUrl, 'GetProduct', validGetProduct.toString('utf8'));
    assert.equal(reply.status, 200, reply.body);
    assert.match(reply.body, /<tns:sku>FAS-SCR-4X40<\/tns:sku>/);
  };

  for (const testCase of CASES) {
    it(`${testCase.name}: ${testCase.expect.status} ${testCase.expect.fault}`, async () => {
      const response = await send(testCase);
      if (testCase.earlyAnswer) earlyAnswerAttempts++;
      if (testCase.earlyAnswer && response.status === 0) resets++;
      else checkResponse(testCase, response);
      await stillServes();
    });
  }

  it('the XXE case does not disclose /etc/passwd, and the server log shows no crash', async () => {
    const xxe = CASES.find((c) => c.name.startsWith('DOCTYPE with an external entity')) as Case;
    const response = await send(xxe);
    assert.doesNotMatch(response.body, /root:|nologin|\/bin\/(ba)?sh/);
    assert.doesNotMatch(instance().output(), /uncaught|unhandled|FATAL|heap out of memory/i);
    await stillServes();
  });

  it(`stays up and within ${MEMORY_GROWTH_BOUND / MiB} MiB of RSS growth over ${PASSES} concurrent passes of the whole corpus`, async function () {
    this.timeout(90_000);
    await stillServes();
    const pid = instance().child.pid as number;
    const baseline = memoryOf(pid);
    const samples: number[] = [];
    const started = Date.now();
    for (let pass = 1; pass <= PASSES; pass++) {
      const responses = await Promise.all(CASES.map(send));
      responses.forEach((response, i) => {
        if (CASES[i].earlyAnswer) earlyAnswerAttempts++;
        if (CASES[i].earlyAnswer && response.status === 0) resets++;
        else checkResponse(CASES[i], response);
      });
      await stillServes();
      samples.push(memoryOf(pid).rss);
    }
    const elapsed = Date.now() - started;
    const final = memoryOf(pid);
    const growth = final.rss - baseline.rss;
    const report =
      `RSS baseline ${(baseline.rss / MiB).toFixed(1)} MiB, after each pass [${samples.map((s) => (s / MiB).toFixed(1)).join(', ')}] MiB, ` +
      `growth ${(growth / MiB).toFixed(1)} MiB, peak ${(final.peak / MiB).toFixed(1)} MiB, ${PASSES} x ${CASES.length} requests in ${elapsed} ms; ` +
      `oversized bodies answered by a reset instead of the 413: ${resets} of ${earlyAnswerAttempts}`;
    process.stderr.write(`      [memory] ${report}\n`);
    assert.ok(growth < MEMORY_GROWTH_BOUND, report);
    assert.equal(instance().child.exitCode, null, 'the server process is still running');
    assert.doesNotMatch(instance().output(), /uncaught|unhandled|FATAL|heap out of memory/i);
  });
});
