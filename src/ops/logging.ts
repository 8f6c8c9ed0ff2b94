/**
 * JSON-lines logging with winston, and the access-log interceptor (one line per SOAP request).
 */
import type { Writable } from 'node:stream';
import winston from 'winston';
import type { EngineLogger, SoapExchange, SoapInterceptor } from '../soap';
import { clientAddressResolver, type ClientAddressResolver } from './client-address';
import type { LogLevel, LoggingConfig } from '../config';
import { activeTraceId } from './tracing';

/** Adds the active trace's id to every line written while a traced request runs (tracing.enabled). */
const withTraceId = winston.format((info) => {
  const traceId = activeTraceId();
  if (traceId !== undefined) info.trace_id = traceId;
  return info;
});

export interface AppLogger extends EngineLogger {
  /** A logger that adds `fields` to every line it writes. */
  child(fields: Record<string, unknown>): AppLogger;
  isDebugEnabled(): boolean;
}

export interface CreateLoggerOptions {
  /** Where lines go; stdout when absent. */
  stream?: Writable;
  /** Fields on every line (e.g. service name, pid). */
  fields?: Record<string, unknown>;
}

class WinstonAppLogger implements AppLogger {
  constructor(private readonly logger: winston.Logger) {}

  debug(message: string, meta?: Record<string, unknown>): void {
    this.logger.debug(message, meta);
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.logger.info(message, meta);
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.logger.warn(message, meta);
  }
  error(message: string, meta?: Record<string, unknown>): void {
    this.logger.error(message, meta);
  }
  child(fields: Record<string, unknown>): AppLogger {
    return new WinstonAppLogger(this.logger.child(fields));
  }
  isDebugEnabled(): boolean {
    return this.logger.isDebugEnabled();
  }
}

/** Where winston reads a line's final text (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');
const winstonJson = winston.format.json();

/**
 * JSON lines with JSON.stringify. winston's json format configures safe-stable-stringify afresh for every
 * line and sorts the keys: ~25 of the ~45 µs an access line cost (one per request). What JSON.stringify
 * cannot write (bigint, cycles) still goes through winston's json format.
 */
const jsonLines = winston.format((info) => {
  try {
    (info as unknown as Record<symbol, unknown>)[MESSAGE] = JSON.stringify(info);
    return info;
  } catch {
    return winstonJson.transform(info, winstonJson.options);
  }
});

export function createLogger(
  config: Pick<LoggingConfig, 'level'> & Partial<Pick<LoggingConfig, 'format'>>,
  options: CreateLoggerOptions = {},
): AppLogger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  const logger = winston.createLogger({
    level: config.level satisfies LogLevel,
    levels: winston.config.npm.levels,
    format: winston.format.combine(
      winston.format.timestamp(),
      withTraceId(),
      winston.format.errors({ stack: true }),
      jsonLines(),
    ),
    defaultMeta: options.fields,
    transports: [transport],
  });
  return new WinstonAppLogger(logger);
}

/** Element local names whose content never reaches a log. */
export const ALWAYS_MASKED_FIELDS: readonly string[] = ['Password', 'Nonce', 'SignatureValue', 'BinarySecurityToken'];

