/**
 * The MessageDispatcher without any transport: plain SoapMessage objects in, replies captured by a
 * ReplyChannel, no sockets. Covers the path's order, the exception resolver, refusals and completion.
 */
import assert from 'node:assert/strict';
import { MessageDispatcher, type ReplyChannel, type SoapMessage } from '../../../src/soap/message-dispatcher';
import { SoapFault } from '../../../src/soap/fault';
import type { ExceptionResolver, SoapExchange, SoapInterceptor, SoapRequestInfo } from '../../../src/soap/pipeline';
import type { SoapVersion } from '../../../src/soap/schema/model';
import { CapturingLogger, soap11, soap12 } from './http-helpers';
import { MINI_NS, PingFault, miniContract, type MiniHandlers } from './mini-contract';

class OutOfPings extends Error {
  constructor(readonly left: number) {
    super(`only ${left} pings left`);
  }
}

interface Reply {
  status: number;
  contentType: string | undefined;
  body: string;
  headers: Record<string, string>;
  messageId: string;
}

/** Collects replies in the target array, as a binding would write them to its wire. */
const CAPTURE: ReplyChannel<Reply[]> = {
  send(target, exchange, status, contentType, body) {
    target.push({ status, contentType, body, headers: { ...exchange.httpHeaders }, messageId: exchange.messageId });
    exchange.status = status;
    exchange.bytesOut = Buffer.byteLength(body);
  },
};

const handlers: MiniHandlers = {
  async ping(request) {
    if (request.text === 'declared') throw new PingFault('Ping refused', { code: 'P-1' });
    if (request.text === 'domain') throw new OutOfPings(0);
    if (request.text === 'plain') throw new Error('disk on fire at /srv/secret');
    return { text: request.text.toUpperCase() };
  },
  async other() {
    return {};
  },
  async notify() {},
};

/** The domain error -> declared fault mapping a real application writes once per contract. */
const resolver: ExceptionResolver = (error, exchange) =>
  error instanceof OutOfPings
    ? new PingFault(`No pings left for ${exchange.operation?.name ?? '?'}`, { code: `LEFT-${error.left}` })
    : undefined;

function recorder(trace: string[]): SoapInterceptor {
  return {
    name: 'recorder',
    handleRequest(exchange) {
      trace.push(`request:${exchange.operation?.name ?? '?'}`);
    },
    handleResponse() {
      trace.push('response');
    },
    handleFault(_exchange, fault) {
      trace.push(`fault:${fault.code}`);
    },
    afterCompletion(exchange) {
      trace.push(`after:${exchange.status ?? '?'}`);
    },
  };
}

function requestInfo(raw: string, soapAction?: string): SoapRequestInfo {
  return {
    raw: Buffer.from(raw, 'utf8'),
    httpHeaders: {},
    method: 'POST',
    endpointUrl: 'urn:test',
    remoteAddress: '',
    soapAction,
  };
}

function message(envelope: string, version: SoapVersion = '1.1', soapAction?: string): SoapMessage {
  return {
    request: requestInfo(envelope, soapAction),
    version,
    correlationId: 'corr-1',
    startedAt: process.hrtime.bigint(),
  };
}

const ping = (text: string): string => `<m:Ping xmlns:m="${MINI_NS}"><m:text>${text}</m:text></m:Ping>`;

