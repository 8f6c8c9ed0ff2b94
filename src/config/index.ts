/**
 * Start-up configuration: node-config reads `config/` (default, <NODE_ENV>, custom-environment-variables,
 * NODE_CONFIG), then `parseConfig` checks every key and returns a typed, frozen `AppConfig`. A bad value
 * stops start-up with a `ConfigError` naming every offending key and what was expected.
 *
 * Adding a key (the checks refuse any key that is not read here, so all four steps are needed):
 *   1. its default in config/default.json (the only place defaults live);
 *   2. its environment variable, if any, in config/custom-environment-variables.json;
 *   3. a typed field in the section's interface below;
 *   4. one reader call in `parseConfig` (e.g. `redisSection.int('commandTimeoutMs', 1, MAX_MS)`), plus any
 *      cross-key check right after the section is read.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { redactUrl } from './redact-url';

export interface HttpsConfig {
  readonly certFile: string | null;
  readonly keyFile: string | null;
  readonly caFile: string | null;
  readonly requestClientCert: boolean;
}

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** IPs or CIDRs of reverse proxies whose X-Forwarded-* headers are believed; empty trusts none. */
  readonly trustedProxies: readonly string[];
  readonly https: HttpsConfig;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownGraceMs: number;
  /**
   * On SIGTERM/SIGINT /readyz answers 503 at once, but the listener keeps accepting and answering for this
   * long, so load balancers (and Kubernetes endpoints) stop routing here before connections are refused.
   */
  readonly drainDelayMs: number;
  readonly workers: number;
  /** V8 heap growth past the last full collection's survivors, in percent (0: V8's own heuristics); see ops/heap.ts. */
  readonly heapGrowingPercent: number;
}

export interface SoapLimitsConfig {
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
}

export interface JsonBindingConfig {
  readonly enabled: boolean;
  /**
   * Accept HTTP Basic on requests that did not arrive over HTTPS (the service behind a TLS-terminating
   * proxy not listed in server.trustedProxies, or a development machine). Default false: refused with 403.
   */
  readonly basicOverPlainHttp: boolean;
}

export interface DatabaseConfig {
  /** postgres://, mysql://, mssql://, sqlite: URL; null uses SQLite at `sqlite.filename`. */
  readonly url: string | null;
  readonly sqlite: { readonly filename: string };
  readonly pool: { readonly min: number; readonly max: number };
  readonly acquireTimeoutMs: number;
  readonly statementTimeoutMs: number;
}

export interface RedisConfig {
  /** redis:// or rediss:// URL; null means no Redis (single instance: memory stores). */
  readonly url: string | null;
  readonly keyPrefix: string;
  readonly connectTimeoutMs: number;
  /** Longest any Redis command may take before it counts as failed and the fallback answers. */
  readonly commandTimeoutMs: number;
  /** The circuit breaker in front of Redis (src/ops/redis.ts). */
  readonly circuit: { readonly failureThreshold: number; readonly probeIntervalMs: number };
}

export type StoreKind = 'memory' | 'redis';

export interface SecurityConfig {
  /** Key material for encrypting stored digest secrets; from SECRETS_KEY. */
  readonly secretKey: string;
  readonly timestamp: { readonly maxAgeSeconds: number; readonly futureSkewSeconds: number };
  /** Entries live as long as a Timestamp is acceptable (maxAgeSeconds + futureSkewSeconds). */
  /** 'auto' keeps seen nonces/signatures in Redis when redis.url is set, so every instance refuses a replay. */
  /**
   * whenRedisUnavailable: with the Redis store, 'per-instance' checks replays in this instance's memory while
   * Redis is down (a message replayed to another instance in that time is not caught); 'refuse' answers
   * 503 + Retry-After to every request that needs the replay cache instead.
   */
  readonly replayCache: {
    readonly store: 'auto' | StoreKind;
    readonly maxEntries: number;
    readonly whenRedisUnavailable: 'per-instance' | 'refuse';
  };
  readonly signing: { readonly keyFile: string | null; readonly certFile: string | null };
}

