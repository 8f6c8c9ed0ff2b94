/**
 * The transport-free message path (Spring-WS's MessageDispatcher): one SOAP message in, one reply out.
 *
 * parse -> route -> interceptors.handleRequest -> mustUnderstand -> decode -> handler -> encode ->
 * handleResponse (reverse); any failure -> exception resolver -> fault -> handleFault (reverse);
 * always -> afterCompletion, once the reply is written.
 *
 * Conventions: a binding (src/soap/transport) owns the wire (method, content type, reading the body,
 * writing); it hands over a SoapMessage and a ReplyChannel, and the dispatcher never sees a socket. A new
 * concern is an interceptor, a new way of receiving messages a binding, a new error mapping an exception
 * resolver; none is a branch here. Every table is built in the constructor; a message only looks up.
 */
import {
  SOAP11_ACTOR_NEXT,
  SOAP11_ENVELOPE_NS,
  SOAP12_ENVELOPE_NS,
  SOAP12_ROLE_NEXT,
  SOAP12_ROLE_ULTIMATE_RECEIVER,
} from './constants';
import { SchemaViolationError, SoapFault } from './fault';
import type {
  EngineLogger,
  OperationRef,
  ExceptionResolver,
  ParsedEnvelope,
  SoapContext,
  SoapExchange,
  SoapHeaderBlock,
  SoapInterceptor,
  SoapRequestInfo,
} from './pipeline';
import type { ContractModel, SoapVersion } from './schema/model';
import { clark } from './schema/model';
import { OperationRouter, type RoutedOperation } from './routing';
import { encodeFault, notUnderstoodBlock, upgradeBlock } from './fault-encode';
import { soapContentType, wrapEnvelope } from './envelope-write';
import { addressingMessageId } from './correlation';
import { operationMethodName } from './codegen/naming';
import { parseEnvelope } from './envelope';
import { XmlRejectedError } from './xml/guard';
import type { XmlElement } from './xml/element';
import { compileSchema, type CompiledSchema } from './schema/compile';

const NO_HEADERS: Readonly<Record<string, unknown>> = Object.freeze({});

/** A header block as its schema sees it: mustUnderstand, actor/role, relay, encodingStyle belong to the envelope. */
function withoutEnvelopeAttributes(el: XmlElement): XmlElement {
  if (!el.attributes.some((a) => a.ns === SOAP11_ENVELOPE_NS || a.ns === SOAP12_ENVELOPE_NS)) return el;
  const attributes = el.attributes.filter((a) => a.ns !== SOAP11_ENVELOPE_NS && a.ns !== SOAP12_ENVELOPE_NS);
  return {
    ns: el.ns,
    local: el.local,
    prefix: el.prefix,
    attributes,
    children: el.children,
    text: el.text,
    hasMixedText: el.hasMixedText,
    lookupNamespace: (prefix) => el.lookupNamespace(prefix),
    attr: (ns, local) => (ns === SOAP11_ENVELOPE_NS || ns === SOAP12_ENVELOPE_NS ? undefined : el.attr(ns, local)),
    toXml: () => el.toXml(),
  };
}
import { decodeElement } from './schema/decode';
import { encodeElement } from './schema/encode';

/** One message as a binding hands it over. */
export interface SoapMessage {
  /** Transport facts; `raw` holds the envelope's bytes (empty for a message refused before reading). */
  readonly request: SoapRequestInfo;
  /** The SOAP version the transport announced (e.g. by content type); the envelope must agree. */
  readonly version: SoapVersion;
  /** The transport's correlation id (e.g. X-Request-Id); a WS-Addressing MessageID replaces it. */
  readonly correlationId: string;
  /** process.hrtime.bigint() at arrival. */
  readonly startedAt: bigint;
}

/**
 * How a reply reaches the wire: one per binding, `target` being the binding's per-request handle (the
 * ServerResponse for HTTP), so that no closure is built per message.
 */