describe('MessageDispatcher (no transport)', () => {
  let trace: string[];
  let logger: CapturingLogger;
  let dispatcher: MessageDispatcher;

  beforeEach(() => {
    trace = [];
    logger = new CapturingLogger();
    dispatcher = new MessageDispatcher({
      contract: miniContract,
      service: 'MiniService',
      handlers,
      interceptors: [recorder(trace)],
      exceptionResolver: resolver,
      limits: { maxDepth: 20, maxElements: 1000 },
      logger,
    });
  });

  async function dispatch(m: SoapMessage): Promise<Reply> {
    const replies: Reply[] = [];
    await dispatcher.dispatch(m, replies, CAPTURE);
    assert.equal(replies.length, 1, 'exactly one reply');
    return replies[0] as Reply;
  }

  it('runs parse -> route -> interceptors -> decode -> handler -> encode -> handleResponse, then completion', async () => {
    const reply = await dispatch(message(soap11(ping('hello')), '1.1', 'urn:mini/Ping'));
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, 'text/xml; charset=utf-8');
    assert.match(reply.body, /<m:text>HELLO<\/m:text>|>HELLO</);
    assert.deepEqual(trace, ['request:Ping', 'response', 'after:200']);
  });

  it('answers SOAP 1.2 messages in SOAP 1.2 and a one-way operation with 202 and no body', async () => {
    assert.equal(
      (await dispatch(message(soap12(ping('x')), '1.2'))).contentType,
      'application/soap+xml; charset=utf-8',
    );
    const oneWay = await dispatch(message(soap11(`<m:Notify xmlns:m="${MINI_NS}"><m:text>n</m:text></m:Notify>`)));
    assert.deepEqual([oneWay.status, oneWay.contentType, oneWay.body], [202, undefined, '']);
  });

  it('passes declared faults through and maps a domain error with the exception resolver', async () => {
    const declared = await dispatch(message(soap11(ping('declared'))));
    assert.equal(declared.status, 500);
    assert.match(declared.body, /Ping refused/);
    const mapped = await dispatch(message(soap11(ping('domain'))));
    assert.match(mapped.body, /No pings left for Ping/);
    assert.match(mapped.body, /LEFT-0/);
    assert.deepEqual(
      trace.filter((t) => t.startsWith('fault')),
      ['fault:Sender', 'fault:Sender'],
    );
    assert.equal(
      logger.lines.filter((l) => l.level === 'error').length,
      0,
      'resolved errors are not logged as unhandled',
    );
  });

  it('answers what the resolver leaves alone with a generic Receiver fault naming the correlation id, and logs it', async () => {
    const reply = await dispatch(message(soap11(ping('plain'))));
    assert.equal(reply.status, 500);
    assert.match(reply.body, /Internal error; reference corr-1/);
    assert.doesNotMatch(reply.body, /secret/);
    assert.ok(logger.lines.some((l) => l.level === 'error' && /unhandled error in Ping/.test(l.message)));
  });

  it('survives a resolver that throws: logged, generic fault', async () => {
    const broken = new MessageDispatcher({
      contract: miniContract,
      service: 'MiniService',
      handlers,
      interceptors: [],
      exceptionResolver: () => {
        throw new Error('resolver bug');
      },
      limits: { maxDepth: 20, maxElements: 1000 },
      logger,
    });
    const replies: Reply[] = [];
    await broken.dispatch(message(soap11(ping('domain'))), replies, CAPTURE);
    assert.match(replies[0]?.body ?? '', /Internal error; reference corr-1/);
    assert.ok(logger.lines.some((l) => /exception resolver failed/.test(l.message)));
  });

  it('refuses an empty message, an empty Body and a version the transport did not announce', async () => {
    assert.match((await dispatch(message(''))).body, /Empty request body/);
    assert.match((await dispatch(message(soap11('')))).body, /The SOAP Body is empty/);
    const mismatch = await dispatch(message(soap12(ping('x')), '1.1'));
    assert.match(mismatch.body, /VersionMismatch/);
    assert.match(mismatch.body, /Upgrade/);
    // Failures before routing reach no interceptor's handleFault, but completion always runs.
    assert.deepEqual(trace, ['after:500', 'after:500', 'after:500']);
  });

  it('refuse(status, reason) answers a Sender fault with that HTTP status and completes', async () => {
    const replies: Reply[] = [];
    await dispatcher.refuse(message('', '1.2'), 415, 'Unsupported content type', replies, CAPTURE);
    assert.equal(replies[0]?.status, 415);
    assert.match(replies[0]?.body ?? '', /Sender/);
    assert.match(replies[0]?.body ?? '', /Unsupported content type/);
    assert.deepEqual(trace, ['after:415']);
  });

  it('abandon completes without a reply', () => {
    dispatcher.abandon(message(''), 'client went away');
    assert.deepEqual(trace, ['after:0']);
  });

  it('lets an interceptor reject with a SoapFault before the handler runs', async () => {
    const gate: SoapInterceptor = {
      name: 'gate',
      handleRequest() {
        throw SoapFault.sender('not today');
      },
    };
    const gated = new MessageDispatcher({
      contract: miniContract,
      service: 'MiniService',
      handlers,
      interceptors: [recorder(trace), gate],
      limits: { maxDepth: 20, maxElements: 1000 },
      logger,
    });
    const replies: Reply[] = [];
    await gated.dispatch(message(soap11(ping('hello'))), replies, CAPTURE);
    assert.match(replies[0]?.body ?? '', /not today/);
    assert.deepEqual(trace, ['request:Ping', 'fault:Sender', 'after:500']);
  });

  it('takes the WS-Addressing MessageID as the exchange id', async () => {
    const header = '<wsa:MessageID xmlns:wsa="http://www.w3.org/2005/08/addressing">urn:uuid:abc</wsa:MessageID>';
    const ids: string[] = [];
    const spy: SoapInterceptor = {
      name: 'spy',
      afterCompletion(exchange: SoapExchange) {
        ids.push(exchange.messageId);
      },
    };
    const withSpy = new MessageDispatcher({
      contract: miniContract,
      service: 'MiniService',
      handlers,
      interceptors: [spy],
      limits: { maxDepth: 20, maxElements: 1000 },
      logger,
    });
    const replies: Reply[] = [];
    await withSpy.dispatch(message(soap11(ping('x'), header)), replies, CAPTURE);
    assert.deepEqual(ids, ['urn:uuid:abc']);
    assert.equal(replies[0]?.messageId, 'urn:uuid:abc');
  });
});