export interface WindowLimit {
  /** Requests allowed per window. */
  readonly points: number;
  readonly durationSeconds: number;
}

export interface AuthFailureLimits extends WindowLimit {
  readonly addressPoints: number;
  readonly blockSeconds: number;
}

export interface PartnerLimit extends WindowLimit {
  readonly maxInFlight: number;
}

export interface RateLimitsConfig {
  /** Per partner, all operations together. */
  readonly partner: PartnerLimit;
  /** Per partner and operation, unless `operations` names the operation. */
  readonly operation: WindowLimit;
  /** Per-operation defaults by operation name (e.g. SubmitOrder). */
  readonly operations: Readonly<Record<string, WindowLimit>>;
  /** Traffic without an authenticated principal, keyed by client address. */
  readonly unauthenticated: PartnerLimit;
  /**
   * Failed authentications per client address and username (`points`) and per client address
   * (`addressPoints`); over a limit further attempts are refused for blockSeconds.
   */
  readonly authFailures: AuthFailureLimits;
  /** Where request windows are counted; 'auto' uses Redis when redis.url is set. */
  readonly store: 'auto' | StoreKind;
  /** Where in-flight requests are counted: per instance ('memory') or across instances ('redis' leases). */
  readonly inFlightStore: StoreKind;
  /** Longest a Redis in-flight lease lives: a dead instance's slots free after this. */
  readonly inFlightLeaseSeconds: number;
  /** How long a partner's override from the database is reused. */
  readonly overrideCacheSeconds: number;
}

export interface CacheConfig {
  readonly catalog: { readonly ttlSeconds: number; readonly maxEntries: number };
  readonly stock: { readonly ttlSeconds: number; readonly maxEntries: number };
  /** PasswordText credentials proven by scrypt (src/soap/security/verified-passwords.ts); TTL 0 = off. */
  readonly verifiedCredentials: { readonly ttlSeconds: number; readonly maxEntries: number };
  readonly invalidationChannel: string;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LoggingConfig {
  readonly level: LogLevel;
  readonly format: 'json';
  /** Extra element local names whose content is masked in debug message dumps. */
  readonly maskFields: readonly string[];
  readonly accessLog: boolean;
}

export interface MetricsConfig {
  readonly enabled: boolean;
  readonly path: string;
  readonly collectDefaultMetrics: boolean;
}

export interface VersionPolicy {
  readonly deprecated: boolean;
  /** When the deprecation took effect (ISO 8601); null sends `Deprecation: true` when deprecated. */
  readonly deprecatedSince: string | null;
  /** ISO 8601 date after which the version goes away; sent as `Sunset`. */
  readonly sunset: string | null;
  /** A documentation URL sent as `Link: <...>; rel="deprecation"`. */
  readonly link: string | null;
}

export interface AppConfig {
  /** NODE_ENV at load time. */
  readonly env: string;
  readonly server: ServerConfig;
  readonly soap: { readonly limits: SoapLimitsConfig };
  /** The JSON binding (/api/<version>/...): on or off, and whether HTTP Basic is accepted over plain HTTP. */
  readonly json: JsonBindingConfig;
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly security: SecurityConfig;
  /** Key for signing/encrypting paging tokens; from PAGING_TOKEN_KEY. */
  readonly pagingTokenKey: string;
  readonly rateLimits: RateLimitsConfig;
  readonly cache: CacheConfig;
  readonly logging: LoggingConfig;
  readonly metrics: MetricsConfig;
  readonly health: { readonly checkTimeoutMs: number };
  readonly tracing: TracingConfig;
  /** Lifecycle of each contract version, keyed by version folder name (v1, v2, ...). */
  readonly versions: Readonly<Record<string, VersionPolicy>>;
}

/** OpenTelemetry tracing (src/ops/tracing.ts); off by default. */
export interface TracingConfig {
  readonly enabled: boolean;
  /** The service.name resource attribute. */
  readonly serviceName: string;
  /** OTLP/HTTP traces URL (e.g. http://collector:4318/v1/traces); null exports nothing. */
  readonly otlpEndpoint: string | null;
  /** Share of new traces recorded; a request carrying a sampled traceparent is always recorded. */
  readonly samplePercent: number;
}

export interface ConfigIssue {
  readonly key: string;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.key}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Marks committed development/test keys; production refuses them. */
const DEV_KEY_MARKER = 'DEV-ONLY-INSECURE';
const MIN_SECRET_LENGTH = 32;
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

type Raw = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one object level, collecting issues instead of throwing so every bad key is reported at once. */
class Section {
  private readonly seen = new Set<string>();

