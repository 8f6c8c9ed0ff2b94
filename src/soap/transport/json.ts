/**
 * The JSON binding: the same operations, handlers, interceptors and exception resolver as the SOAP
 * endpoint, as `POST <base>/<operation>` with the request element's JSON form as the body and the response
 * element's JSON form as the answer (mapping: json-values.ts, docs/json-binding.md). Faults are RFC 9457
 * problem details (json-problem.ts).
 *
 * Like the SOAP binding it owns only the wire: method, content type, reading the body under the size and
 * time limits, parsing JSON; the dispatcher's dispatchValue runs the stages. JSON is parsed after the
 * interceptors (authentication, rate limits) ran, where SOAP decodes, so an unauthenticated caller cannot
 * make us parse a large document.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import { SoapFault } from '../fault';
import type { EngineLogger, OperationRef, SoapExchange, SoapRequestInfo } from '../pipeline';
import {
  describeError,
  type MessageDispatcher,
  type ValueMessage,
  type ValueReplyChannel,
} from '../message-dispatcher';
import { transportCorrelationId } from '../correlation';
import type { CompiledSchema } from '../schema/compile';
import { readBody } from './read-body';
import { pathOf, requestEndpointUrl, type TrustedProxies } from './endpoint-url';
import { PROBLEM_JSON, type ProblemTable } from './json-problem';
import { JsonRejectedError, decodeJson, encodeJson, type JsonValue } from './json-values';
import { writeReply, type HttpSoapHandler } from './http';

export const JSON_CONTENT_TYPE = 'application/json';

export interface JsonBindingOptions {
  readonly dispatcher: MessageDispatcher;
  readonly schema: CompiledSchema;
  readonly problems: ProblemTable;
  /** The path the operations hang under, e.g. '/api/v1/orders'. */
  readonly basePath: string;
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
  readonly requestTimeoutMs: number;
  readonly proxies: TrustedProxies;
  readonly logger: EngineLogger;
}

const EMPTY = Buffer.alloc(0);
const TEXT_PLAIN = 'text/plain; charset=utf-8';
const JSON_UTF8 = `${JSON_CONTENT_TYPE}; charset=utf-8`;

/** The request facts for interceptors; the endpoint URL is only computed when asked for. */
class JsonRequestInfo implements SoapRequestInfo {
  readonly binding = 'json';
  private url: string | undefined;
  constructor(
    private readonly req: IncomingMessage,
    readonly raw: Buffer,
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
  get endpointUrl(): string {
    if (this.url === undefined) this.url = requestEndpointUrl(this.req, pathOf(this.req.url ?? '/'), this.proxies);
    return this.url;
  }
  get clientCertificate(): Buffer | undefined {
    const socket = this.req.socket;
    if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
    const raw = socket.getPeerCertificate().raw as Buffer | undefined;
    return raw === undefined || raw.length === 0 ? undefined : raw;
  }
}

/** "application/json", optionally with charset=utf-8 (JSON is UTF-8, RFC 8259); the +json suffix types too. */
function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [media = '', ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (media !== JSON_CONTENT_TYPE && !/^application\/[a-z0-9.+-]+\+json$/.test(media)) return false;
  return params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

export class JsonBinding implements HttpSoapHandler {
  private readonly replies: ValueReplyChannel<ServerResponse>;

  constructor(private readonly options: JsonBindingOptions) {
    const problems = options.problems;
    const schema = options.schema;
    this.replies = {
      send: sendReply,
      encodeResponse(operation: OperationRef, value: unknown) {
        return { contentType: JSON_UTF8, body: JSON.stringify(encodeJson(schema, operation.output as string, value)) };
      },
      encodeFault(exchange: SoapExchange, fault: SoapFault) {
        const problem = problems.render(fault, exchange.messageId);
        Object.assign(exchange.httpHeaders, problem.headers);
        return { status: problem.status, contentType: PROBLEM_JSON, body: JSON.stringify(problem.body) };
      },
    };
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((err: unknown) => {
      this.options.logger.error('JSON endpoint failed unexpectedly', { error: describeError(err) });
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': TEXT_PLAIN });
        res.end('Internal error\n');
      } else {
        res.destroy();
      }
    });
  }

  handleWithBody(req: IncomingMessage, res: ServerResponse): void {
    this.handle(req, res);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url ?? '/');
    const rest = path.slice(this.options.basePath.length).replace(/^\/+/, '').replace(/\/+$/, '');
    const startedAt = process.hrtime.bigint();
    const message = this.message(req, EMPTY, decodeURIComponent(rest), startedAt);
    if (req.method !== 'POST') {
      drain(req);
      res.setHeader('Allow', 'POST');
      return this.options.dispatcher.refuseValue(
        message,
        405,
        `Method ${req.method ?? ''} not allowed: POST the request as JSON`,
        res,
        this.replies,
      );
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      drain(req);
      const given = req.headers['content-type'] ?? 'none';
      return this.options.dispatcher.refuseValue(
        message,
        415,
        `Content-Type must be ${JSON_CONTENT_TYPE} (UTF-8), not ${given}`,
        res,
        this.replies,
      );
    }
    const read = await readBody(req, this.options.maxBodyBytes, this.options.requestTimeoutMs);
    if (!read.ok) {
      if (read.problem === 'aborted') {
        res.destroy();
        return this.options.dispatcher.abandon(
          { ...message, version: this.options.dispatcher.fallbackVersion },
          read.message,
        );
      }
      drain(req);
      const status = read.problem === 'too-large' ? 413 : read.problem === 'timeout' ? 408 : 400;
      if (status !== 400) res.setHeader('Connection', 'close');
      return this.options.dispatcher.refuseValue(message, status, read.message, res, this.replies);
    }
    return this.options.dispatcher.dispatchValue(
      this.message(req, read.body, message.operation, startedAt),
      res,
      this.replies,
    );
  }

  private message(req: IncomingMessage, raw: Buffer, operation: string, startedAt: bigint): ValueMessage {
    const { schema, maxDepth, maxElements } = this.options;
    return {
      request: new JsonRequestInfo(req, raw, this.options.proxies),
      operation,
      correlationId: transportCorrelationId(req.headers),
      startedAt,
      decode: (op) => {
        try {
          return decodeJson(schema, op.input, parseJson(raw, op.name), { maxDepth, maxElements });
        } catch (err) {
          throw err instanceof JsonRejectedError ? rejectedJsonFault(err) : err;
        }
      },
    };
  }
}

/** The body as JSON; an empty body is an empty object (an operation whose request members are all optional). */
function parseJson(raw: Buffer, operation: string): JsonValue {
  if (raw.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
  } catch {
    throw SoapFault.sender(`The ${operation} request is not valid UTF-8`);
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new SoapFault({
      code: 'Sender',
      reason: `The ${operation} request is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

function rejectedJsonFault(err: JsonRejectedError): SoapFault {
  return new SoapFault({ code: 'Sender', reason: `Rejected JSON: ${err.message}`, httpStatus: 400, cause: err });
}

function sendReply(
  res: ServerResponse,
  exchange: SoapExchange,
  status: number,
  contentType: string | undefined,
  body: string,
): void {
  writeReply(res, exchange, status, contentType, body, 'JSON');
}

/** Reads and discards a body we answer without reading, so the answer is not overtaken by a reset. */
function drain(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  const timer = setTimeout(() => req.socket.destroy(), 5_000);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
