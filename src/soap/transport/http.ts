/**
 * The node:http binding: HTTP in front of the transport-free MessageDispatcher. It owns what only HTTP
 * knows: the method (POST a message, GET/HEAD the contract documents, 405 otherwise), the content type and
 * SOAPAction, reading the body, decoding a UTF-16 or ISO-8859-1 body (charset.ts) under size and time limits, draining what is refused, and writing replies.
 * `soapRequestListener` serves several endpoints on one server and hands every other path to a fallback.
 *
 * The binding never lets an engine bug crash the process or leave a request hanging (lastResort).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { EngineLogger, SoapExchange, SoapRequestInfo } from '../pipeline';
import type { SoapVersion } from '../schema/model';
import { describeError, type MessageDispatcher, type ReplyChannel, type SoapMessage } from '../message-dispatcher';
import { transportCorrelationId } from '../correlation';
import type { ContractDocuments } from '../wsdl/serve';
import { classifySoapContentType, parseMediaType, unquoteSoapAction } from './content-type';
import { MtomError, inlineXopIncludes, mtomPackage, mtomReply, readXopPackage, type MtomPackage } from './mtom';
import { decodeRequestBody } from './charset';
import { defaultFaultStatus } from '../fault-encode';
import { readBody, tooLargeMessage } from './read-body';
import { type TrustedProxies, pathOf, queryOf, requestEndpointUrl } from './endpoint-url';

/** What a server hands a request to: the node:http binding of one endpoint (see SoapEndpoint). */
export interface HttpSoapHandler {
  /** A node:http request listener for the endpoint's URL (POST SOAP, GET ?wsdl / ?xsd=name). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Same, for a request whose body another layer already read (e.g. a raw body parser). */
  handleWithBody(req: IncomingMessage, res: ServerResponse, body: Buffer): void;
}

export interface HttpBindingOptions {
  readonly dispatcher: MessageDispatcher;
  readonly documents: ContractDocuments;
  /** Largest accepted request body in bytes; checked from Content-Length and while reading. */
  readonly maxBodyBytes: number;
  /** Time allowed to receive the whole request body. */
  readonly requestTimeoutMs: number;
  /** MTOM replies: binary content from this size on as binary parts; to MTOM requests only, or always. */
  readonly mtom?: { readonly thresholdBytes: number; readonly replies: 'when-requested' | 'always' };
  /** Reverse proxies whose X-Forwarded-Proto / X-Forwarded-Host are honoured. */
  readonly proxies: TrustedProxies;
  readonly logger: EngineLogger;
}

const TEXT_PLAIN = 'text/plain; charset=utf-8';
const XML_DOC = 'text/xml; charset=utf-8';
const ALLOW = 'GET, HEAD, POST';
const EMPTY = Buffer.alloc(0);

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

/** Express keeps the full path in originalUrl and rewrites url relative to the mount point. */
function requestTarget(req: IncomingMessage): string {
  const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
  return typeof original === 'string' ? original : (req.url ?? '/');
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
  get httpHeaders(): IncomingMessage['headers'] {
    return this.req.headers;
  }
  get method(): string {
    return this.req.method ?? 'POST';
  }
  get remoteAddress(): string {
    return this.req.socket.remoteAddress ?? '';
  }
  /** Only a certificate the handshake verified (socket.authorized) counts. */
  get clientCertificate(): Buffer | undefined {
    const socket = this.req.socket as Partial<TLSSocket>;
    if (socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
    const raw = socket.getPeerCertificate().raw as Buffer | undefined;
    return raw !== undefined && raw.length > 0 ? raw : undefined;
  }
  get endpointUrl(): string {
    if (this.url === undefined) this.url = requestEndpointUrl(this.req, pathOf(requestTarget(this.req)), this.proxies);
    return this.url;
  }
}

/**
 * Writes one reply of a binding (`what` names it in the log when Node refuses the headers). The body is
 * passed to Node as a string on purpose: Node then writes status line, headers and body in one chunk (a
 * Buffer body costs a separate writev entry).
 */
export function writeReply(
  res: ServerResponse,
  exchange: SoapExchange,
  status: number,
  contentType: string | undefined,
  body: string,
  what = 'SOAP',
): void {
  const length = Buffer.byteLength(body, 'utf8');
  const headers: Record<string, string | number> = {
    ...exchange.httpHeaders,
    'X-Request-Id': exchange.messageId,
    'Content-Length': length,
  };
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  try {
    res.writeHead(status, headers);
    res.end(body, 'utf8');
    exchange.status = status;
    exchange.bytesOut = length;
  } catch (err) {
    // e.g. an interceptor set an HTTP header value Node refuses
    exchange.log.error(`cannot write the ${what} response`, { error: describeError(err) });
    exchange.status = 500;
    exchange.bytesOut = 0;
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': TEXT_PLAIN, 'X-Request-Id': exchange.messageId });
      res.end('Internal error\n');
    } else {
      res.destroy();
    }
  }
}

