/**
 * The engine's runtime: one endpoint serving every SOAP port of one WSDL service at one URL, made of the
 * transport-free MessageDispatcher (message-dispatcher.ts: parse -> route -> interceptors -> decode ->
 * handler -> encode, faults, completion) and the node:http binding above it (transport/http.ts); the
 * Express binding (transport/express.ts) reuses the latter.
 *
 * Everything that can be prepared is prepared here, once (compiled schema, routing tables, rewritten
 * contract documents); a request only looks things up.
 */
import type { EngineLogger, ExceptionResolver, HandlerSet, SoapInterceptor } from './pipeline';
import type { ContractModel, SoapVersion } from './schema/model';
import { MessageDispatcher } from './message-dispatcher';
import { HttpBinding, type HttpSoapHandler } from './transport/http';
import { TrustedProxies } from './transport/endpoint-url';
import { ContractDocuments } from './wsdl/serve';
import { addressingInterceptor, type AddressingOptions } from './addressing/interceptor';
import { endpointPolicy } from './policy';

export interface SoapLimits {
  /** Largest accepted request body in bytes (default 1 MiB). Checked from Content-Length and while reading. */
  readonly maxBodyBytes: number;
  /** Deepest accepted element nesting (default 64). */
  readonly maxDepth: number;
  /** Most elements accepted in one message (default 200 000). */
  readonly maxElements: number;
}

export const DEFAULT_LIMITS: SoapLimits = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
});
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface SoapEndpointOptions<H extends HandlerSet<H>> {
  /** The compiled contract (generated `contract` export). */
  readonly contract: ContractModel;
  /** The wsdl:service to serve; all its SOAP ports (typically 1.1 and 1.2) share the URL. */
  readonly service: string;
  /** The generated handler interface's implementation. */
  readonly handlers: H;
  readonly interceptors?: readonly SoapInterceptor[];
  /**
   * WS-Addressing (1.0 and the 2004/08 submission): true or options to understand the headers, check
   * wsa:Action against the operation and address the replies. Its interceptor is put before
   * `interceptors`, so that every fault they raise is addressed too.
   */
  readonly addressing?: boolean | AddressingOptions;
  /** Maps errors of the handlers (e.g. domain errors) to the contract's declared faults; see ExceptionResolver. */
  readonly exceptionResolver?: ExceptionResolver;
  readonly limits?: Partial<SoapLimits>;
  /** IPs or CIDRs of reverse proxies whose X-Forwarded-Proto / X-Forwarded-Host are honoured. */
  readonly trustedProxies?: readonly string[];
  readonly logger?: EngineLogger;
  /** Folder that ContractDocument.path is relative to (usually the project root). */
  readonly documentRoot: string;
  /** Time allowed to receive the whole request body (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** MTOM/XOP replies; MTOM requests are always accepted (see MtomOptions). */
  readonly mtom?: Partial<MtomOptions>;
}

export interface MtomOptions {
  /** Binary (canonical base64) element content of at least this many bytes travels as a binary part (default 1 KiB). */
  readonly thresholdBytes: number;
  /** 'when-requested' (default): MTOM replies to MTOM requests only; 'always': to every request. */
  readonly replies: 'when-requested' | 'always';
}

export const DEFAULT_MTOM: MtomOptions = Object.freeze({ thresholdBytes: 1024, replies: 'when-requested' });

/** The node:http binding of one service, with the transport-free dispatcher behind it for other bindings. */
export interface SoapEndpoint extends HttpSoapHandler {
  readonly dispatcher: MessageDispatcher;
  readonly service: string;
  /** SOAP versions this endpoint accepts (one per bound port). */
  readonly soapVersions: ReadonlySet<SoapVersion>;
}

/** Quiet by default on success paths; problems go to stderr so they are never lost silently. */
const stderrLogger: EngineLogger = {
  debug() {},
  info() {},
  warn(message, meta) {
    process.stderr.write(`[soap] warn: ${message} ${meta === undefined ? '' : safeJson(meta)}\n`);
  },
  error(message, meta) {
    process.stderr.write(`[soap] error: ${message} ${meta === undefined ? '' : safeJson(meta)}\n`);
  },
};

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return String(value);
  }
}

function withAddressing<H extends HandlerSet<H>>(options: SoapEndpointOptions<H>): SoapInterceptor[] {
  const interceptors = [...(options.interceptors ?? [])];
  if (options.addressing === undefined || options.addressing === false) return interceptors;
  const addressing = addressingInterceptor(
    options.contract,
    options.service,
    options.addressing === true ? {} : options.addressing,
  );
  return [addressing, ...interceptors];
}

/** Creates the endpoint; throws at start-up when the contract, service or handlers do not fit together. */
export function createSoapEndpoint<H extends HandlerSet<H>>(options: SoapEndpointOptions<H>): SoapEndpoint {
  const logger = options.logger ?? stderrLogger;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const interceptors = withAddressing(options);
  const dispatcher = new MessageDispatcher({
    contract: options.contract,
    service: options.service,
    handlers: options.handlers,
    interceptors,
    exceptionResolver: options.exceptionResolver,
    limits,
    logger,
  });
  const binding = new HttpBinding({
    dispatcher,
    documents: new ContractDocuments(
      options.contract,
      options.documentRoot,
      options.service,
      endpointPolicy(`${options.service}Policy`, interceptors),
    ),
    maxBodyBytes: limits.maxBodyBytes,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    mtom: { ...DEFAULT_MTOM, ...options.mtom },
    proxies: new TrustedProxies(options.trustedProxies ?? []),
    logger,
  });
  return {
    service: options.service,
    soapVersions: dispatcher.versions,
    dispatcher,
    handle: (req, res) => binding.handle(req, res),
    handleWithBody: (req, res, body) => binding.handleWithBody(req, res, body),
  };
}
