/**
 * The engine's runtime: one endpoint serving every SOAP port of one WSDL service at one URL.
 *
 * transport (method, content type, size/time limits) -> envelope -> correlation id -> route ->
 * interceptors.handleRequest -> mustUnderstand -> decode -> handler -> encode -> handleResponse
 * (reverse) -> write; any failure -> handleFault (reverse) -> fault envelope; afterCompletion always.
 *
 * Everything that can be prepared is prepared in the constructor (compiled schema, routing tables,
 * rewritten contract documents); a request only looks things up.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SchemaViolationError, SoapFault } from './fault';
import type {
  EngineLogger, HandlerSet, ParsedEnvelope, SoapContext, SoapExchange, SoapHeaderBlock, SoapInterceptor, SoapRequestInfo,
} from './pipeline';
import type { ContractModel, SoapVersion } from './schema/model';
import { clark } from './schema/model';
import { Dispatcher, type RoutedOperation } from './dispatch';
import { encodeFault, notUnderstoodBlock, upgradeBlock } from './fault-encode';
import { SOAP11_ACTOR_NEXT, SOAP12_ROLE_NEXT, SOAP12_ROLE_ULTIMATE_RECEIVER } from './constants';
import { soapContentType, wrapEnvelope } from './envelope-write';
import { addressingMessageId, transportCorrelationId } from './correlation';
import { classifySoapContentType } from './transport/content-type';
import { readBody, tooLargeMessage } from './transport/read-body';
import { TrustedProxies, pathOf, queryOf, requestEndpointUrl } from './transport/endpoint-url';
import { ContractDocuments } from './wsdl/serve';
import { operationMethodName } from './codegen/naming';
import { looksSigned, parseEnvelope } from './envelope';
import { XmlRejectedError } from './xml/guard';
import { compileSchema, type CompiledSchema } from './schema/compile';
import { decodeElement } from './schema/decode';
import { encodeElement } from './schema/encode';

export interface SoapLimits {
  /** Largest accepted request body in bytes (default 1 MiB). Checked from Content-Length and while reading. */
  readonly maxBodyBytes: number;
  /** Deepest accepted element nesting (default 64). */
  readonly maxDepth: number;
  /** Most elements accepted in one message (default 200 000). */
  readonly maxElements: number;
}

export const DEFAULT_LIMITS: SoapLimits = Object.freeze({ maxBodyBytes: 1024 * 1024, maxDepth: 64, maxElements: 200_000 });
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface SoapEndpointOptions<H extends HandlerSet<H>> {
  /** The compiled contract (generated `contract` export). */
  readonly contract: ContractModel;
  /** The wsdl:service to serve; all its SOAP ports (typically 1.1 and 1.2) share the URL. */
  readonly service: string;
  /** The generated handler interface's implementation. */
  readonly handlers: H;
  readonly interceptors?: readonly SoapInterceptor[];
  readonly limits?: Partial<SoapLimits>;
  /** IPs or CIDRs of reverse proxies whose X-Forwarded-Proto / X-Forwarded-Host are honoured. */
  readonly trustedProxies?: readonly string[];
  readonly logger?: EngineLogger;
  /** Folder that ContractDocument.path is relative to (usually the project root). */
  readonly documentRoot: string;
  /** Time allowed to receive the whole request body (default 30 s). */
  readonly requestTimeoutMs?: number;
}

export interface SoapEndpoint {
  /** A node:http request listener for the endpoint's URL (POST SOAP, GET ?wsdl / ?xsd=name). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Same, for a request whose body another layer already read (e.g. a raw body parser). */
  handleWithBody(req: IncomingMessage, res: ServerResponse, body: Buffer): void;
  readonly service: string;
  /** SOAP versions this endpoint accepts (one per bound port). */
  readonly soapVersions: ReadonlySet<SoapVersion>;
}

const TEXT_PLAIN = 'text/plain; charset=utf-8';
const XML_DOC = 'text/xml; charset=utf-8';
const ALLOW = 'GET, HEAD, POST';
const EMPTY = Buffer.alloc(0);