  constructor(
    private readonly raw: Raw,
    private readonly prefix: string,
    private readonly issues: ConfigIssue[],
  ) {}

  private key(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  private value(name: string): unknown {
    this.seen.add(name);
    return this.raw[name];
  }

  fail(name: string, expected: string, got: unknown): void {
    this.issues.push({ key: this.key(name), message: `expected ${expected}, got ${describe(got)}` });
  }

  section(name: string): Section {
    const value = this.value(name);
    if (isRecord(value)) return new Section(value, this.key(name), this.issues);
    this.fail(name, 'an object', value);
    return new Section({}, this.key(name), this.issues);
  }

  /** Child objects of a map-valued key, by name. */
  entries(name: string): [string, Section][] {
    const value = this.value(name);
    if (value === undefined || value === null) return [];
    if (!isRecord(value)) {
      this.fail(name, 'an object', value);
      return [];
    }
    const sections: [string, Section][] = [];
    for (const [child, childValue] of Object.entries(value)) {
      if (isRecord(childValue))
        sections.push([child, new Section(childValue, `${this.key(name)}.${child}`, this.issues)]);
      else
        this.issues.push({
          key: `${this.key(name)}.${child}`,
          message: `expected an object, got ${describe(childValue)}`,
        });
    }
    return sections;
  }

  /** Environment variables arrive as strings; integers are accepted in decimal text form. */
  int(name: string, min: number, max: number): number {
    const value = this.value(name);
    const parsed = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed >= min && parsed <= max) return parsed;
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    this.fail(name, `an integer ${range}`, value);
    return min;
  }

  bool(name: string): boolean {
    const value = this.value(name);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const text = value.trim().toLowerCase();
      if (text === 'true' || text === '1' || text === 'yes') return true;
      if (text === 'false' || text === '0' || text === 'no') return false;
    }
    this.fail(name, 'a boolean (true/false)', value);
    return false;
  }

  string(name: string, expected = 'a non-empty string'): string {
    const value = this.value(name);
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.fail(name, expected, value);
    return '';
  }

  /** null, absent or empty means "not configured". */
  optionalString(name: string): string | null {
    const value = this.value(name);
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'string') return value;
    this.fail(name, 'a string or null', value);
    return null;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.value(name);
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
    return allowed[0];
  }

  /** A JSON array of strings, or (from the environment) a comma-separated list. */
  stringList(name: string): string[] {
    const value = this.value(name);
    if (value === undefined || value === null || value === '') return [];
    if (typeof value === 'string') {
      return value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    }
    if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string' && v.trim() !== '')) {
      return [...value];
    }
    this.fail(name, 'a list of non-empty strings (or a comma-separated string)', value);
    return [];
  }

  optionalUrl(name: string, protocols: readonly string[]): string | null {
    const value = this.optionalString(name);
    if (value === null) return null;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== undefined && protocols.includes(protocol)) return value;
    this.fail(name, `a URL with scheme ${protocols.join(' or ')}`, redactUrl(value));
    return null;
  }

  optionalDate(name: string): string | null {
    const value = this.optionalString(name);
    if (value === null) return null;
    if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value))) {
      return value;
    }
    this.fail(name, 'an ISO 8601 date (e.g. 2027-06-30 or 2027-06-30T00:00:00Z)', value);
    return null;
  }

  /** Reports keys nobody read: typos in config files must not be silently ignored. */
  done(): void {
    for (const name of Object.keys(this.raw)) {
      if (!this.seen.has(name)) this.issues.push({ key: this.key(name), message: 'unknown key' });
    }
  }
}