const HTTP_REPLIES: ReplyChannel<ServerResponse> = {
  send: writeReply,
};

/**
 * Replies as an MTOM package (mtom.ts): successful SOAP replies are packaged, faults and empty replies
 * stay plain SOAP (every MTOM client reads those).
 */
function mtomReplies(thresholdBytes: number): ReplyChannel<ServerResponse> {
  return {
    send(res, exchange, status, contentType, body): void {
      if (status !== 200 || contentType === undefined) {
        HTTP_REPLIES.send(res, exchange, status, contentType, body);
        return;
      }
      let reply: { contentType: string; body: Buffer };
      try {
        reply = mtomReply(body, contentType.startsWith('application/soap+xml') ? '1.2' : '1.1', thresholdBytes);
      } catch (err) {
        exchange.log.error('cannot package the reply as MTOM; sent as plain SOAP', { error: describeError(err) });
        HTTP_REPLIES.send(res, exchange, status, contentType, body);
        return;
      }
      res.writeHead(status, {
        ...exchange.httpHeaders,
        'X-Request-Id': exchange.messageId,
        'Content-Type': reply.contentType,
        'Content-Length': reply.body.length,
      });
      res.end(reply.body);
      exchange.status = status;
      exchange.bytesOut = reply.body.length;
    },
  };
}

export class HttpBinding implements HttpSoapHandler {
  private readonly dispatcher: MessageDispatcher;
  private readonly documents: ContractDocuments;
  private readonly maxBodyBytes: number;
  private readonly timeoutMs: number;
  private readonly proxies: TrustedProxies;
  private readonly logger: EngineLogger;
  private readonly mtomReplies: ReplyChannel<ServerResponse>;
  private readonly plainReplies: ReplyChannel<ServerResponse>;