export interface ReplyChannel<T> {
  /**
   * Writes the reply with exchange.httpHeaders and sets exchange.status and exchange.bytesOut to what was
   * actually sent. `contentType` is undefined for a reply without a body (one-way: 202).
   */
  send(target: T, exchange: SoapExchange, status: number, contentType: string | undefined, body: string): void;
}

/**
 * A message of a binding that names the operation itself (e.g. in the URL) and turns its content into the
 * typed request itself (JSON). It runs the same stages as a SOAP message past parsing and routing.
 */
export interface ValueMessage {
  readonly request: SoapRequestInfo;
  /** The wsdl:operation name. */
  readonly operation: string;
  readonly correlationId: string;
  readonly startedAt: bigint;
  /**
   * The typed request; called after the interceptors' handleRequest, where SOAP decodes. Throws a
   * SoapFault or SchemaViolationError (answered as a Sender fault) when the content does not fit.
   */
  decode(operation: OperationRef): unknown;
}

/** A reply channel that also writes the binding's representation of responses and faults. */
export interface ValueReplyChannel<T> extends ReplyChannel<T> {
  /** The reply body of a typed response; throws when the value cannot be encoded (then a generic fault is answered). */
  encodeResponse(operation: OperationRef, value: unknown): { readonly contentType: string; readonly body: string };
  /** The reply for a fault, after handleFault; throws when its detail cannot be encoded (then a generic fault is answered). */
  encodeFault(
    exchange: SoapExchange,
    fault: SoapFault,
  ): { readonly status: number; readonly contentType: string; readonly body: string };
}

export interface MessageDispatcherOptions {
  readonly contract: ContractModel;
  /** The wsdl:service whose SOAP ports (typically 1.1 and 1.2) this dispatcher serves. */
  readonly service: string;
  /** The generated handler interface's implementation. */
  readonly handlers: object;
  readonly interceptors: readonly SoapInterceptor[];
  readonly exceptionResolver?: ExceptionResolver;
  readonly limits: { readonly maxDepth: number; readonly maxElements: number };
  readonly logger: EngineLogger;
}

/** Adds the exchange's correlation id to every log line. */
class CorrelatedLogger implements EngineLogger {
  constructor(
    private readonly base: EngineLogger,
    public messageId: string,
  ) {}
  private meta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
    return meta === undefined ? { messageId: this.messageId } : { messageId: this.messageId, ...meta };
  }
  debug(message: string, meta?: Record<string, unknown>): void {
    this.base.debug(message, this.meta(meta));
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.base.info(message, this.meta(meta));
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.base.warn(message, this.meta(meta));
  }
  error(message: string, meta?: Record<string, unknown>): void {
    this.base.error(message, this.meta(meta));
  }
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
  readonly startedAt: bigint;
  readonly request: SoapRequestInfo;
  /** Interceptors whose handleRequest was entered; they get handleResponse / handleFault. */
  reached = 0;

  constructor(message: Pick<SoapMessage, 'request' | 'startedAt' | 'correlationId'>, logger: EngineLogger) {
    this.request = message.request;
    this.startedAt = message.startedAt;
    this.log = new CorrelatedLogger(logger, message.correlationId);
  }

  get messageId(): string {
    return this.log.messageId;
  }
  set messageId(id: string) {
    this.log.messageId = id;
  }
}

function targetsUltimateReceiver(block: SoapHeaderBlock, version: SoapVersion): boolean {
  const role = block.role;
  if (role === undefined || role === '') return true;
  return version === '1.1'
    ? role === SOAP11_ACTOR_NEXT
    : role === SOAP12_ROLE_NEXT || role === SOAP12_ROLE_ULTIMATE_RECEIVER;
}

export function describeError(err: unknown): Record<string, unknown> | string {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return String(err);
}

