/**
 * The exchange and the interceptor interface (after Spring-WS's EndpointInterceptor):
 * handleRequest -> (decode, handler, encode) -> handleResponse | handleFault, then afterCompletion.
 *
 * Security, logging, metrics and rate limiting are interceptors; dispatch never knows about them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SoapVersion } from './schema/model';
import type { XmlElement } from './xml/element';
import type { QName, SoapFault } from './fault';

export interface EngineLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** The authenticated caller. Set by an authentication interceptor; the engine never interprets it. */
export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** How the caller proved who it is, e.g. 'UsernameToken/PasswordText', 'X509'. */
  readonly authenticatedBy?: string;
}

export interface SoapHeaderBlock {
  readonly element: XmlElement;
  readonly mustUnderstand: boolean;
  /** SOAP 1.1 actor / SOAP 1.2 role; undefined means the ultimate receiver. */
  readonly role?: string;
}

/** The envelope as parsed by src/soap/envelope.ts. */
export interface ParsedEnvelope {
  readonly version: SoapVersion;
  readonly envelope: XmlElement;
  readonly headers: readonly SoapHeaderBlock[];
  readonly body: XmlElement;
  /** The single child element of Body (document/literal); undefined for an empty Body. */
  readonly payload: XmlElement | undefined;
  /**
   * Present when the message was parsed into a namespace-aware DOM (signed traffic). `envelope`, `body`,
   * `payload` and header elements are then views over nodes of this very document.
   */
  readonly dom?: unknown;
}

/** Transport-level facts about the request. */
export interface SoapRequestInfo {
  readonly raw: Buffer;
  readonly httpHeaders: IncomingHttpHeaders;
  readonly method: string;
  /** The endpoint URL as the client used it (after trusted-proxy handling). */
  readonly endpointUrl: string;
  readonly remoteAddress: string;
  /** DER of the client certificate the TLS handshake verified (HTTPS with client certificates on). */
  readonly clientCertificate?: Buffer;
  /** SOAPAction header (1.1) or action parameter (1.2), unquoted; undefined when absent. */
  readonly soapAction?: string;
  /** The binding that received the message: 'soap' (the default) or 'json'. */
  readonly binding?: 'soap' | 'json';
}

/** What handlers get next to their typed request. */
/**
 * What a handler gets besides its typed request. `RequestHeaders` / `ResponseHeaders` are the generated
 * types of the operation's declared soap:headers (by property name): the request's are decoded against
 * the schema, the ones the handler sets in `responseHeaders` are encoded into the response's soap:Header.
 */
export interface SoapContext<
  RequestHeaders extends object = Record<string, never>,
  ResponseHeaders extends object = Record<string, never>,
> {
  /** Correlation id: WS-Addressing MessageID, else X-Request-Id, else generated. */
  readonly messageId: string;
  readonly operation: string;
  /** The SOAP version of the envelope; undefined for a message of another binding (JSON). */
  readonly soapVersion: SoapVersion | undefined;
  readonly headers: readonly SoapHeaderBlock[];
  /** The declared request headers present in the message, typed. */
  readonly requestHeaders: Readonly<RequestHeaders>;
  /** Declared response headers to send: set a property and it is written into the response's soap:Header. */
  readonly responseHeaders: ResponseHeaders;
  readonly principal: Principal | undefined;
  readonly log: EngineLogger;
}

export interface OperationRef {
  readonly name: string;
  /** Clark names. */
  readonly input: string;
  readonly output?: string;
  readonly soapAction: string;
}

export interface SoapResponse {
  /** The typed value returned by the handler. */
  value: unknown;
  /** The serialized response envelope; handleResponse may replace it (e.g. to sign it). */
  xml: string;
}

export interface SoapExchange {
  readonly request: SoapRequestInfo;
  /** Set once the envelope parsed. */
  envelope?: ParsedEnvelope;
  /** Set once routing picked an operation. */
  operation?: OperationRef;
  messageId: string;
  principal?: Principal;
  log: EngineLogger;
  /** Header blocks an interceptor has processed (satisfies mustUnderstand). */
  readonly understood: Set<XmlElement>;
  /** Extra SOAP header blocks (XML text) to write into the response envelope. */
  readonly responseHeaders: string[];
  /** Extra HTTP response headers. */
  readonly httpHeaders: Record<string, string>;
  /** Free-form per-exchange state for interceptors, keyed by interceptor name. */
  readonly attributes: Map<string, unknown>;
  response?: SoapResponse;
  fault?: SoapFault;
  /** HTTP status finally sent; set by the engine before afterCompletion. */
  status?: number;
  /** Bytes of the response body finally sent; set before afterCompletion. */
  bytesOut?: number;
  /** process.hrtime.bigint() at arrival. */
  readonly startedAt: bigint;
}

/**
 * The WS-Policy assertions an interceptor enforces, which the endpoint writes into its served WSDL
 * (src/soap/wsdl/policy.ts). Assertions are complete XML elements declaring their own namespaces.
 */
export interface PolicyContribution {
  /** Alternatives of which a client satisfies one (e.g. a UsernameToken over TLS, or an X.509 signature). */
  readonly alternatives?: readonly (readonly string[])[];
  /** Assertions added to every alternative (e.g. wsam:Addressing). */
  readonly common?: readonly string[];
}

export interface SoapInterceptor {
  readonly name: string;
  /** Header block QNames this interceptor processes; such blocks satisfy mustUnderstand. */
  readonly understands?: readonly QName[];
  /** What this interceptor requires of clients, as WS-Policy for the served WSDL. */
  readonly policy?: PolicyContribution;
  /**
   * Called in order after the envelope is parsed and the operation is routed, before the body is decoded.
   * Throw a SoapFault to reject; later interceptors and the handler are then skipped.
   */
  handleRequest?(exchange: SoapExchange): void | Promise<void>;
  /** Called in reverse order after the response envelope is serialized; may rewrite exchange.response.xml. */
  handleResponse?(exchange: SoapExchange): void | Promise<void>;
  /** Called in reverse order when the exchange ends in a fault (before it is written). */
  handleFault?(exchange: SoapExchange, fault: SoapFault): void | Promise<void>;
  /** Always called once the response is sent, whatever happened (logging, metrics). Must not throw. */
  afterCompletion?(exchange: SoapExchange): void;
}

/**
 * Turns an error that is not a SoapFault, thrown by the handler or an interceptor, into the fault to
 * answer (after Spring-WS's EndpointExceptionResolver); undefined leaves it to the engine, which logs it
 * and answers a generic Receiver fault. An application maps its domain errors to its declared faults
 * here, once per contract, instead of in every handler. Called at most once per exchange.
 */
export type ExceptionResolver = (error: unknown, exchange: SoapExchange) => SoapFault | undefined;

/** A handler method as the engine sees it; generated interfaces are structurally compatible. */
export type OperationHandler = (request: never, context: SoapContext) => Promise<unknown>;

/** Generated handler interfaces satisfy this (one method per operation, lowerCamelCase name). */
export type HandlerSet<H> = { [K in keyof H]: OperationHandler };
