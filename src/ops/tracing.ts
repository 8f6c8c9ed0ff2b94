/**
 * Tracing with OpenTelemetry, off by default (tracing.enabled). When on: a W3C `traceparent` on the request
 * is continued (else a trace starts here); one SERVER span per HTTP request, a child span per interceptor
 * phase and per handler call, and one per database query (knex's query events), all in the request's trace
 * through the async context; the trace id goes into every log line (logging.ts reads the active span) and
 * becomes the request's correlation id when the client sent none, so a generic fault's "reference" is the
 * trace id. Spans are exported over OTLP/HTTP when tracing.otlpEndpoint is set; tests pass an in-memory
 * exporter. When off, nothing here is on the request path.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { SoapExchange, SoapInterceptor } from '../soap';
import type { TracingConfig } from '../config';

const REQUEST_ID_HEADER = 'x-request-id';

export interface Tracing {
  readonly enabled: boolean;
  /** Wraps the HTTP listener: one SERVER span per request, continuing an incoming traceparent. */
  instrumentListener(listener: RequestListener): RequestListener;
  /** The interceptor with a span around each of its phases (handleRequest, handleResponse, handleFault). */
  instrumentInterceptor(interceptor: SoapInterceptor): SoapInterceptor;
  /** The handler set with a span around each operation's call. */
  instrumentHandlers<H extends object>(handlers: H, service: string): H;
  /** One span per query of this knex instance, in the trace of whatever issued it. */
  observeQueries(knex: KnexEvents, system: string): void;
  /** Flushes and stops exporting. */
  shutdown(): Promise<void>;
}

/** The slice of a knex instance tracing listens to. */
export interface KnexEvents {
  on(event: 'query', listener: (query: { __knexQueryUid?: string; sql?: string; method?: string }) => void): unknown;
  on(event: 'query-response', listener: (response: unknown, query: { __knexQueryUid?: string }) => void): unknown;
  on(event: 'query-error', listener: (error: Error, query: { __knexQueryUid?: string }) => void): unknown;
}

export interface TracingOptions {
  /** Replaces the OTLP exporter (tests: InMemorySpanExporter); spans are then exported one by one. */
  exporter?: SpanExporter;
}

/** The active span's trace id, for log lines; undefined outside a traced request. */
export function activeTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  const id = span?.spanContext().traceId;
  return id === undefined || /^0+$/.test(id) ? undefined : id;
}

const NOT_TRACING: Tracing = {
  enabled: false,
  instrumentListener: (listener) => listener,
  instrumentInterceptor: (interceptor) => interceptor,
  instrumentHandlers: (handlers) => handlers,
  observeQueries: () => undefined,
  shutdown: async () => undefined,
};

function errorOf(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs `work` (sync or async) as the active span's body; ends the span when it settles, recording a failure. */
function within<T>(tracer: Tracer, name: string, work: () => T): T {
  return tracer.startActiveSpan(name, (span: Span): T => {
    const fail = (error: unknown) => {
      span.recordException(errorOf(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorOf(error).message });
      span.end();
    };
    let result: T;
    try {
      result = work();
    } catch (error) {
      fail(error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(error);
          throw error;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

export function createTracing(config: TracingConfig, options: TracingOptions = {}): Tracing {
  if (!config.enabled) return NOT_TRACING;
  const exporter =
    options.exporter ??
    (config.otlpEndpoint === null ? undefined : new OTLPTraceExporter({ url: config.otlpEndpoint }));
  const processors: SpanProcessor[] = [];
  if (exporter !== undefined)
    processors.push(
      options.exporter !== undefined ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.samplePercent / 100) }),
    spanProcessors: processors,
  });
  // Installs the async-context manager the spans and the log lines rely on (the first registration in a
  // process wins; later providers, e.g. another app in a test, still use it through their own tracer).
  provider.register();
  const tracer = provider.getTracer('partner-orders');
  const propagator = new W3CTraceContextPropagator();
  const headerGetter = {
    keys: (carrier: IncomingMessage['headers']) => Object.keys(carrier),
    get: (carrier: IncomingMessage['headers'], key: string) => carrier[key],
  };

  return {
    enabled: true,
    instrumentListener(listener) {
      return (req: IncomingMessage, res: ServerResponse) => {
        const parent: Context = propagator.extract(ROOT_CONTEXT, req.headers, headerGetter);
        const path = (req.url ?? '/').split('?')[0];
        const span = tracer.startSpan(
          `${req.method ?? 'GET'} ${path}`,
          {
            kind: SpanKind.SERVER,
            attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method ?? 'GET', [ATTR_URL_PATH]: path },
          },
          parent,
        );
        const traceId = span.spanContext().traceId;
        // The correlation id (X-Request-Id, quoted in generic faults as their reference) is the trace id
        // unless the client chose one.
        if (req.headers[REQUEST_ID_HEADER] === undefined) req.headers[REQUEST_ID_HEADER] = traceId;
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
          if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        };
        res.once('finish', end);
        res.once('close', end);
        context.with(trace.setSpan(parent, span), () => listener(req, res));
      };
    },
    instrumentInterceptor(interceptor) {
      const traced: SoapInterceptor = { ...interceptor };
      const phases = ['handleRequest', 'handleResponse', 'handleFault'] as const;
      for (const phase of phases) {
        const original = interceptor[phase] as ((exchange: SoapExchange, ...rest: never[]) => unknown) | undefined;
        if (original === undefined) continue;
        const name = `interceptor ${interceptor.name} ${phase}`;
        (traced as unknown as Record<string, unknown>)[phase] = (exchange: SoapExchange, ...rest: never[]) =>
          within(tracer, name, () => original.call(interceptor, exchange, ...rest));
      }
      return traced;
    },
    instrumentHandlers<H extends object>(handlers: H, service: string): H {
      const traced: Record<string, unknown> = {};
      for (const [operation, value] of Object.entries(handlers)) {
        traced[operation] =
          typeof value === 'function'
            ? (...args: unknown[]) =>
                within(tracer, `handler ${service}.${operation}`, () =>
                  (value as (...a: unknown[]) => unknown).apply(handlers, args),
                )
            : value;
      }
      return traced as H;
    },
    observeQueries(knex, system) {
      const open = new Map<string, Span>();
      knex.on('query', (query) => {
        if (query.__knexQueryUid === undefined) return;
        const operation = (query.method ?? query.sql?.split(/\s/, 1)[0] ?? 'query').toLowerCase();
        const span = tracer.startSpan(`db ${operation}`, {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_DB_SYSTEM_NAME]: system,
            [ATTR_DB_OPERATION_NAME]: operation,
            [ATTR_DB_QUERY_TEXT]: query.sql ?? '',
          },
        });
        open.set(query.__knexQueryUid, span);
      });
      const finish = (uid: string | undefined, error?: Error) => {
        if (uid === undefined) return;
        const span = open.get(uid);
        if (span === undefined) return;
        open.delete(uid);
        if (error !== undefined) {
          span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        }
        span.end();
      };
      knex.on('query-response', (_response, query) => finish(query.__knexQueryUid));
      knex.on('query-error', (error, query) => finish(query.__knexQueryUid, error));
    },
    shutdown: () => provider.shutdown(),
  };
}