/** Quiet by default on success paths; problems go to stderr so they are never lost silently. */
const stderrLogger: EngineLogger = {
  debug() {},
  info() {},
  warn(message, meta) { process.stderr.write(`[soap] warn: ${message} ${meta === undefined ? '' : safeJson(meta)}\n`); },
  error(message, meta) { process.stderr.write(`[soap] error: ${message} ${meta === undefined ? '' : safeJson(meta)}\n`); },
};

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return String(value);
  }
}

/** Adds the exchange's correlation id to every log line. */
class CorrelatedLogger implements EngineLogger {
  constructor(private readonly base: EngineLogger, public messageId: string) {}
  private meta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
    return meta === undefined ? { messageId: this.messageId } : { messageId: this.messageId, ...meta };
  }
  debug(message: string, meta?: Record<string, unknown>): void { this.base.debug(message, this.meta(meta)); }
  info(message: string, meta?: Record<string, unknown>): void { this.base.info(message, this.meta(meta)); }
  warn(message: string, meta?: Record<string, unknown>): void { this.base.warn(message, this.meta(meta)); }
  error(message: string, meta?: Record<string, unknown>): void { this.base.error(message, this.meta(meta)); }
}

/** How long, and how many bytes, an unwanted request body is read and discarded after an early answer. */
const DRAIN_MS = 5_000;
const DRAIN_BYTES = 32 * 1024 * 1024;

/**
 * An answer sent before the body was read (413, 415, 408) must not be followed by closing the socket with
 * unread bytes: the kernel then sends a reset, which can overtake the answer, and load balancers count it
 * as a failed instance. So the rest of the body is read and discarded, within bounds; a client that keeps
 * sending past them is cut off.
 */