function readSecret(section: Section, name: string, envVar: string, env: string): string {
  const value = section.optionalString(name);
  if (value === null || value.length < MIN_SECRET_LENGTH) {
    section.fail(
      name,
      `a secret of at least ${MIN_SECRET_LENGTH} characters (set ${envVar}; generate one with: openssl rand -base64 48)`,
      value === null ? undefined : '<redacted>',
    );
    return '';
  }
  if (env === 'production' && value.includes(DEV_KEY_MARKER)) {
    section.fail(
      name,
      `a real secret from ${envVar} in production, not the committed development key (generate one with: openssl rand -base64 48)`,
      '<development key>',
    );
    return '';
  }
  return value;
}

function readWindow(section: Section): WindowLimit {
  return {
    points: section.int('points', 1, Number.MAX_SAFE_INTEGER),
    durationSeconds: section.int('durationSeconds', 1, 86_400),
  };
}

function readAuthFailures(section: Section): AuthFailureLimits {
  const limit = {
    ...readWindow(section),
    addressPoints: section.int('addressPoints', 1, Number.MAX_SAFE_INTEGER),
    blockSeconds: section.int('blockSeconds', 0, 86_400),
  };
  section.done();
  return limit;
}

function isIpOrCidr(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function readPartnerLimit(section: Section): PartnerLimit {
  const limit = { ...readWindow(section), maxInFlight: section.int('maxInFlight', 1, 100_000) };
  section.done();
  return limit;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const MAX_MS = 24 * 3600 * 1000;

/** Validates a raw configuration object (as node-config merged it) into a frozen `AppConfig`. */
export function parseConfig(raw: unknown, env: string = process.env.NODE_ENV ?? 'development'): AppConfig {
  const issues: ConfigIssue[] = [];
  const root = new Section(isRecord(raw) ? raw : {}, '', issues);

  const serverSection = root.section('server');
  const httpsSection = serverSection.section('https');
  const https: HttpsConfig = {
    certFile: httpsSection.optionalString('certFile'),
    keyFile: httpsSection.optionalString('keyFile'),
    caFile: httpsSection.optionalString('caFile'),
    requestClientCert: httpsSection.bool('requestClientCert'),
  };
  if ((https.certFile === null) !== (https.keyFile === null)) {
    httpsSection.fail(
      https.certFile === null ? 'certFile' : 'keyFile',
      'both certFile and keyFile (HTTPS needs both) or neither',
      null,
    );
  }
  if (https.requestClientCert && https.certFile === null) {
    httpsSection.fail(
      'requestClientCert',
      'false unless certFile and keyFile are set (client certificates need HTTPS)',
      true,
    );
  }
  if (https.requestClientCert && https.caFile === null) {
    httpsSection.fail('caFile', 'a CA bundle file when requestClientCert is true', null);
  }
  httpsSection.done();
  const server: ServerConfig = {
    port: serverSection.int('port', 0, 65_535),
    host: serverSection.string('host', 'a host name or address'),
    trustedProxies: serverSection.stringList('trustedProxies'),
    https,
    headersTimeoutMs: serverSection.int('headersTimeoutMs', 1, MAX_MS),
    requestTimeoutMs: serverSection.int('requestTimeoutMs', 0, MAX_MS),
    keepAliveTimeoutMs: serverSection.int('keepAliveTimeoutMs', 0, MAX_MS),
    shutdownGraceMs: serverSection.int('shutdownGraceMs', 0, MAX_MS),
    drainDelayMs: serverSection.int('drainDelayMs', 0, MAX_MS),
    workers: serverSection.int('workers', 1, 256),
    heapGrowingPercent: serverSection.int('heapGrowingPercent', 0, 1000),
  };
  for (const entry of server.trustedProxies) {
    if (!isIpOrCidr(entry)) serverSection.fail('trustedProxies', 'IP addresses or CIDRs (e.g. 10.0.0.0/8, ::1)', entry);
  }
  if (server.requestTimeoutMs !== 0 && server.headersTimeoutMs > server.requestTimeoutMs) {
    serverSection.fail(
      'headersTimeoutMs',
      `at most server.requestTimeoutMs (${server.requestTimeoutMs})`,
      server.headersTimeoutMs,
    );
  }
  serverSection.done();

  const soapSection = root.section('soap');
  const limitsSection = soapSection.section('limits');
  const soap = {
    limits: {
      maxBodyBytes: limitsSection.int('maxBodyBytes', 1024, 1024 * 1024 * 1024),
      maxDepth: limitsSection.int('maxDepth', 4, 10_000),
      maxElements: limitsSection.int('maxElements', 16, 100_000_000),
    },
  };
  limitsSection.done();
  soapSection.done();

  const jsonSection = root.section('json');
  const json: JsonBindingConfig = {
    enabled: jsonSection.bool('enabled'),
    basicOverPlainHttp: jsonSection.bool('basicOverPlainHttp'),
  };
  jsonSection.done();

  const dbSection = root.section('database');
  const sqliteSection = dbSection.section('sqlite');
  const poolSection = dbSection.section('pool');
  const database: DatabaseConfig = {
    url: dbSection.optionalUrl('url', [
      'postgres:',
      'postgresql:',
      'mysql:',
      'mariadb:',
      'mssql:',
      'sqlserver:',
      'sqlite:',
      'file:',
    ]),
    sqlite: { filename: sqliteSection.string('filename', 'a file path or ":memory:"') },
    pool: { min: poolSection.int('min', 0, 1000), max: poolSection.int('max', 1, 1000) },
    acquireTimeoutMs: dbSection.int('acquireTimeoutMs', 1, MAX_MS),
    statementTimeoutMs: dbSection.int('statementTimeoutMs', 0, MAX_MS),
  };
  if (database.pool.min > database.pool.max)
    poolSection.fail('min', `at most database.pool.max (${database.pool.max})`, database.pool.min);
  sqliteSection.done();
  poolSection.done();
  dbSection.done();

  const redisSection = root.section('redis');
  const circuitSection = redisSection.section('circuit');
  const redis: RedisConfig = {
    url: redisSection.optionalUrl('url', ['redis:', 'rediss:']),
    keyPrefix: redisSection.string('keyPrefix'),
    connectTimeoutMs: redisSection.int('connectTimeoutMs', 1, MAX_MS),
    commandTimeoutMs: redisSection.int('commandTimeoutMs', 1, 60_000),
    circuit: {
      failureThreshold: circuitSection.int('failureThreshold', 1, 1000),
      probeIntervalMs: circuitSection.int('probeIntervalMs', 10, 600_000),
    },
  };
  circuitSection.done();
  redisSection.done();

  const securitySection = root.section('security');
  const timestampSection = securitySection.section('timestamp');
  const replaySection = securitySection.section('replayCache');
  const signingSection = securitySection.section('signing');
  const security: SecurityConfig = {
    secretKey: readSecret(securitySection, 'secretKey', 'SECRETS_KEY', env),
    timestamp: {
      maxAgeSeconds: timestampSection.int('maxAgeSeconds', 1, 86_400),
      futureSkewSeconds: timestampSection.int('futureSkewSeconds', 0, 3600),
    },
    replayCache: {
      store: replaySection.oneOf<'auto' | StoreKind>('store', ['auto', 'memory', 'redis']),
      maxEntries: replaySection.int('maxEntries', 1, 100_000_000),
      whenRedisUnavailable: replaySection.oneOf<'per-instance' | 'refuse'>('whenRedisUnavailable', [
        'per-instance',
        'refuse',
      ]),
    },
    signing: { keyFile: signingSection.optionalString('keyFile'), certFile: signingSection.optionalString('certFile') },
  };
  if (security.replayCache.store === 'redis' && redis.url === null) {
    replaySection.fail('store', '"memory" unless redis.url is set', 'redis');
  }
  if ((security.signing.keyFile === null) !== (security.signing.certFile === null)) {
    signingSection.fail(
      security.signing.keyFile === null ? 'keyFile' : 'certFile',
      'both keyFile and certFile or neither',
      null,
    );
  }
  timestampSection.done();
  replaySection.done();
  signingSection.done();
  securitySection.done();

  const pagingTokenKey = readSecret(root, 'pagingTokenKey', 'PAGING_TOKEN_KEY', env);

  const rateSection = root.section('rateLimits');
  const operationSection = rateSection.section('operation');
  const operation = readWindow(operationSection);
  operationSection.done();
  const operations: Record<string, WindowLimit> = {};
  for (const [name, section] of rateSection.entries('operations')) {
    operations[name] = readWindow(section);
    section.done();
  }
  const rateLimits: RateLimitsConfig = {
    partner: readPartnerLimit(rateSection.section('partner')),
    operation,
    operations,
    unauthenticated: readPartnerLimit(rateSection.section('unauthenticated')),
    authFailures: readAuthFailures(rateSection.section('authFailures')),
    store: rateSection.oneOf<'auto' | StoreKind>('store', ['auto', 'memory', 'redis']),
    inFlightStore: rateSection.oneOf<StoreKind>('inFlightStore', ['memory', 'redis']),
    inFlightLeaseSeconds: rateSection.int('inFlightLeaseSeconds', 1, 86_400),
    overrideCacheSeconds: rateSection.int('overrideCacheSeconds', 0, 86_400),
  };
  if (rateLimits.store === 'redis' && redis.url === null)
    rateSection.fail('store', '"auto" or "memory" unless redis.url is set', 'redis');
  if (rateLimits.inFlightStore === 'redis' && redis.url === null)
    rateSection.fail('inFlightStore', '"memory" unless redis.url is set', 'redis');
  if (
    rateLimits.inFlightStore === 'redis' &&
    server.requestTimeoutMs !== 0 &&
    rateLimits.inFlightLeaseSeconds * 1000 < server.requestTimeoutMs
  ) {
    rateSection.fail(
      'inFlightLeaseSeconds',
      `at least server.requestTimeoutMs in seconds (${Math.ceil(server.requestTimeoutMs / 1000)}) so a lease outlives its request`,
      rateLimits.inFlightLeaseSeconds,
    );
  }
  rateSection.done();

  const cacheSection = root.section('cache');
  const catalogSection = cacheSection.section('catalog');
  const stockSection = cacheSection.section('stock');
  const verifiedSection = cacheSection.section('verifiedCredentials');
  const cache: CacheConfig = {
    catalog: {
      ttlSeconds: catalogSection.int('ttlSeconds', 0, 86_400),
      maxEntries: catalogSection.int('maxEntries', 1, 10_000_000),
    },
    stock: {
      ttlSeconds: stockSection.int('ttlSeconds', 0, 86_400),
      maxEntries: stockSection.int('maxEntries', 1, 10_000_000),
    },
    verifiedCredentials: {
      ttlSeconds: verifiedSection.int('ttlSeconds', 0, 86_400),
      maxEntries: verifiedSection.int('maxEntries', 1, 10_000_000),
    },
    invalidationChannel: cacheSection.string('invalidationChannel'),
  };
  catalogSection.done();
  stockSection.done();
  verifiedSection.done();
  cacheSection.done();

  const loggingSection = root.section('logging');
  const logging: LoggingConfig = {
    level: loggingSection.oneOf<LogLevel>('level', LOG_LEVELS),
    format: loggingSection.oneOf<'json'>('format', ['json']),
    maskFields: loggingSection.stringList('maskFields'),
    accessLog: loggingSection.bool('accessLog'),
  };
  for (const field of logging.maskFields) {
    if (!/^[A-Za-z_][\w.-]*$/.test(field))
      loggingSection.fail('maskFields', 'XML local names (letters, digits, _ . -)', field);
  }
  loggingSection.done();

  const metricsSection = root.section('metrics');
  const metrics: MetricsConfig = {
    enabled: metricsSection.bool('enabled'),
    path: metricsSection.string('path', 'a path starting with "/"'),
    collectDefaultMetrics: metricsSection.bool('collectDefaultMetrics'),
  };
  if (metrics.path !== '' && !metrics.path.startsWith('/'))
    metricsSection.fail('path', 'a path starting with "/"', metrics.path);
  metricsSection.done();

  const healthSection = root.section('health');
  const health = { checkTimeoutMs: healthSection.int('checkTimeoutMs', 1, 60_000) };
  healthSection.done();

  const tracingSection = root.section('tracing');
  const tracing: TracingConfig = {
    enabled: tracingSection.bool('enabled'),
    serviceName: tracingSection.string('serviceName'),
    otlpEndpoint: tracingSection.optionalUrl('otlpEndpoint', ['http:', 'https:']),
    samplePercent: tracingSection.int('samplePercent', 0, 100),
  };
  tracingSection.done();

  const versions: Record<string, VersionPolicy> = {};
  for (const [name, section] of root.entries('versions')) {
    versions[name] = {
      deprecated: section.bool('deprecated'),
      deprecatedSince: section.optionalDate('deprecatedSince'),
      sunset: section.optionalDate('sunset'),
      link: section.optionalUrl('link', ['http:', 'https:']),
    };
    section.done();
  }

  root.done();
  if (issues.length > 0) throw new ConfigError(issues);
  return deepFreeze({
    env,
    server,
    soap,
    json,
    database,
    redis,
    security,
    pagingTokenKey,
    rateLimits,
    cache,
    logging,
    metrics,
    health,
    tracing,
    versions,
  });
}

/** The repository's `config/` folder, found from this file whether run from src/ (tsx) or dist/. */
export function defaultConfigDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'config');
    if (fs.existsSync(path.join(candidate, 'default.json'))) return candidate;
    if (path.dirname(dir) === dir) return path.resolve('config');
  }
}

/**
 * Loads node-config's merged view and validates it. node-config reads NODE_CONFIG_DIR once per process,
 * so the directory is fixed on first use.
 */
export function loadConfig(): AppConfig {
  process.env.NODE_CONFIG_DIR = process.env.NODE_CONFIG_DIR ?? defaultConfigDir();
  // node-config only warns about a malformed NODE_CONFIG and goes on without it: the overrides meant
  // for this process would silently not apply.
  const inline = process.env.NODE_CONFIG;
  if (inline !== undefined && inline.trim() !== '') {
    try {
      JSON.parse(inline);
    } catch (error) {
      throw new ConfigError([
        { key: 'NODE_CONFIG', message: `is not valid JSON (${(error as Error).message}): fix it or unset it` },
      ]);
    }
  }
  // node-config loads its files when first required; requiring it lazily lets NODE_CONFIG_DIR be set first.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeConfig = require('config') as { util: { toObject(value?: unknown): unknown } };
  return parseConfig(nodeConfig.util.toObject(), process.env.NODE_ENV ?? 'development');
}