export class MessageDispatcher {
  /** SOAP versions served (one per bound port). */
  readonly versions: ReadonlySet<SoapVersion>;
  /** Version of faults sent before the message's own version is known, or when it is not served. */
  readonly fallbackVersion: SoapVersion;
  private readonly schema: CompiledSchema;
  private readonly router: OperationRouter;
  private readonly interceptors: readonly SoapInterceptor[];
  private readonly understoodByInterceptors: ReadonlySet<string>;
  private readonly resolveException: ExceptionResolver | undefined;
  private readonly xmlLimits: { readonly maxDepth: number; readonly maxElements: number };
  private readonly logger: EngineLogger;
  /** SOAP 1.2 Upgrade header block sent with VersionMismatch faults. */
  private readonly upgradeHeader: string;

  constructor(options: MessageDispatcherOptions) {
    this.logger = options.logger;
    this.xmlLimits = { maxDepth: options.limits.maxDepth, maxElements: options.limits.maxElements };
    this.interceptors = [...options.interceptors];
    this.understoodByInterceptors = new Set(
      this.interceptors.flatMap((i) => (i.understands ?? []).map((q) => clark(q.ns, q.local))),
    );
    this.resolveException = options.exceptionResolver;
    this.schema = compileSchema(options.contract.schema);
    this.router = new OperationRouter({
      contract: options.contract,
      service: options.service,
      handlers: options.handlers,
      methodName: operationMethodName,
    });
    this.versions = this.router.versions;
    this.fallbackVersion = this.router.supports('1.1') ? '1.1' : '1.2';
    this.upgradeHeader = upgradeBlock((['1.2', '1.1'] as const).filter((v) => this.router.supports(v)));
  }

  supports(version: SoapVersion): boolean {
    return this.router.supports(version);
  }

  /** The served operations by wsdl:operation name. */
  get operations(): ReadonlyMap<string, OperationRef> {
    return this.router.byName;
  }

  /**
   * The path for a message whose binding names the operation and decodes the content itself (JSON):
   * handleRequest -> decode -> handler -> encode -> handleResponse, faults through the same resolver and
   * handleFault, then completion. Never rejects.
   */
  async dispatchValue<T>(message: ValueMessage, target: T, channel: ValueReplyChannel<T>): Promise<void> {
    const exchange = new Exchange(message, this.logger);
    let reply: { readonly contentType: string; readonly body: string } | undefined;
    try {
      const operation = this.router.byName.get(message.operation);
      if (operation === undefined)
        throw new SoapFault({ code: 'Sender', reason: `No operation ${message.operation}`, httpStatus: 404 });
      exchange.operation = operation;
      await this.handleRequest(exchange);
      let request: unknown;
      try {
        request = message.decode(operation);
      } catch (err) {
        throw err instanceof SchemaViolationError ? this.violationFault(operation, err) : err;
      }
      const value = await this.invoke(exchange, operation, request, undefined, [], {}, {});
      reply = operation.output === undefined ? undefined : channel.encodeResponse(operation, value);
      exchange.response = { value, xml: '' };
      await this.handleResponse(exchange);
    } catch (err) {
      const fault = await this.resolveFault(exchange, err);
      let encoded: ReturnType<ValueReplyChannel<T>['encodeFault']>;
      try {
        encoded = channel.encodeFault(exchange, fault);
      } catch (encodeError) {
        exchange.log.error('cannot encode a fault', { error: describeError(encodeError), reason: fault.reason });
        exchange.fault = this.internalFault(exchange);
        encoded = channel.encodeFault(exchange, exchange.fault);
      }
      return this.deliver(exchange, encoded.status, encoded.contentType, encoded.body, target, channel);
    }
    if (reply === undefined) return this.deliver(exchange, 202, undefined, '', target, channel);
    this.deliver(exchange, 200, reply.contentType, reply.body, target, channel);
  }