const MASK = '***';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** A complete, well-formed start tag after the element name: quoted attributes, optional '/', '>'. */
const START_TAG_REST = /(?:\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(\/?)>/y;

/**
 * Where the content of an element that started at `from` ends: at its end tag `</qname>` (CDATA sections
 * skipped, so a "</Name>" inside one cannot end it early), or, when there is none, at the end of the text.
 * Answers [content end, end of the end tag].
 */
function contentEnd(xml: string, from: number, endTag: RegExp): [number, number] {
  endTag.lastIndex = from;
  let close = endTag.exec(xml);
  let cdata = xml.indexOf('<![CDATA[', from);
  while (cdata !== -1 && (close === null || cdata < close.index)) {
    const after = xml.indexOf(']]>', cdata + 9);
    if (after === -1) return [xml.length, xml.length];
    if (close !== null && close.index < after + 3) {
      // That end tag was inside the CDATA section: look again behind it (each character is passed once).
      endTag.lastIndex = after + 3;
      close = endTag.exec(xml);
    }
    cdata = xml.indexOf('<![CDATA[', after + 3);
  }
  return close === null ? [xml.length, xml.length] : [close.index, close.index + close[0].length];
}

/**
 * Builds a function that replaces the content of every element whose local name is listed (any prefix or
 * none, case-insensitive), CDATA included, with `***`. It never relies on the message being well-formed:
 * a start tag that is not complete and well-formed is masked from the element name on, and content whose
 * end tag is missing or misspelt is masked to the end of the text (a malformed message logged at debug
 * level may lose more than its secrets, never less). The name expression is compiled once here.
 */
export function createXmlMasker(extraFields: readonly string[] = []): (xml: string) => string {
  const names = [...new Set([...ALWAYS_MASKED_FIELDS, ...extraFields])].map(escapeRegExp).join('|');
  const start = new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?(?:${names}))(?=[\\s/>]|$)`, 'gi');
  const endTags = new Map<string, RegExp>();
  return (xml: string) => {
    let out = '';
    let copied = 0;
    start.lastIndex = 0;
    for (let match = start.exec(xml); match !== null; match = start.exec(xml)) {
      const qname = match[1]!;
      const afterName = match.index + match[0].length;
      START_TAG_REST.lastIndex = afterName;
      const rest = START_TAG_REST.exec(xml);
      if (rest === null) {
        // Not a start tag we can read: nothing after the name is trusted to be markup.
        out += `${xml.slice(copied, afterName)} ***`;
        copied = xml.length;
        break;
      }
      const contentStart = afterName + rest[0].length;
      if (rest[1] === '/') continue; // <Name/>: nothing to hide
      let endTag = endTags.get(qname);
      if (endTag === undefined) {
        // Prefixes come from the message: the cache is bounded, and simply starts over when full.
        if (endTags.size >= 64) endTags.clear();
        endTag = new RegExp(`</${escapeRegExp(qname)}\\s*>`, 'gi');
        endTags.set(qname, endTag);
      }
      const [end, resume] = contentEnd(xml, contentStart, endTag);
      out += `${xml.slice(copied, contentStart)}${MASK}${xml.slice(end, resume)}`;
      copied = resume;
      start.lastIndex = resume;
    }
    return out + xml.slice(copied);
  };
}

export interface AccessLogOptions {
  /** Extra element names masked in debug dumps (logging.maskFields). */
  maskFields?: readonly string[];
  /** Label for the endpoint, e.g. 'v1'. */
  service?: string;
  /** Proxies whose X-Forwarded-For names the client (server.trustedProxies); logged as clientAddress. */
  trustedProxies?: readonly string[];
}

export type AccessLogger = EngineLogger & { isDebugEnabled?(): boolean };

function clark(ns: string, local: string): string {
  return ns ? `{${ns}}${local}` : local;
}

/** 'ok', 'fault' (a fault or an HTTP error was sent) or 'aborted' (the client went away; nothing sent). */
export function outcomeOf(exchange: SoapExchange): 'ok' | 'fault' | 'aborted' {
  if (exchange.fault !== undefined) return 'fault';
  if (exchange.status === 0) return 'aborted';
  return exchange.status !== undefined && exchange.status >= 400 ? 'fault' : 'ok';
}

/** The fields of one access-log line. Exported for tests and for other sinks. */
export function accessLogFields(
  exchange: SoapExchange,
  service?: string,
  clientAddress?: ClientAddressResolver,
): Record<string, unknown> {
  const durationMs = Number(process.hrtime.bigint() - exchange.startedAt) / 1e6;
  const fault = exchange.fault;
  const status = exchange.status;
  return {
    type: 'access',
    ...(service === undefined ? {} : { service }),
    operation: exchange.operation?.name ?? null,
    partner: exchange.principal?.name ?? null,
    partnerId: exchange.principal?.id ?? null,
    soapVersion: exchange.envelope?.version ?? null,
    ...(exchange.request.binding === 'json' ? { binding: 'json' } : {}),
    outcome: outcomeOf(exchange),
    faultCode: fault?.code ?? null,
    faultSubcode: fault?.subcode ? clark(fault.subcode.ns, fault.subcode.local) : null,
    status: status ?? null,
    durationMs: Math.round(durationMs * 1000) / 1000,
    bytesIn: exchange.request.raw.length,
    bytesOut: exchange.bytesOut ?? null,
    requestId: exchange.messageId,
    remoteAddress: exchange.request.remoteAddress,
    ...(clientAddress === undefined ? {} : { clientAddress: clientAddress(exchange.request) }),
    method: exchange.request.method,
  };
}

/**
 * Writes one `access` line per request once the response is sent. At debug level the line also carries the
 * request and response XML with secrets masked; masking is skipped entirely at higher levels.
 */
export function accessLogInterceptor(logger: AccessLogger, options: AccessLogOptions = {}): SoapInterceptor {
  const mask = createXmlMasker(options.maskFields);
  const clientAddress =
    options.trustedProxies === undefined || options.trustedProxies.length === 0
      ? undefined
      : clientAddressResolver(options.trustedProxies);
  return {
    name: 'access-log',
    afterCompletion(exchange: SoapExchange): void {
      try {
        const fields = accessLogFields(exchange, options.service, clientAddress);
        // Message dumps are masked by XML element name; JSON bodies are not dumped (their masking is not written yet).
        if (logger.isDebugEnabled?.() === true && exchange.request.binding !== 'json') {
          fields.requestXml = mask(exchange.request.raw.toString('utf8'));
          if (exchange.response !== undefined) fields.responseXml = mask(exchange.response.xml);
          if (exchange.fault !== undefined) fields.faultReason = exchange.fault.reason;
        }
        logger.info('access', fields);
      } catch (error) {
        // afterCompletion must not throw; a broken log line must not break the response path.
        logger.error('access log failed', { error: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}
