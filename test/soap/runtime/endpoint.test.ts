/**
 * The runtime over real HTTP, identically through bare node:http and through Express: transport rules,
 * routing, pipeline order, mustUnderstand, decoding errors, faults and contract serving.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSoapEndpoint, type SoapEndpoint } from '../../../src/soap/endpoint';
import type { SoapExchange, SoapInterceptor } from '../../../src/soap/pipeline';
import { soapRouterFor } from '../../../src/soap/transport/express';
import {
  CapturingLogger,
  TRANSPORTS,
  httpRequest,
  post11,
  post12,
  rawExchange,
  soap11,
  soap12,
  startServer,
  type RunningServer,
} from './http-helpers';
import { MINI_DOCUMENT_ROOT, MINI_NS, PingFault, miniContract, type MiniHandlers } from './mini-contract';

const LIMIT = 64 * 1024;
const WSA = 'http://www.w3.org/2005/08/addressing';

/** Records pipeline calls per `X-Trace` header so concurrent tests do not mix. */
const traces = new Map<string, string[]>();
function traceOf(exchange: SoapExchange): string[] | undefined {
  const id = exchange.request.httpHeaders['x-trace'];
  return typeof id === 'string' ? traces.get(id) : undefined;
}
function tracing(name: string): SoapInterceptor {
  return {
    name,
    understands: name === 'A' ? [{ ns: 'urn:h', local: 'Known' }] : undefined,
    handleRequest(exchange) {
      traceOf(exchange)?.push(`${name}.request:${exchange.operation?.name ?? '?'}`);
      if (name === 'B' && exchange.request.httpHeaders['x-trace'] === 'explode-request')
        throw new Error('interceptor B broke');
      if (name === 'B') {
        const marked = exchange.envelope?.headers.find((h) => h.element.local === 'Marked');
        if (marked !== undefined) exchange.understood.add(marked.element);
        if (exchange.envelope?.headers.some((h) => h.element.local === 'Auth')) {
          exchange.principal = { id: 'p-1', name: 'Partner One', roles: [] };
        }
      }
    },
    async handleResponse(exchange) {
      await delay(1);
      traceOf(exchange)?.push(`${name}.response`);
      if (name === 'A') exchange.httpHeaders['X-Seen-By-A'] = 'yes';
    },
    handleFault(exchange, fault) {
      traceOf(exchange)?.push(`${name}.fault:${fault.code}`);
    },
    afterCompletion(exchange) {
      traceOf(exchange)?.push(
        `${name}.after:${exchange.status ?? '?'}:${(exchange.bytesOut ?? 0) > 0 ? 'bytes' : 'empty'}`,
      );
      if (name === 'A' && exchange.request.httpHeaders['x-trace'] === 'explode-after')
        throw new Error('afterCompletion broke');
    },
  };
}

const notified: string[] = [];
const handlers: MiniHandlers = {
  async ping(request, context) {
    switch (request.text) {
      case 'boom':
        throw new Error('database exploded at /srv/secret/path');
      case 'fault':
        throw new PingFault('Ping refused', { code: 'P-1' });
      case 'context':
        return {
          text: `${context.messageId}|${context.operation}|${context.soapVersion}|${context.principal?.id ?? '-'}|${context.headers.length}`,
        };
      case 'bad-output':
        return { count: 1 } as unknown as { text: string };
      default:
        return request.count === undefined ? { text: request.text } : { text: request.text, count: request.count + 1 };
    }
  },
  async other() {
    return {};
  },
  async notify(request) {
    notified.push(request.text);
  },
};

function endpoint(logger: CapturingLogger, trustedProxies: string[] = []): SoapEndpoint {
  return createSoapEndpoint({
    contract: miniContract,
    service: 'MiniService',
    handlers,
    interceptors: [tracing('A'), tracing('B')],
    limits: { maxBodyBytes: LIMIT, maxDepth: 20 },
    trustedProxies,
    logger,
    documentRoot: MINI_DOCUMENT_ROOT,
    requestTimeoutMs: 300,
  });
}

const ping = (inner: string): string => `<m:Ping xmlns:m="${MINI_NS}">${inner}</m:Ping>`;

function faultReason(body: string): string {
  return (
    /<faultstring[^>]*>([^<]*)<\/faultstring>|<soap:Text[^>]*>([^<]*)<\/soap:Text>/
      .exec(body)
      ?.slice(1)
      .find((x) => x !== undefined) ?? ''
  );
}