  /** The whole path for one message; never rejects (every failure becomes a fault reply). */
  async dispatch<T>(message: SoapMessage, target: T, channel: ReplyChannel<T>): Promise<void> {
    const exchange = new Exchange(message, this.logger);
    try {
      await this.process(exchange, message.version, message.request.raw);
    } catch (err) {
      return this.fail(exchange, message.version, err, target, channel);
    }
    const response = exchange.response;
    // One-way operation: accepted, nothing to return.
    if (response === undefined || response.xml === '')
      return this.deliver(exchange, 202, undefined, '', target, channel);
    this.deliver(exchange, 200, soapContentType(message.version), response.xml, target, channel);
  }

  /** Answers a message the binding refuses before it is dispatched (wrong content type, too large, too slow). */
  refuse<T>(message: SoapMessage, status: number, reason: string, target: T, channel: ReplyChannel<T>): Promise<void> {
    return this.fail(
      new Exchange(message, this.logger),
      message.version,
      new SoapFault({ code: 'Sender', reason, httpStatus: status }),
      target,
      channel,
    );
  }

  /** refuse() for a binding of typed values: its fault representation, no interceptor but completion. */
  refuseValue<T>(
    message: ValueMessage,
    status: number,
    reason: string,
    target: T,
    channel: ValueReplyChannel<T>,
  ): void {
    const exchange = new Exchange(message, this.logger);
    const fault = new SoapFault({ code: 'Sender', reason, httpStatus: status });
    exchange.fault = fault;
    const encoded = channel.encodeFault(exchange, fault);
    this.deliver(exchange, encoded.status, encoded.contentType, encoded.body, target, channel);
  }

  /** Answers a message the binding cannot deliver for a reason of its own (logged; the client gets a generic fault). */
  failInternally<T>(message: SoapMessage, problem: string, target: T, channel: ReplyChannel<T>): Promise<void> {
    const exchange = new Exchange(message, this.logger);
    exchange.log.error(problem);
    return this.fail(exchange, message.version, this.internalFault(exchange), target, channel);
  }

  /** A message whose sender went away before it arrived: nothing is answered, completion still runs. */
  abandon(message: SoapMessage, why: string): void {
    const exchange = new Exchange(message, this.logger);
    exchange.log.debug(why);
    exchange.status = 0;
    exchange.bytesOut = 0;
    this.complete(exchange);
  }

  /** From the raw bytes to exchange.response; throws on any failure. */
  private async process(exchange: Exchange, version: SoapVersion, raw: Buffer): Promise<void> {
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

    const payload = envelope.payload;
    if (payload === undefined) throw SoapFault.sender('The SOAP Body is empty: expected one operation element');
    const operation = this.router.route(version, payload, exchange.request.soapAction);
    exchange.operation = operation;

    await this.handleRequest(exchange);
    this.checkMustUnderstand(exchange, envelope);
    const request = this.decode(operation, payload);
    const requestHeaders =
      operation.inputHeaders.size === 0 ? NO_HEADERS : this.decodeHeaders(operation, envelope.headers);
    const responseHeaders: Record<string, unknown> = {};
    const value = await this.invoke(
      exchange,
      operation,
      request,
      version,
      envelope.headers,
      requestHeaders,
      responseHeaders,
    );
    if (operation.outputHeaders.length > 0) this.encodeHeaders(exchange, operation, responseHeaders);
    exchange.response =
      operation.output === undefined
        ? { value, xml: '' }
        : {
            value,
            xml: wrapEnvelope(version, exchange.responseHeaders, encodeElement(this.schema, operation.output, value)),
          };
    await this.handleResponse(exchange);
  }

  // The stages below know nothing of XML; an entry point for already-typed values (a JSON binding) reuses
  // them with the same interceptors, the same exception resolver (fail) and the same completion.