function drainUnread(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  let drained = 0;
  const cutOff = (): void => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(cutOff, DRAIN_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) cutOff();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/** SoapRequestInfo whose endpoint URL is only computed when someone asks for it. */
class HttpRequestInfo implements SoapRequestInfo {
  private url: string | undefined;
  constructor(
    private readonly req: IncomingMessage,
    readonly raw: Buffer,
    readonly soapAction: string | undefined,
    private readonly proxies: TrustedProxies,
  ) {}
  get httpHeaders(): IncomingMessage['headers'] { return this.req.headers; }
  get method(): string { return this.req.method ?? 'POST'; }
  get remoteAddress(): string { return this.req.socket.remoteAddress ?? ''; }
  get endpointUrl(): string {
    if (this.url === undefined) this.url = requestEndpointUrl(this.req, pathOf(requestTarget(this.req)), this.proxies);
    return this.url;
  }
}

/** Express keeps the full path in originalUrl and rewrites url relative to the mount point. */
function requestTarget(req: IncomingMessage): string {
  const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
  return typeof original === 'string' ? original : req.url ?? '/';
}

class Exchange implements SoapExchange {
  envelope?: ParsedEnvelope;
  operation?: RoutedOperation;
  principal?: SoapExchange['principal'];
  readonly understood = new Set<SoapHeaderBlock['element']>();
  readonly responseHeaders: string[] = [];
  readonly httpHeaders: Record<string, string> = {};
  readonly attributes = new Map<string, unknown>();
  response?: SoapExchange['response'];
  fault?: SoapFault;
  status?: number;
  bytesOut?: number;
  readonly log: CorrelatedLogger;
  /** Interceptors whose handleRequest was entered; they get handleResponse / handleFault. */
  reached = 0;

  constructor(readonly request: SoapRequestInfo, messageId: string, logger: EngineLogger, readonly startedAt: bigint) {
    this.log = new CorrelatedLogger(logger, messageId);
  }

  get messageId(): string { return this.log.messageId; }
  set messageId(id: string) { this.log.messageId = id; }
}

function targetsUltimateReceiver(block: SoapHeaderBlock, version: SoapVersion): boolean {
  const role = block.role;
  if (role === undefined || role === '') return true;
  return version === '1.1' ? role === SOAP11_ACTOR_NEXT : role === SOAP12_ROLE_NEXT || role === SOAP12_ROLE_ULTIMATE_RECEIVER;
}

export class SoapEndpointCore<H extends HandlerSet<H>> implements SoapEndpoint {
  readonly service: string;
  readonly soapVersions: ReadonlySet<SoapVersion>;
  private readonly schema: CompiledSchema;
  private readonly dispatcher: Dispatcher;
  private readonly interceptors: readonly SoapInterceptor[];
  private readonly understoodByInterceptors: ReadonlySet<string>;
  private readonly limits: SoapLimits;
  private readonly xmlLimits: { readonly maxDepth: number; readonly maxElements: number };
  private readonly proxies: TrustedProxies;
  private readonly logger: EngineLogger;
  private readonly documents: ContractDocuments;
  private readonly timeoutMs: number;
  /** Version used for faults before the request's own version is known, or when it is not served. */
  private readonly fallbackVersion: SoapVersion;
  /** SOAP 1.2 Upgrade header block sent with VersionMismatch faults. */
  private readonly upgradeHeader: string;

  constructor(options: SoapEndpointOptions<H>) {
    this.service = options.service;
    this.logger = options.logger ?? stderrLogger;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.xmlLimits = { maxDepth: this.limits.maxDepth, maxElements: this.limits.maxElements };
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.proxies = new TrustedProxies(options.trustedProxies ?? []);
    this.interceptors = [...(options.interceptors ?? [])];
    this.understoodByInterceptors = new Set(this.interceptors.flatMap((i) => (i.understands ?? []).map((q) => clark(q.ns, q.local))));
    this.schema = compileSchema(options.contract.schema);
    this.dispatcher = new Dispatcher({
      contract: options.contract,
      service: options.service,
      handlers: options.handlers,
      methodName: operationMethodName,
    });
    this.soapVersions = this.dispatcher.versions;
    this.fallbackVersion = this.dispatcher.supports('1.1') ? '1.1' : '1.2';
    this.upgradeHeader = upgradeBlock((['1.2', '1.1'] as const).filter((v) => this.dispatcher.supports(v)));
    this.documents = new ContractDocuments(options.contract, options.documentRoot, options.service);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res, undefined);
  }

  handleWithBody(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    this.route(req, res, body);
  }

  private route(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): void {
    const method = req.method;
    if (method === 'POST') {
      this.post(req, res, body).catch((err: unknown) => this.lastResort(res, err));
    } else if (method === 'GET' || method === 'HEAD') {
      try {
        this.get(req, res);
      } catch (err) {
        this.lastResort(res, err);
      }
    } else {
      res.writeHead(405, { 'Content-Type': TEXT_PLAIN, Allow: ALLOW });
      res.end(`Method ${method ?? ''} not allowed: POST SOAP messages, GET ?wsdl for the contract\n`);
    }
  }

  /** Never lets an engine bug crash the process or leave a request hanging. */
  private lastResort(res: ServerResponse, err: unknown): void {
    this.logger.error('SOAP endpoint failed unexpectedly', { error: describeError(err) });
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': TEXT_PLAIN });
      res.end('Internal error\n');
    } else {
      res.destroy();
    }
  }

  // ------------------------------------------------------------------------------------------ GET

  private get(req: IncomingMessage, res: ServerResponse): void {
    const target = requestTarget(req);
    const query = queryOf(target);
    if (query !== '') {
      const params = new URLSearchParams(query);
      const endpointUrl = (): string => requestEndpointUrl(req, pathOf(target), this.proxies);
      const xsd = params.get('xsd');
      if (xsd !== null) {
        const text = this.documents.document(xsd, endpointUrl());
        if (text === undefined) return this.plain(res, 404, 'No contract document by that name\n');
        return this.xmlDocument(res, text);
      }
      for (const key of params.keys()) {
        if (key.toLowerCase() === 'wsdl') {
          const text = this.documents.wsdl(endpointUrl());
          if (text === undefined) return this.plain(res, 404, 'This contract has no WSDL document\n');
          return this.xmlDocument(res, text);
        }
      }
    }
    res.writeHead(405, { 'Content-Type': TEXT_PLAIN, Allow: ALLOW });
    res.end('SOAP endpoint: POST SOAP messages here; GET ?wsdl returns the contract\n');
  }

  private plain(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': TEXT_PLAIN });
    res.end(text);
  }

  private xmlDocument(res: ServerResponse, text: string): void {
    const body = Buffer.from(text, 'utf8');
    res.writeHead(200, { 'Content-Type': XML_DOC, 'Content-Length': body.length });
    res.end(body);
  }

  // ------------------------------------------------------------------------------------------ POST

  private async post(req: IncomingMessage, res: ServerResponse, preRead: Buffer | undefined): Promise<void> {
    const soapActionHeader = req.headers.soapaction;
    const contentType = classifySoapContentType(req.headers['content-type'], Array.isArray(soapActionHeader) ? soapActionHeader[0] : soapActionHeader);
    const startedAt = process.hrtime.bigint();
    const messageId = transportCorrelationId(req.headers);

    if (!contentType.ok) {
      const exchange = new Exchange(new HttpRequestInfo(req, EMPTY, undefined, this.proxies), messageId, this.logger, startedAt);
      this.closeIfUnread(req, exchange, preRead);
      const version = this.dispatcher.supports(contentType.guessedVersion) ? contentType.guessedVersion : this.fallbackVersion;
      return this.fail(res, exchange, version, new SoapFault({ code: 'Sender', reason: contentType.message, httpStatus: 415 }));
    }
    const version = contentType.version;
    if (!this.dispatcher.supports(version)) {
      const exchange = new Exchange(new HttpRequestInfo(req, EMPTY, contentType.action, this.proxies), messageId, this.logger, startedAt);
      this.closeIfUnread(req, exchange, preRead);
      const reason = `This endpoint does not accept SOAP ${version} (${version === '1.1' ? 'text/xml' : 'application/soap+xml'})`;
      return this.fail(res, exchange, this.fallbackVersion, new SoapFault({ code: 'Sender', reason, httpStatus: 415 }));
    }

    let raw: Buffer;
    if (preRead !== undefined) {
      if (preRead.length > this.limits.maxBodyBytes) {
        const exchange = new Exchange(new HttpRequestInfo(req, EMPTY, contentType.action, this.proxies), messageId, this.logger, startedAt);
        return this.fail(res, exchange, version, new SoapFault({ code: 'Sender', reason: tooLargeMessage(this.limits.maxBodyBytes), httpStatus: 413 }));
      }
      raw = preRead;
    } else if (req.readableEnded) {
      const exchange = new Exchange(new HttpRequestInfo(req, EMPTY, contentType.action, this.proxies), messageId, this.logger, startedAt);
      exchange.log.error('request body was consumed before the SOAP endpoint saw it (is a body parser mounted in front of it?)');
      return this.fail(res, exchange, version, this.internalFault(exchange));
    } else {
      const read = await readBody(req, this.limits.maxBodyBytes, this.timeoutMs);
      if (!read.ok) {
        const exchange = new Exchange(new HttpRequestInfo(req, EMPTY, contentType.action, this.proxies), messageId, this.logger, startedAt);
        if (read.problem === 'aborted') {
          exchange.log.debug(read.message);
          exchange.status = 0;
          exchange.bytesOut = 0;
          res.destroy();
          return this.complete(exchange);
        }
        const status = read.problem === 'too-large' ? 413 : read.problem === 'timeout' ? 408 : 400;
        drainUnread(req);
        return this.fail(res, exchange, version, new SoapFault({ code: 'Sender', reason: read.message, httpStatus: status }));
      }
      raw = read.body;
    }

    const exchange = new Exchange(new HttpRequestInfo(req, raw, contentType.action, this.proxies), messageId, this.logger, startedAt);
    try {
      await this.process(exchange, version, contentType.action, raw);
    } catch (err) {
      return this.fail(res, exchange, version, this.toFault(exchange, err));
    }
    const response = exchange.response;
    if (response === undefined || response.xml === '') {
      // One-way operation: accepted, nothing to return.
      return this.send(res, exchange, 202, undefined, '');
    }
    return this.send(res, exchange, 200, soapContentType(version), response.xml);
  }

  /**
   * A request refused before its body was read: close the connection after the answer rather than let
   * Node drain a body of any size to keep the connection alive.
   */
  private closeIfUnread(req: IncomingMessage, _exchange: Exchange, preRead: Buffer | undefined): void {
    if (preRead === undefined) drainUnread(req);
  }

  /** From the raw body to exchange.response; throws on any failure. */
  private async process(exchange: Exchange, version: SoapVersion, action: string | undefined, raw: Buffer): Promise<void> {
    if (raw.length === 0) throw SoapFault.sender('Empty request body: expected a SOAP envelope');

    const envelope = this.parse(raw);
    exchange.envelope = envelope;
    if (envelope.version !== version) {
      throw new SoapFault({
        code: 'VersionMismatch',
        reason: `The Content-Type announces SOAP ${version} but the envelope is SOAP ${envelope.version}`,
      });
    }
    const addressingId = addressingMessageId(envelope.headers);
    if (addressingId !== undefined) exchange.messageId = addressingId;

    const operation = this.dispatcher.route(version, envelope.payload, action);
    exchange.operation = operation;

    for (const interceptor of this.interceptors) {
      exchange.reached++;
      if (interceptor.handleRequest !== undefined) {
        const pending = interceptor.handleRequest(exchange);
        if (pending !== undefined) await pending;
      }
    }
    this.checkMustUnderstand(exchange, envelope);

    const payload = envelope.payload;
    if (payload === undefined) throw SoapFault.sender('The SOAP Body is empty');
    let request: unknown;
    try {
      request = decodeElement(this.schema, operation.input, payload);
    } catch (err) {
      if (err instanceof SchemaViolationError) {
        throw new SoapFault({
          code: 'Sender',
          reason: `The ${operation.name} request does not match the schema: ${err.violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`,
          cause: err,
        });
      }
      throw err;
    }

    const context: SoapContext = {
      messageId: exchange.messageId,
      operation: operation.name,
      soapVersion: version,
      headers: envelope.headers,
      principal: exchange.principal,
      log: exchange.log,
    };
    const value = await operation.invoke(request, context);

    if (operation.output === undefined) {
      exchange.response = { value, xml: '' };
    } else {
      const payloadXml = encodeElement(this.schema, operation.output, value);
      exchange.response = { value, xml: wrapEnvelope(version, exchange.responseHeaders, payloadXml) };
    }
    for (let i = exchange.reached - 1; i >= 0; i--) {
      const interceptor = this.interceptors[i];
      if (interceptor?.handleResponse !== undefined) {
        const pending = interceptor.handleResponse(exchange);
        if (pending !== undefined) await pending;
      }
    }
  }

  private parse(raw: Buffer): ParsedEnvelope {
    try {
      return parseEnvelope(raw, { limits: this.xmlLimits, dom: looksSigned(raw) });
    } catch (err) {
      if (err instanceof SoapFault) throw err;
      if (err instanceof XmlRejectedError) throw new SoapFault({ code: 'Sender', reason: `Rejected XML: ${err.message}`, cause: err });
      throw new SoapFault({ code: 'Sender', reason: `The request is not a well-formed SOAP envelope: ${err instanceof Error ? err.message : String(err)}`, cause: err });
    }
  }

  private checkMustUnderstand(exchange: Exchange, envelope: ParsedEnvelope): void {
    const missed: SoapHeaderBlock[] = [];
    for (const block of envelope.headers) {
      if (!block.mustUnderstand || !targetsUltimateReceiver(block, envelope.version)) continue;
      if (exchange.understood.has(block.element)) continue;
      if (this.understoodByInterceptors.has(clark(block.element.ns, block.element.local))) continue;
      missed.push(block);
    }
    if (missed.length === 0) return;
    if (envelope.version === '1.2') {
      for (const block of missed) exchange.responseHeaders.push(notUnderstoodBlock({ ns: block.element.ns, local: block.element.local }));
    }
    const names = missed.map((b) => `{${b.element.ns}}${b.element.local}`).join(', ');
    throw new SoapFault({ code: 'MustUnderstand', reason: `Header block${missed.length > 1 ? 's' : ''} not understood: ${names}` });
  }

  // --------------------------------------------------------------------------------------- faults

  private internalFault(exchange: Exchange): SoapFault {
    return SoapFault.receiver(`Internal error; reference ${exchange.messageId}`);
  }

  /** SoapFaults pass through; anything else is logged in full and becomes a generic Receiver fault. */
  private toFault(exchange: Exchange, err: unknown): SoapFault {
    if (err instanceof SoapFault) return err;
    exchange.log.error(`unhandled error in ${exchange.operation?.name ?? 'the SOAP pipeline'}`, { error: describeError(err) });
    return this.internalFault(exchange);
  }

  /** handleFault (reverse), then the fault envelope; a detail that cannot be encoded degrades to a generic fault. */
  private async fail(res: ServerResponse, exchange: Exchange, version: SoapVersion, fault: SoapFault): Promise<void> {
    exchange.fault = fault;
    for (let i = exchange.reached - 1; i >= 0; i--) {
      const interceptor = this.interceptors[i];
      if (interceptor?.handleFault === undefined) continue;
      try {
        const pending = interceptor.handleFault(exchange, fault);
        if (pending !== undefined) await pending;
      } catch (err) {
        exchange.log.error(`interceptor ${interceptor.name} failed in handleFault`, { error: describeError(err) });
      }
    }
    let final = exchange.fault ?? fault;
    let detailXml: string | undefined;
    if (final.detail !== undefined) {
      try {
        detailXml = encodeElement(this.schema, final.detail.element, final.detail.value);
      } catch (err) {
        exchange.log.error(`cannot encode the detail ${final.detail.element} of a fault`, { error: describeError(err), reason: final.reason });
        final = this.internalFault(exchange);
        exchange.fault = final;
      }
    }
    if (final.code === 'VersionMismatch') exchange.responseHeaders.push(this.upgradeHeader);
    const encoded = encodeFault(final, version, { detailXml, headerBlocks: exchange.responseHeaders });
    for (const [name, value] of Object.entries(encoded.headers)) exchange.httpHeaders[name] = value;
    this.send(res, exchange, encoded.status, encoded.contentType, encoded.body);
  }

  // -------------------------------------------------------------------------------------- writing

  /**
   * The body is passed to Node as a string on purpose: Node then writes status line, headers and body in
   * one chunk (a Buffer body costs a separate writev entry).
   */
  private send(res: ServerResponse, exchange: Exchange, status: number, contentType: string | undefined, body: string): void {
    const length = Buffer.byteLength(body, 'utf8');
    const headers: Record<string, string | number> = { ...exchange.httpHeaders, 'X-Request-Id': exchange.messageId, 'Content-Length': length };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    try {
      res.writeHead(status, headers);
      res.end(body, 'utf8');
      exchange.status = status;
      exchange.bytesOut = length;
    } catch (err) {
      // e.g. an interceptor set an HTTP header value Node refuses
      exchange.log.error('cannot write the SOAP response', { error: describeError(err) });
      exchange.status = 500;
      exchange.bytesOut = 0;
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': TEXT_PLAIN, 'X-Request-Id': exchange.messageId });
        res.end('Internal error\n');
      } else {
        res.destroy();
      }
    }
    this.complete(exchange);
  }

  private complete(exchange: Exchange): void {
    for (let i = this.interceptors.length - 1; i >= 0; i--) {
      const interceptor = this.interceptors[i];
      if (interceptor?.afterCompletion === undefined) continue;
      try {
        interceptor.afterCompletion(exchange);
      } catch (err) {
        exchange.log.error(`interceptor ${interceptor.name} failed in afterCompletion`, { error: describeError(err) });
      }
    }
  }
}

function describeError(err: unknown): Record<string, unknown> | string {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return String(err);
}

/** Creates the endpoint; throws at start-up when the contract, service or handlers do not fit together. */
export function createSoapEndpoint<H extends HandlerSet<H>>(options: SoapEndpointOptions<H>): SoapEndpoint {
  return new SoapEndpointCore(options);
}