for (const transport of TRANSPORTS) {
  describe(`runtime endpoint over ${transport}`, () => {
    let server: RunningServer;
    let url: string;
    const logger = new CapturingLogger();

    before(async () => {
      server = await startServer(transport, {
        '/soap/mini': endpoint(logger),
        '/soap/trusted': endpoint(logger, ['127.0.0.1', '::1']),
      });
      url = `${server.base}/soap/mini`;
    });
    after(() => server.close());

    describe('happy paths', () => {
      it('answers SOAP 1.1 with a text/xml SOAP 1.1 envelope and X-Request-Id', async () => {
        const r = await post11(url, soap11(ping('<m:text>hello</m:text><m:count>41</m:count>')), 'urn:mini/Ping');
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], 'text/xml; charset=utf-8');
        assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/);
        assert.match(
          r.body,
          new RegExp(`^<\\?xml[^>]*\\?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">`),
        );
        assert.match(r.body, /PingResponse/);
        assert.match(r.body, />hello</);
        assert.match(r.body, />42</);
      });

      it('answers SOAP 1.2 (action parameter) with an application/soap+xml SOAP 1.2 envelope', async () => {
        const r = await post12(url, soap12(ping('<m:text>twelve</m:text>')), 'urn:mini/Ping');
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], 'application/soap+xml; charset=utf-8');
        assert.match(r.body, /xmlns:soap="http:\/\/www.w3.org\/2003\/05\/soap-envelope"/);
        assert.match(r.body, />twelve</);
      });

      it('resolves arbitrary prefixes and default namespaces; no action is fine', async () => {
        const viaDefault = `<Ping xmlns="${MINI_NS}"><text>dflt</text></Ping>`;
        const viaOdd = `<zz9:Ping xmlns:zz9="${MINI_NS}"><zz9:text>odd</zz9:text></zz9:Ping>`;
        const a = await post11(url, soap11(viaDefault));
        const b = await post12(
          url,
          `<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body>${viaOdd}</S:Body></S:Envelope>`,
        );
        assert.equal(a.status, 200, a.body);
        assert.match(a.body, />dflt</);
        assert.equal(b.status, 200, b.body);
        assert.match(b.body, />odd</);
      });

      it('gives the handler a context (message id, operation, version, principal, headers)', async () => {
        const header = `<h:Auth xmlns:h="urn:h">x</h:Auth>`;
        const r = await post11(url, soap11(ping('<m:text>context</m:text>'), header), undefined, {
          'X-Request-Id': 'req-123',
        });
        assert.equal(r.status, 200, r.body);
        assert.match(r.body, />req-123\|Ping\|1.1\|p-1\|1</);
        assert.equal(r.headers['x-request-id'], 'req-123');
      });

      it('takes the WS-Addressing MessageID as correlation id over X-Request-Id', async () => {
        const header = `<wsa:MessageID xmlns:wsa="${WSA}">urn:uuid:6b7e2d8c-1111-2222-3333-444455556666</wsa:MessageID>`;
        const r = await post12(url, soap12(ping('<m:text>context</m:text>'), header), undefined, {
          'X-Request-Id': 'ignored',
        });
        assert.equal(r.headers['x-request-id'], 'urn:uuid:6b7e2d8c-1111-2222-3333-444455556666');
        assert.match(r.body, />urn:uuid:6b7e2d8c-1111-2222-3333-444455556666\|Ping\|1.2\|-\|1</);
      });

      it('replaces an unsafe X-Request-Id with a generated one', async () => {
        const r = await post11(url, soap11(ping('<m:text>x</m:text>')), undefined, { 'X-Request-Id': 'a b<c>' });
        assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      });

      it('answers a one-way operation with 202 and no body', async () => {
        const r = await post11(url, soap11(`<m:Notify xmlns:m="${MINI_NS}"><m:text>note-1</m:text></m:Notify>`));
        assert.equal(r.status, 202);
        assert.equal(r.body, '');
        assert.ok(notified.includes('note-1'));
      });
    });

    describe('routing', () => {
      it('refuses a SOAPAction naming another operation (SOAP 1.1: Client, 500)', async () => {
        const r = await post11(url, soap11(ping('<m:text>x</m:text>')), 'urn:mini/Other');
        assert.equal(r.status, 500);
        assert.match(r.body, /<faultcode>soap:Client<\/faultcode>/);
        assert.match(faultReason(r.body), /SOAPAction 'urn:mini\/Other' names operation Other.*operation Ping/);
      });

      it('refuses an action parameter naming another operation (SOAP 1.2: Sender, 400)', async () => {
        const r = await post12(url, soap12(ping('<m:text>x</m:text>')), 'urn:mini/Other');
        assert.equal(r.status, 400);
        assert.match(r.body, /<soap:Value>soap:Sender<\/soap:Value>/);
      });

      it('refuses an unknown SOAPAction when the operation declares one', async () => {
        const r = await post11(url, soap11(ping('<m:text>x</m:text>')), 'urn:nonsense');
        assert.equal(r.status, 500);
        assert.match(faultReason(r.body), /names no operation/);
      });

      it('names the element of an unknown operation', async () => {
        const r = await post11(url, soap11(`<x:Nope xmlns:x="urn:mini"/>`));
        assert.equal(r.status, 500);
        assert.match(r.body, /soap:Client/);
        assert.match(faultReason(r.body), /\{urn:mini\}Nope/);
      });

      it('refuses an empty Body', async () => {
        const r = await post12(url, soap12(''));
        assert.equal(r.status, 400);
        assert.match(faultReason(r.body), /[Bb]ody/);
      });
    });

    describe('transport', () => {
      it('refuses a non-SOAP content type with 415 and a fault', async () => {
        const r = await httpRequest(url, { headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
        assert.equal(r.status, 415);
        assert.match(r.body, /soap:Fault/);
        assert.match(faultReason(r.body), /Content-Type/);
      });

      it('refuses a charset it cannot decode', async () => {
        const r = await httpRequest(url, {
          headers: { 'Content-Type': 'text/xml; charset=Shift_JIS' },
          body: soap11(ping('<m:text>x</m:text>')),
        });
        assert.equal(r.status, 415);
        assert.match(faultReason(r.body), /charset/);
      });

      it('refuses a SOAP 1.2 envelope sent as text/xml (VersionMismatch)', async () => {
        const r = await post11(url, soap12(ping('<m:text>x</m:text>')));
        assert.equal(r.status, 500);
        assert.match(r.body, /<faultcode>soap:VersionMismatch<\/faultcode>/);
        assert.match(
          r.body,
          /<soap:Header><u:Upgrade xmlns:u="http:\/\/www.w3.org\/2003\/05\/soap-envelope"><u:SupportedEnvelope qname="e:Envelope" xmlns:e="http:\/\/www.w3.org\/2003\/05\/soap-envelope"\/><u:SupportedEnvelope qname="e:Envelope" xmlns:e="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"\/><\/u:Upgrade><\/soap:Header>/,
        );
      });

      it('answers an unknown envelope namespace with VersionMismatch', async () => {
        const r = await post12(
          url,
          `<x:Envelope xmlns:x="urn:not-soap"><x:Body>${ping('<m:text>x</m:text>')}</x:Body></x:Envelope>`,
        );
        assert.equal(r.status, 500);
        assert.match(r.body, /<soap:Value>soap:VersionMismatch<\/soap:Value>/);
        assert.match(r.body, /<u:Upgrade /);
      });

      it('serves HEAD ?wsdl like GET without a body', async () => {
        const r = await httpRequest(`${url}?wsdl`, { method: 'HEAD' });
        assert.equal(r.status, 200);
        assert.equal(r.body, '');
        assert.ok(Number(r.headers['content-length']) > 1000);
      });

      it('answers GET without ?wsdl with 405 and other methods with 405 + Allow', async () => {
        const get = await httpRequest(url, { method: 'GET' });
        assert.equal(get.status, 405);
        assert.match(String(get.headers['content-type']), /text\/plain/);
        const put = await httpRequest(url, { method: 'PUT', body: 'x' });
        assert.equal(put.status, 405);
        assert.equal(put.headers.allow, 'GET, HEAD, POST');
      });

      it('refuses an empty body', async () => {
        const r = await post11(url, '');
        assert.equal(r.status, 500);
        assert.match(faultReason(r.body), /Empty request body/);
      });

      it('refuses text that is not XML', async () => {
        const r = await post12(url, 'this is not xml');
        assert.equal(r.status, 400);
        assert.match(r.body, /soap:Sender/);
      });

      it('refuses DOCTYPE (entity tricks) and processing instructions', async () => {
        const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${soap11(ping('<m:text>&e;</m:text>')).replace(/^<\?xml[^>]*\?>/, '')}`;
        const a = await post11(url, doctype);
        assert.equal(a.status, 500);
        assert.match(a.body, /soap:Client/);
        assert.doesNotMatch(a.body, /root:/);
        const pi = soap11(`<?evil stuff?>${ping('<m:text>x</m:text>')}`);
        const b = await post11(url, pi);
        assert.equal(b.status, 500);
        assert.match(b.body, /soap:Client/);
      });

      it('refuses over-deep nesting', async () => {
        const deep = '<m:x>'.repeat(40) + '</m:x>'.repeat(40);
        const r = await post12(url, soap12(ping(`<m:text>a</m:text>${deep}`)));
        assert.equal(r.status, 400);
        assert.match(faultReason(r.body), /deep|depth|nest/i);
      });

      it('refuses invalid UTF-8', async () => {
        const bytes = Buffer.concat([
          Buffer.from(soap11(ping('<m:text>')).replace(/<\/soapenv:Body>.*$/, '')),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('</m:text></m:Ping></soapenv:Body></soapenv:Envelope>'),
        ]);
        const r = await post11(url, bytes);
        assert.equal(r.status, 500);
        assert.match(faultReason(r.body), /UTF-8/);
      });

      it('answers 413 from Content-Length alone, before the body is sent', async () => {
        const head = `POST /soap/mini HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n<soapenv:Envelope`;
        const r = await rawExchange(server.port, [head], 3000);
        assert.match(r.text, /^HTTP\/1.1 413 /);
        assert.match(r.text, /exceeds the limit of 65536 bytes/);
        assert.ok(r.elapsedMs < 1500, `answered after ${r.elapsedMs} ms`);
      });

      it('answers 413 when a chunked body grows over the limit and stops reading', async () => {
        const chunk = 'x'.repeat(16 * 1024);
        const parts = [
          `POST /soap/mini HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n`,
        ];
        for (let i = 0; i < 6; i++) parts.push(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
        const r = await rawExchange(server.port, parts, 3000);
        assert.match(r.text, /^HTTP\/1.1 413 /);
        assert.match(r.text, /<faultcode>soap:Client<\/faultcode>/);
        // The rest of the body is drained, not refused with a reset that could overtake the answer.
        assert.doesNotMatch(r.text, /connection: close/i);
      });

      it('answers 408 when the body does not arrive in time', async () => {
        const head = `POST /soap/mini HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nContent-Length: 500\r\n\r\n<env:Envelope`;
        const r = await rawExchange(server.port, [head], 3000);
        assert.match(r.text, /^HTTP\/1.1 408 /);
        assert.match(r.text, /soap:Sender/);
      });
    });

    describe('contract serving', () => {
      it('serves ?wsdl with soap:address and soap12:address rewritten and schema locations pointing at ?xsd=', async () => {
        const r = await httpRequest(`${url}?wsdl`, { method: 'GET' });
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-type'], 'text/xml; charset=utf-8');
        assert.match(r.body, new RegExp(`<soap:address location="${url}"/>`));
        assert.match(r.body, new RegExp(`<soap12:address location="${url}"/>`));
        assert.match(r.body, new RegExp(`schemaLocation="${url.replace(/[?]/g, '\\?')}\\?xsd=mini"`));
        const upper = await httpRequest(`${url}?WSDL`, { method: 'GET' });
        assert.equal(upper.status, 200);
      });

      it('serves ?xsd=name and 404s unknown names', async () => {
        const ok = await httpRequest(`${url}?xsd=mini`, { method: 'GET' });
        assert.equal(ok.status, 200);
        assert.match(ok.body, /<xs:element name="Ping">/);
        const missing = await httpRequest(`${url}?xsd=etc-passwd`, { method: 'GET' });
        assert.equal(missing.status, 404);
      });

      it('honours X-Forwarded-Proto/Host only from trusted proxies', async () => {
        const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'partners.example.com' };
        const trusted = await httpRequest(`${server.base}/soap/trusted?wsdl`, { method: 'GET', headers: forwarded });
        assert.match(trusted.body, /<soap:address location="https:\/\/partners.example.com\/soap\/trusted"\/>/);
        const untrusted = await httpRequest(`${url}?wsdl`, { method: 'GET', headers: forwarded });
        assert.match(untrusted.body, new RegExp(`<soap:address location="${url}"/>`));
        assert.doesNotMatch(untrusted.body, /partners.example.com/);
      });
    });

    describe('pipeline', () => {
      it('faults on a mustUnderstand header nobody understands (SOAP 1.1)', async () => {
        const header = `<h:Secret xmlns:h="urn:h" soapenv:mustUnderstand="1">x</h:Secret>`;
        const r = await post11(url, soap11(ping('<m:text>x</m:text>'), header));
        assert.equal(r.status, 500);
        assert.match(r.body, /<faultcode>soap:MustUnderstand<\/faultcode>/);
        assert.match(faultReason(r.body), /\{urn:h\}Secret/);
      });

      it('faults with a NotUnderstood header block in SOAP 1.2', async () => {
        const header = `<h:Secret xmlns:h="urn:h" env:mustUnderstand="true">x</h:Secret>`;
        const r = await post12(url, soap12(ping('<m:text>x</m:text>'), header));
        assert.equal(r.status, 500);
        assert.match(r.body, /<soap:Value>soap:MustUnderstand<\/soap:Value>/);
        assert.match(r.body, /<soap:Header><soap:NotUnderstood qname="c:Secret" xmlns:c="urn:h"\/><\/soap:Header>/);
      });

      it('accepts mustUnderstand headers claimed by an interceptor, marked understood, optional, or for another actor', async () => {
        const headers = [
          `<h:Known xmlns:h="urn:h" soapenv:mustUnderstand="1"/>`,
          `<h:Marked xmlns:h="urn:h" soapenv:mustUnderstand="1"/>`,
          `<h:Optional xmlns:h="urn:h" soapenv:mustUnderstand="0"/>`,
          `<h:ForOthers xmlns:h="urn:h" soapenv:mustUnderstand="1" soapenv:actor="urn:someone-else"/>`,
        ].join('');
        const r = await post11(url, soap11(ping('<m:text>ok</m:text>'), headers));
        assert.equal(r.status, 200, r.body);
        const next = `<h:Next xmlns:h="urn:h" soapenv:mustUnderstand="1" soapenv:actor="http://schemas.xmlsoap.org/soap/actor/next"/>`;
        const refused = await post11(url, soap11(ping('<m:text>ok</m:text>'), next));
        assert.match(refused.body, /soap:MustUnderstand/);
      });

      it('lists every schema violation with its path', async () => {
        const r = await post11(url, soap11(ping('<m:count>abc</m:count><m:extra/>')));
        assert.equal(r.status, 500);
        assert.match(r.body, /soap:Client/);
        const reason = faultReason(r.body);
        assert.match(reason, /Ping/);
        assert.match(reason, /text/);
        assert.match(reason, /count/);
      });

      it('encodes a declared fault with its detail (SOAP 1.1)', async () => {
        const r = await post11(url, soap11(ping('<m:text>fault</m:text>')));
        assert.equal(r.status, 500);
        assert.match(r.body, /<faultcode>soap:Client<\/faultcode>/);
        assert.match(r.body, /<faultstring xml:lang="en">Ping refused<\/faultstring>/);
        assert.match(
          r.body,
          /<detail><(\w+:)?PingFault[^>]*xmlns(:\w+)?="urn:mini"[^>]*>.*P-1.*<\/(\w+:)?PingFault><\/detail>/,
        );
      });

      it('encodes a declared fault with its detail (SOAP 1.2, HTTP 400)', async () => {
        const r = await post12(url, soap12(ping('<m:text>fault</m:text>')));
        assert.equal(r.status, 400);
        assert.match(r.body, /<soap:Detail><(\w+:)?PingFault[^>]*>.*P-1.*<\/soap:Detail>/);
      });

      it('turns a plain Error into a generic Receiver fault with the correlation id, and logs the stack', async () => {
        const r = await post12(url, soap12(ping('<m:text>boom</m:text>')), undefined, {
          'X-Request-Id': `boom-${transport.replace(':', '')}`,
        });
        assert.equal(r.status, 500);
        assert.match(r.body, /<soap:Value>soap:Receiver<\/soap:Value>/);
        assert.match(faultReason(r.body), new RegExp(`boom-${transport.replace(':', '')}`));
        assert.doesNotMatch(r.body, /exploded|secret|\.ts:\d+|at /);
        const logged = logger.lines.find(
          (l) => l.level === 'error' && l.meta?.messageId === `boom-${transport.replace(':', '')}`,
        );
        assert.ok(logged, 'error logged with the correlation id');
        assert.match(JSON.stringify(logged.meta), /database exploded.*endpoint\.test\.ts/);
      });

      it('turns an unencodable handler result into a Receiver fault', async () => {
        const r = await post11(url, soap11(ping('<m:text>bad-output</m:text>')));
        assert.equal(r.status, 500);
        assert.match(r.body, /<faultcode>soap:Server<\/faultcode>/);
      });

      it('runs handleRequest in order, handleResponse in reverse, afterCompletion always', async () => {
        const id = `order-${transport}`;
        traces.set(id, []);
        const r = await post11(url, soap11(ping('<m:text>x</m:text>')), undefined, { 'X-Trace': id });
        assert.equal(r.status, 200);
        assert.equal(r.headers['x-seen-by-a'], 'yes');
        assert.deepEqual(traces.get(id), [
          'A.request:Ping',
          'B.request:Ping',
          'B.response',
          'A.response',
          'B.after:200:bytes',
          'A.after:200:bytes',
        ]);
      });

      it('runs handleFault in reverse on a fault', async () => {
        const id = `fault-${transport}`;
        traces.set(id, []);
        await post11(url, soap11(ping('<m:text>fault</m:text>')), undefined, { 'X-Trace': id });
        assert.deepEqual(traces.get(id), [
          'A.request:Ping',
          'B.request:Ping',
          'B.fault:Sender',
          'A.fault:Sender',
          'B.after:500:bytes',
          'A.after:500:bytes',
        ]);
      });

      it('turns an interceptor error into a fault and still completes', async () => {
        traces.set('explode-request', []);
        const r = await post11(url, soap11(ping('<m:text>x</m:text>')), undefined, { 'X-Trace': 'explode-request' });
        assert.equal(r.status, 500);
        assert.match(r.body, /soap:Server/);
        assert.deepEqual(traces.get('explode-request'), [
          'A.request:Ping',
          'B.request:Ping',
          'B.fault:Receiver',
          'A.fault:Receiver',
          'B.after:500:bytes',
          'A.after:500:bytes',
        ]);
      });

      it('calls afterCompletion for faults raised before routing', async () => {
        const id = `early-${transport}`;
        traces.set(id, []);
        await httpRequest(url, { headers: { 'Content-Type': 'application/json', 'X-Trace': id }, body: '{}' });
        assert.deepEqual(traces.get(id), ['B.after:415:bytes', 'A.after:415:bytes']);
      });

      it('logs and swallows errors thrown in afterCompletion', async () => {
        traces.set('explode-after', []);
        const r = await post11(url, soap11(ping('<m:text>x</m:text>')), undefined, { 'X-Trace': 'explode-after' });
        assert.equal(r.status, 200);
        assert.ok(logger.lines.some((l) => l.level === 'error' && /afterCompletion/.test(l.message)));
      });
    });
  });
}

describe('runtime endpoint behind Express body parsers', () => {
  it('uses the body of a raw or text body parser that already ran, and is not disturbed by json/urlencoded', async () => {
    const app = express();
    app.use(express.json());
    app.use(express.urlencoded({ extended: false }));
    app.use('/raw', express.raw({ type: () => true }));
    app.use('/text', express.text({ type: 'text/xml' }));
    const ep = endpoint(new CapturingLogger());
    app.use('/raw/soap', soapRouterFor(ep));
    app.use('/plain/soap', soapRouterFor(ep));
    app.use('/text/soap', soapRouterFor(ep));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const path of ['/raw/soap', '/plain/soap', '/text/soap']) {
        const r = await post11(`${base}${path}`, soap11(ping('<m:text>parsed</m:text>')));
        assert.equal(r.status, 200, `${path}: ${r.body}`);
        assert.match(r.body, />parsed</);
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('fails at creation when a handler method is missing or the service is unknown', () => {
    const base = { contract: miniContract, documentRoot: MINI_DOCUMENT_ROOT };
    assert.throws(
      () =>
        createSoapEndpoint({
          ...base,
          service: 'MiniService',
          handlers: { ping: handlers.ping, other: handlers.other } as unknown as MiniHandlers,
        }),
      /lack method 'notify'/,
    );
    assert.throws(() => createSoapEndpoint({ ...base, service: 'Nope', handlers }), /no service 'Nope'/);
  });
});