  /** Interceptors' handleRequest in order; each one entered is owed handleResponse or handleFault. */
  private async handleRequest(exchange: Exchange): Promise<void> {
    for (const interceptor of this.interceptors) {
      exchange.reached++;
      if (interceptor.handleRequest !== undefined) {
        const pending = interceptor.handleRequest(exchange);
        if (pending !== undefined) await pending;
      }
    }
  }

  /** Calls the typed handler with the typed request. */
  private invoke(
    exchange: Exchange,
    operation: RoutedOperation,
    request: unknown,
    soapVersion: SoapVersion | undefined,
    headers: readonly SoapHeaderBlock[],
    requestHeaders: Readonly<Record<string, unknown>>,
    responseHeaders: Record<string, unknown>,
  ): Promise<unknown> {
    const context: SoapContext<Record<string, unknown>, Record<string, unknown>> = {
      messageId: exchange.messageId,
      operation: operation.name,
      soapVersion,
      headers,
      requestHeaders,
      responseHeaders,
      principal: exchange.principal,
      log: exchange.log,
    };
    return operation.invoke(request, context as SoapContext);
  }

  /** The operation's declared request headers present in the message, decoded (violations are the sender's fault). */
  private decodeHeaders(operation: RoutedOperation, blocks: readonly SoapHeaderBlock[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const block of blocks) {
      const declared = operation.inputHeaders.get(clark(block.element.ns, block.element.local));
      if (declared === undefined) continue;
      try {
        out[declared.prop] = decodeElement(this.schema, declared.element, withoutEnvelopeAttributes(block.element));
      } catch (err) {
        if (!(err instanceof SchemaViolationError)) throw err;
        throw new SoapFault({
          code: 'Sender',
          reason: `The ${operation.name} request's header does not match the schema: ${err.violations.map((v) => `Header/${v.path}: ${v.message}`).join('; ')}`,
          cause: err,
        });
      }
    }
    return out;
  }

  /** The declared response headers the handler set, encoded into the response's soap:Header. */
  private encodeHeaders(exchange: Exchange, operation: RoutedOperation, values: Record<string, unknown>): void {
    for (const header of operation.outputHeaders) {
      const value = values[header.prop];
      if (value !== undefined) exchange.responseHeaders.push(encodeElement(this.schema, header.element, value));
    }
  }