  constructor(options: HttpBindingOptions) {
    this.mtomReplies = mtomReplies(options.mtom?.thresholdBytes ?? 1024);
    this.plainReplies = options.mtom?.replies === 'always' ? this.mtomReplies : HTTP_REPLIES;
    this.dispatcher = options.dispatcher;
    this.documents = options.documents;
    this.maxBodyBytes = options.maxBodyBytes;
    this.timeoutMs = options.requestTimeoutMs;
    this.proxies = options.proxies;
    this.logger = options.logger;
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
        // Clients also ask for `?xsd=<name>.xsd` (the file name the document had).
        const text =
          this.documents.document(xsd, endpointUrl()) ??
          (xsd.endsWith('.xsd') ? this.documents.document(xsd.slice(0, -4), endpointUrl()) : undefined);
        if (text === undefined) return plain(res, 404, 'No contract document by that name\n');
        return xmlDocument(res, text);
      }
      for (const key of params.keys()) {
        const name = key.toLowerCase();
        if (name === 'wsdl' || name === 'singlewsdl') {
          const text = name === 'wsdl' ? this.documents.wsdl(endpointUrl()) : this.documents.singleWsdl(endpointUrl());
          if (text === undefined) return plain(res, 404, 'This contract has no WSDL document\n');
          return xmlDocument(res, text);
        }
      }
      return plain(res, 404, 'Unknown query: GET ?wsdl, ?singleWsdl or ?xsd=<name> for the contract\n');
    }
    res.writeHead(405, { 'Content-Type': TEXT_PLAIN, Allow: ALLOW });
    res.end('SOAP endpoint: POST SOAP messages here; GET ?wsdl returns the contract\n');
  }

  // ------------------------------------------------------------------------------------------ POST

  private async post(req: IncomingMessage, res: ServerResponse, preRead: Buffer | undefined): Promise<void> {
    const startedAt = process.hrtime.bigint();
    const correlationId = transportCorrelationId(req.headers);
    const soapActionHeader = req.headers.soapaction;
    const soapAction = Array.isArray(soapActionHeader) ? soapActionHeader[0] : soapActionHeader;
    const contentType = classifySoapContentType(req.headers['content-type'], soapAction);
    const dispatcher = this.dispatcher;

    if (!contentType.ok && contentType.reason === 'media-type') {
      let mtom: MtomPackage | undefined;
      try {
        mtom = mtomPackage(parseMediaType(req.headers['content-type'] ?? ''));
      } catch (err) {
        if (!(err instanceof MtomError)) throw err;
        return this.refuse(
          req,
          res,
          preRead,
          this.message(req, EMPTY, undefined, dispatcher.fallbackVersion, correlationId, startedAt),
          400,
          err.message,
        );
      }
      if (mtom !== undefined) return this.postMtom(req, res, preRead, mtom, soapAction, correlationId, startedAt);
    }
    if (!contentType.ok) {
      const version = dispatcher.supports(contentType.guessedVersion)
        ? contentType.guessedVersion
        : dispatcher.fallbackVersion;
      return this.refuse(
        req,
        res,
        preRead,
        this.message(req, EMPTY, undefined, version, correlationId, startedAt),
        415,
        contentType.message,
      );
    }
    const { version, action, charset } = contentType;
    if (!dispatcher.supports(version)) {
      const reason = `This endpoint does not accept SOAP ${version} (${version === '1.1' ? 'text/xml' : 'application/soap+xml'})`;
      return this.refuse(
        req,
        res,
        preRead,
        this.message(req, EMPTY, action, dispatcher.fallbackVersion, correlationId, startedAt),
        415,
        reason,
      );
    }

    const raw = await this.readWhole(req, res, preRead, action, version, correlationId, startedAt);
    if (raw === undefined) return;
    const decoded = decodeRequestBody(raw, charset);
    if (!decoded.ok) {
      // A body whose bytes are invalid in its encoding is a malformed message, like invalid UTF-8.
      const status = decoded.problem === 'unsupported-media-type' ? 415 : defaultFaultStatus('Sender', version);
      return this.dispatcher.refuse(
        this.message(req, raw, action, version, correlationId, startedAt),
        status,
        decoded.message,
        res,
        this.plainReplies,
      );
    }
    return dispatcher.dispatch(
      this.message(req, decoded.body, action, version, correlationId, startedAt),
      res,
      this.plainReplies,
    );
  }

  /**
   * An MTOM request: the whole package under the body limit, taken apart, the root part decoded (its own
   * charset) and its xop:Include elements replaced by their parts' base64; the reply is MTOM too.
   */
  private async postMtom(
    req: IncomingMessage,
    res: ServerResponse,
    preRead: Buffer | undefined,
    pkg: MtomPackage,
    soapAction: string | undefined,
    correlationId: string,
    startedAt: bigint,
  ): Promise<void> {
    const dispatcher = this.dispatcher;
    const announced =
      pkg.version !== undefined && dispatcher.supports(pkg.version) ? pkg.version : dispatcher.fallbackVersion;
    const raw = await this.readWhole(req, res, preRead, undefined, announced, correlationId, startedAt);
    if (raw === undefined) return;
    let version = announced;
    let action: string | undefined;
    let envelope: Buffer;
    try {
      const xop = readXopPackage(raw, pkg);
      version = dispatcher.supports(xop.version) ? xop.version : announced;
      if (!dispatcher.supports(xop.version)) throw new MtomError(`This endpoint does not accept SOAP ${xop.version}`);
      action = xop.version === '1.1' ? unquoteSoapAction(soapAction) : xop.action;
      const decoded = decodeRequestBody(xop.envelope, xop.charset);
      if (!decoded.ok) {
        const status = decoded.problem === 'unsupported-media-type' ? 415 : defaultFaultStatus('Sender', version);
        return dispatcher.refuse(
          this.message(req, EMPTY, action, version, correlationId, startedAt),
          status,
          decoded.message,
          res,
          HTTP_REPLIES,
        );
      }
      envelope = Buffer.from(inlineXopIncludes(decoded.body.toString('utf8'), xop.attachments), 'utf8');
    } catch (err) {
      if (!(err instanceof MtomError)) throw err;
      return dispatcher.refuse(
        this.message(req, EMPTY, action, version, correlationId, startedAt),
        400,
        `Malformed MTOM request: ${err.message}`,
        res,
        HTTP_REPLIES,
      );
    }
    return dispatcher.dispatch(
      this.message(req, envelope, action, version, correlationId, startedAt),
      res,
      this.mtomReplies,
    );
  }

  /** The whole body under the size and time limits; undefined when it was refused or abandoned (already answered). */
  private async readWhole(
    req: IncomingMessage,
    res: ServerResponse,
    preRead: Buffer | undefined,
    action: string | undefined,
    version: SoapVersion,
    correlationId: string,
    startedAt: bigint,
  ): Promise<Buffer | undefined> {
    const dispatcher = this.dispatcher;
    if (preRead !== undefined) {
      if (preRead.length > this.maxBodyBytes) {
        await this.refuse(
          req,
          res,
          preRead,
          this.message(req, EMPTY, action, version, correlationId, startedAt),
          413,
          tooLargeMessage(this.maxBodyBytes),
        );
        return undefined;
      }
      return preRead;
    }
    if (req.readableEnded) {
      const problem =
        'request body was consumed before the SOAP endpoint saw it (is a body parser mounted in front of it?)';
      await dispatcher.failInternally(
        this.message(req, EMPTY, action, version, correlationId, startedAt),
        problem,
        res,
        HTTP_REPLIES,
      );
      return undefined;
    }
    const read = await readBody(req, this.maxBodyBytes, this.timeoutMs);
    if (read.ok) return read.body;
    const unread = this.message(req, EMPTY, action, version, correlationId, startedAt);
    if (read.problem === 'aborted') {
      res.destroy();
      dispatcher.abandon(unread, read.message);
      return undefined;
    }
    const status = read.problem === 'too-large' ? 413 : read.problem === 'timeout' ? 408 : 400;
    await this.refuse(req, res, preRead, unread, status, read.message);
    return undefined;
  }

  private message(
    req: IncomingMessage,
    raw: Buffer,
    action: string | undefined,
    version: SoapVersion,
    correlationId: string,
    startedAt: bigint,
  ): SoapMessage {
    return { request: new HttpRequestInfo(req, raw, action, this.proxies), version, correlationId, startedAt };
  }

  /** The one refusal before dispatch: a Sender fault with `status`; a body this binding has not read is drained. */
  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    preRead: Buffer | undefined,
    message: SoapMessage,
    status: number,
    reason: string,
  ): Promise<void> {
    if (preRead === undefined) drainUnread(req);
    return this.dispatcher.refuse(message, status, reason, res, HTTP_REPLIES);
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': TEXT_PLAIN });
  res.end(text);
}

function xmlDocument(res: ServerResponse, text: string): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(200, { 'Content-Type': XML_DOC, 'Content-Length': body.length });
  res.end(body);
}

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  plain(res, 404, 'Not found\n');
}

/**
 * Serves endpoints on bare node:http: `routes` maps an exact path (e.g. `/soap/echo`; a trailing slash is
 * tolerated) to its endpoint, everything else goes to `fallback` (another framework, or a plain 404).
 * A Map lookup per request, no pattern matching.
 */
export function soapRequestListener(
  routes: Readonly<Record<string, HttpSoapHandler>>,
  fallback: RequestListener = notFound,
): RequestListener {
  const table = new Map<string, HttpSoapHandler>();
  for (const [path, endpoint] of Object.entries(routes)) {
    if (!path.startsWith('/')) throw new Error(`SOAP endpoint path '${path}' must start with '/'`);
    const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    table.set(bare, endpoint);
    table.set(`${bare}/`, endpoint);
  }
  return (req, res) => {
    const endpoint = table.get(pathOf(req.url ?? '/'));
    if (endpoint === undefined) fallback(req, res);
    else endpoint.handle(req, res);
  };
}
