/**
 * The JSON binding of one WSDL service (see json.ts), built like createSoapEndpoint: its own dispatcher
 * over the same contract, handlers, exception resolver and interceptor kinds, so both bindings behave
 * alike. Start-up checks are the dispatcher's (service, handlers) and the problem table's (fault statuses).
 */
import { DEFAULT_LIMITS, DEFAULT_REQUEST_TIMEOUT_MS, type SoapLimits } from '../endpoint';
import { MessageDispatcher } from '../message-dispatcher';
import type { EngineLogger, ExceptionResolver, HandlerSet, SoapInterceptor } from '../pipeline';
import { SchemaViolationError } from '../fault';
import { compileSchema } from '../schema/compile';
import { decodeElement } from '../schema/decode';
import { parseXmlFast } from '../xml/fast';
import { XmlRejectedError } from '../xml/guard';
import { encodeJson, type JsonValue } from './json-values';
import type { ContractModel } from '../schema/model';
import { TrustedProxies } from './endpoint-url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpSoapHandler } from './http';
import { JsonBinding } from './json';
import { ProblemTable, type ProblemOptions } from './json-problem';

export interface JsonEndpointOptions<H extends HandlerSet<H>> extends ProblemOptions {
  readonly contract: ContractModel;
  readonly service: string;
  readonly handlers: H;
  /** The path the operations hang under, e.g. '/api/v1/orders' (POST <basePath>/<Operation>). */
  readonly basePath: string;
  readonly interceptors?: readonly SoapInterceptor[];
  readonly exceptionResolver?: ExceptionResolver;
  /** The SOAP endpoint's limits: body bytes, and depth / element count counted on the request's element tree. */
  readonly limits?: Partial<SoapLimits>;
  readonly trustedProxies?: readonly string[];
  readonly logger?: EngineLogger;
  readonly requestTimeoutMs?: number;
}

export interface JsonEndpoint extends HttpSoapHandler {
  readonly basePath: string;
  readonly dispatcher: MessageDispatcher;
  /** The problem table (declared faults' types and statuses), for the OpenAPI document. */
  readonly problems: ProblemTable;
  /** The JSON form of an element given as XML (e.g. a generated sample); undefined when it does not decode. */
  jsonOfXml(elementKey: string, xml: string): JsonValue | undefined;
}

const quietLogger: EngineLogger = {
  debug() {},
  info() {},
  warn(message) {
    process.stderr.write(`[json] warn: ${message}\n`);
  },
  error(message) {
    process.stderr.write(`[json] error: ${message}\n`);
  },
};

export function createJsonEndpoint<H extends HandlerSet<H>>(options: JsonEndpointOptions<H>): JsonEndpoint {
  const logger = options.logger ?? quietLogger;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const dispatcher = new MessageDispatcher({
    contract: options.contract,
    service: options.service,
    handlers: options.handlers,
    interceptors: options.interceptors ?? [],
    exceptionResolver: options.exceptionResolver,
    limits,
    logger,
  });
  const schema = compileSchema(options.contract.schema);
  const problems = new ProblemTable(options.contract, schema, options);
  const binding = new JsonBinding({
    ...options,
    dispatcher,
    problems,
    schema,
    maxBodyBytes: limits.maxBodyBytes,
    maxDepth: limits.maxDepth,
    maxElements: limits.maxElements,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    proxies: new TrustedProxies(options.trustedProxies ?? []),
    logger,
  });
  return {
    basePath: options.basePath,
    dispatcher,
    problems,
    jsonOfXml(elementKey, xml) {
      try {
        return encodeJson(schema, elementKey, decodeElement(schema, elementKey, parseXmlFast(xml, { limits })));
      } catch (err) {
        if (err instanceof SchemaViolationError || err instanceof XmlRejectedError) return undefined;
        throw err;
      }
    },
    handle: (req, res) => binding.handle(req, res),
    handleWithBody: (req, res) => binding.handle(req, res),
  };
}

/**
 * A request listener serving JSON endpoints under their base paths and JSON documents (OpenAPI) at exact
 * paths (GET/HEAD; serialized once here), everything else through `fallback`.
 */
export function jsonRequestListener(
  endpoints: readonly JsonEndpoint[],
  documents: Readonly<Record<string, object>>,
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const bases = endpoints.map((e) => ({ base: e.basePath.replace(/\/+$/, ''), endpoint: e }));
  const texts = new Map(Object.entries(documents).map(([path, doc]) => [path, JSON.stringify(doc, null, 2)]));
  return (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0] ?? '/';
    const text = texts.get(path);
    if (text !== undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
        res.end('GET the document\n');
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Access-Control-Allow-Origin': '*',
      });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    for (const { base, endpoint } of bases) {
      if (path.startsWith(`${base}/`)) return endpoint.handle(req, res);
    }
    fallback(req, res);
  };
}