  /** Interceptors' handleResponse in reverse order, for those whose handleRequest was entered. */
  private async handleResponse(exchange: Exchange): Promise<void> {
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
      return parseEnvelope(raw, { limits: this.xmlLimits, dom: false });
    } catch (err) {
      if (err instanceof SoapFault) throw err;
      if (err instanceof XmlRejectedError)
        throw new SoapFault({ code: 'Sender', reason: `Rejected XML: ${err.message}`, cause: err });
      throw new SoapFault({
        code: 'Sender',
        reason: `The request is not a well-formed SOAP envelope: ${err instanceof Error ? err.message : String(err)}`,
        cause: err,
      });
    }
  }

  private decode(operation: RoutedOperation, payload: NonNullable<ParsedEnvelope['payload']>): unknown {
    try {
      return decodeElement(this.schema, operation.input, payload);
    } catch (err) {
      if (!(err instanceof SchemaViolationError)) throw err;
      throw this.violationFault(operation, err);
    }
  }

  /** The Sender fault for a request that does not match the schema; the violations stay on it as `cause`. */
  private violationFault(operation: OperationRef, err: SchemaViolationError): SoapFault {
    return new SoapFault({
      code: 'Sender',
      reason: `The ${operation.name} request does not match the schema: ${err.violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`,
      cause: err,
    });
  }

  private checkMustUnderstand(exchange: Exchange, envelope: ParsedEnvelope): void {
    const missed: SoapHeaderBlock[] = [];
    for (const block of envelope.headers) {
      if (!block.mustUnderstand || !targetsUltimateReceiver(block, envelope.version)) continue;
      if (exchange.understood.has(block.element)) continue;
      const key = clark(block.element.ns, block.element.local);
      if (this.understoodByInterceptors.has(key)) continue;
      // A header the operation declares is decoded and handed to the handler: understood.
      if (exchange.operation?.inputHeaders.has(key)) continue;
      missed.push(block);
    }
    if (missed.length === 0) return;
    if (envelope.version === '1.2') {
      for (const block of missed)
        exchange.responseHeaders.push(notUnderstoodBlock({ ns: block.element.ns, local: block.element.local }));
    }
    const names = missed.map((b) => `{${b.element.ns}}${b.element.local}`).join(', ');
    throw new SoapFault({
      code: 'MustUnderstand',
      reason: `Header block${missed.length > 1 ? 's' : ''} not understood: ${names}`,
    });
  }

  // --------------------------------------------------------------------------------------- faults

  private internalFault(exchange: Exchange): SoapFault {
    return SoapFault.receiver(`Internal error; reference ${exchange.messageId}`);
  }

  /**
   * SoapFaults pass through; anything else goes to the exception resolver, and what it does not map is
   * logged in full and becomes a generic Receiver fault.
   */
  private toFault(exchange: Exchange, err: unknown): SoapFault {
    if (err instanceof SoapFault) return err;
    if (this.resolveException !== undefined) {
      try {
        const resolved = this.resolveException(err, exchange);
        if (resolved !== undefined) return resolved;
      } catch (resolverError) {
        exchange.log.error('the exception resolver failed', { error: describeError(resolverError) });
      }
    }
    exchange.log.error(`unhandled error in ${exchange.operation?.name ?? 'the SOAP pipeline'}`, {
      error: describeError(err),
    });
    return this.internalFault(exchange);
  }

  /** The fault for an error (resolver included), after the interceptors' handleFault (reverse order). */
  private async resolveFault(exchange: Exchange, err: unknown): Promise<SoapFault> {
    const fault = this.toFault(exchange, err);
    exchange.fault = fault;
    for (let i = exchange.reached - 1; i >= 0; i--) {
      const interceptor = this.interceptors[i];
      if (interceptor?.handleFault === undefined) continue;
      try {
        const pending = interceptor.handleFault(exchange, fault);
        if (pending !== undefined) await pending;
      } catch (handleFaultError) {
        exchange.log.error(`interceptor ${interceptor.name} failed in handleFault`, {
          error: describeError(handleFaultError),
        });
      }
    }
    return exchange.fault ?? fault;
  }

  /** handleFault (reverse), then the fault envelope; a detail that cannot be encoded degrades to a generic fault. */
  private async fail<T>(
    exchange: Exchange,
    version: SoapVersion,
    err: unknown,
    target: T,
    channel: ReplyChannel<T>,
  ): Promise<void> {
    let final = await this.resolveFault(exchange, err);
    let detailXml: string | undefined;
    if (final.detail !== undefined) {
      try {
        detailXml = encodeElement(this.schema, final.detail.element, final.detail.value);
      } catch (encodeError) {
        exchange.log.error(`cannot encode the detail ${final.detail.element} of a fault`, {
          error: describeError(encodeError),
          reason: final.reason,
        });
        final = this.internalFault(exchange);
        exchange.fault = final;
      }
    }
    if (final.code === 'VersionMismatch') exchange.responseHeaders.push(this.upgradeHeader);
    const encoded = encodeFault(final, version, { detailXml, headerBlocks: exchange.responseHeaders });
    for (const [name, value] of Object.entries(encoded.headers)) exchange.httpHeaders[name] = value;
    this.deliver(exchange, encoded.status, encoded.contentType, encoded.body, target, channel);
  }

  // ------------------------------------------------------------------------------------ completion

  private deliver<T>(
    exchange: Exchange,
    status: number,
    contentType: string | undefined,
    body: string,
    target: T,
    channel: ReplyChannel<T>,
  ): void {
    channel.send(target, exchange, status, contentType, body);
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
