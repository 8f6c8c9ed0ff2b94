/**
 * End-to-end scenarios through the real service: `partner-orders serve` (the compiled CLI, exactly as
 * `npm start` runs it) on a fresh SQLite file or a fresh PostgreSQL database, pinned to core 1, at the
 * production log level (info: one JSON access-log line per request), rate limits raised so the bench
 * measures work rather than throttling.
 *
 * One scenario per operation x authentication x database, named e2e-<database>-<operation>-<auth>:
 *   operations  getproduct (GetProduct), getorder20 (GetOrder of an order with 20 lines),
 *               submitorder (SubmitOrder, one line, a new order each time), listorders (ListOrders, first
 *               page of 20 summaries);
 *   auth        text (UsernameToken PasswordText, the same message every time, as WCF/CXF clients send it),
 *               digest (UsernameToken PasswordDigest, a fresh nonce per message, computed here as the
 *               token profile defines it), signed (X.509 signature over Body + Timestamp with xml-crypto,
 *               every message signed in advance and distinct, so the replay cache accepts each once).
 * Each scenario starts its own service process (profiled at a low sampling rate, see PROFILE_INTERVAL_US),
 * seeds what it needs through the service itself, warms up, then measures; the profile's samples inside
 * the measured window give the per-stage breakdown (profile.ts stageBreakdown).
 * Also: how long the service takes from start to its first SOAP answer (SQLite, warm disk).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
  RECORD_SEPARATOR,
  failedRequests,
  requestsPerSecond,
  runLoad,
  writeRequests,
  type LoadResult,
  type SoapRequest,
} from './load';
import {
  SERVER_CORE,
  cpuTimeMs,
  peakRssMB,
  pinned,
  run,
  startServer,
  stopServer,
  type RunningServer,
  type ServerCommand,
} from './process';
import type { BuildPaths } from './build';
import { freshPostgresDatabase } from './postgres';
import { stageBreakdown, type Stage } from './profile';
import type { CpuUse, ScenarioResult, ServerStats } from './report';

export const E2E_DATABASES = ['sqlite', 'postgres'] as const;
export const E2E_OPERATIONS = ['getproduct', 'getorder20', 'submitorder', 'listorders'] as const;
export const E2E_AUTHS = ['text', 'digest', 'signed'] as const;
type Database = (typeof E2E_DATABASES)[number];
type Operation = (typeof E2E_OPERATIONS)[number];
type Auth = (typeof E2E_AUTHS)[number];

export const E2E_SCENARIOS: readonly string[] = E2E_DATABASES.flatMap((db) =>
  E2E_OPERATIONS.flatMap((op) => E2E_AUTHS.map((auth) => `e2e-${db}-${op}-${auth}`)),
);

export function parseE2eScenario(name: string): { database: Database; operation: Operation; auth: Auth } | undefined {
  const match = /^e2e-([a-z]+)-([a-z0-9]+)-([a-z]+)$/.exec(name);
  if (match === null) return undefined;
  const [database, operation, auth] = [match[1] as Database, match[2] as Operation, match[3] as Auth];
  if (!E2E_DATABASES.includes(database) || !E2E_OPERATIONS.includes(operation) || !E2E_AUTHS.includes(auth))
    return undefined;
  return { database, operation, auth };
}

/** Sampling interval of the service's --cpu-prof: coarse enough to cost ~1% of CPU, fine enough for ~1% resolution. */
export const PROFILE_INTERVAL_US = 2000;
/** The log level the service runs at in every e2e scenario (the production default). */
export const E2E_LOG_LEVEL = 'info';

const V1_NS = 'urn:partner-orders:v1';
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PASSWORD_DIGEST =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
const BASE64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const ORDERS_PATH = '/soap/v1/orders';
const ADMIN_PATH = '/soap/v1/admin';
/** The demo accounts `serve` seeds outside production (src/server.ts DEV_DEMO_PASSWORDS). */
const PARTNER = { username: 'demo', password: 'demo-password-2026' };
const ADMIN = { username: 'admin', password: 'admin-password-2026' };
const SKUS = ['FAS-SCR-4X40', 'FAS-NUT-M8', 'ELE-LED-E27-9W', 'PLB-TAPE-PTFE', 'SAF-VST-XL'];
/** Twenty distinct products of the demo catalog, for the GetOrder order (one line per SKU is the rule). */
const LINE_SKUS = [
  'FAS-SCR-4X40',
  'FAS-SCR-5X60',
  'FAS-BLT-M8X50',
  'FAS-NUT-M8',
  'FAS-WSH-M8',
  'FAS-ANC-10',
  'TLS-DRL-18V',
  'TLS-HAM-500',
  'TLS-SAW-550',
  'TLS-LVL-600',
  'TLS-TAP-5M',
  'TLS-BIT-SET32',
  'ELE-CBL-3G15-50',
  'ELE-SOC-2G',
  'ELE-SWT-1G',
  'ELE-LED-E27-9W',
  'ELE-EXT-5M',
  'PLB-PIPE-CU15',
  'PLB-ELB-CU15',
  'PLB-VLV-BALL-15',
];
const ORDER_LINES = 20;

const action = (operation: string): string => `urn:partner-orders:v1/${operation}`;

type Account = { username: string; password: string };

/** UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created + password)), a fresh nonce each time. */
function digestToken(account: Account): string {
  const nonce = randomBytes(16);
  const created = new Date().toISOString();
  const digest = createHash('sha1').update(nonce).update(created).update(account.password).digest('base64');
  return (
    `<wsse:UsernameToken><wsse:Username>${account.username}</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64}">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken>`
  );
}

const textToken = (account: Account): string =>
  `<wsse:UsernameToken><wsse:Username>${account.username}</wsse:Username><wsse:Password Type="${PASSWORD_TEXT}">${account.password}</wsse:Password></wsse:UsernameToken>`;

function message(account: Account, payload: string, auth: 'text' | 'digest'): string {
  const token = auth === 'text' ? textToken(account) : digestToken(account);
  return (
    `<soap:Envelope xmlns:soap="${S11}" xmlns:po="${V1_NS}"><soap:Header><wsse:Security soap:mustUnderstand="1" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}">` +
    `${token}</wsse:Security></soap:Header><soap:Body>${payload}</soap:Body></soap:Envelope>`
  );
}

const shipTo =
  '<po:shipTo><po:name>Example Trading GmbH</po:name><po:line1>Hafenstrasse 12</po:line1><po:city>Hamburg</po:city>' +
  '<po:postalCode>20457</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>';

function submitPayload(ref: string, skus: readonly string[]): string {
  return (
    `<po:SubmitOrderRequest xmlns:po="${V1_NS}"><po:partnerOrderRef>${ref}</po:partnerOrderRef>${shipTo}` +
    skus.map((sku) => `<po:line><po:sku>${sku}</po:sku><po:quantity>1</po:quantity></po:line>`).join('') +
    '</po:SubmitOrderRequest>'
  );
}

/** The SOAPAction and payload of message `i` of an operation (payloads declare po: themselves, for signing). */
function payloadOf(
  operation: Operation,
  i: number | '{i}',
  runId: string,
  orderId: string,
): { action: string; payload: string } {
  switch (operation) {
    case 'getproduct':
      return {
        action: action('GetProduct'),
        payload: `<po:GetProductRequest xmlns:po="${V1_NS}"><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>`,
      };
    case 'getorder20':
      return {
        action: action('GetOrder'),
        payload: `<po:GetOrderRequest xmlns:po="${V1_NS}"><po:orderId>${orderId}</po:orderId></po:GetOrderRequest>`,
      };
    case 'submitorder':
      return {
        action: action('SubmitOrder'),
        payload: submitPayload(`B-${runId}-${i}`, [SKUS[typeof i === 'number' ? i % SKUS.length : 0]!]),
      };
    case 'listorders':
      return { action: action('ListOrders'), payload: `<po:ListOrdersRequest xmlns:po="${V1_NS}"/>` };
  }
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });

async function call(baseUrl: string, path: string, request: SoapRequest): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${request.action}"` },
    body: request.body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${request.action}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  const parsed = parser.parse(text) as { Envelope?: { Body?: Record<string, unknown> } };
  return parsed.Envelope?.Body ?? {};
}

/** Rate limits raised far above what one core can serve, so the benchmark measures work, not throttling. */
const BENCH_CONFIG = {
  logging: { level: E2E_LOG_LEVEL },
  rateLimits: {
    partner: { points: 1_000_000_000, durationSeconds: 1, maxInFlight: 10_000 },
    operation: { points: 1_000_000_000, durationSeconds: 1 },
    unauthenticated: { points: 1_000_000_000, durationSeconds: 1, maxInFlight: 10_000 },
  },
};

type DatabaseLocation = { sqliteFile?: string; url?: string };

function serviceEnv(database: DatabaseLocation): NodeJS.ProcessEnv {
  const config = {
    ...BENCH_CONFIG,
    database: database.url !== undefined ? { url: database.url } : { sqlite: { filename: database.sqliteFile } },
  };
  return { NODE_ENV: 'development', NODE_CONFIG: JSON.stringify(config) };
}

function serviceCommand(paths: BuildPaths, database: DatabaseLocation, cpuProfDir?: string): ServerCommand {
  const profiling =
    cpuProfDir === undefined
      ? []
      : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-interval', String(PROFILE_INTERVAL_US)];
  return {
    command: process.execPath,
    args: [...profiling, join(paths.distDir, 'src', 'cli', 'main.js'), 'serve', '--port', '0', '--host', '127.0.0.1'],
    cwd: paths.root,
    env: serviceEnv(database),
  };
}

/** The banner line: "Partner Order Service listening on http://127.0.0.1:PORT (...)". */
const SERVICE_LISTENING = /listening on (http:\/\/\S+)/;

/** The service logs to a file (as to a log file in production), not to a pipe this busy process must drain. */
async function startService(
  paths: BuildPaths,
  database: DatabaseLocation,
  cpuProfDir?: string,
): Promise<RunningServer> {
  const logDir = join(paths.workDir, 'e2e');
  mkdirSync(logDir, { recursive: true });
  return startServer(
    'service',
    serviceCommand(paths, database, cpuProfDir),
    60_000,
    undefined,
    SERVICE_LISTENING,
    join(logDir, 'service.log'),
  );
}

type Logger = (line: string) => void;

export interface E2eOptions {
  readonly warmupS: number;
  readonly durationS: number;
  /** Client key and certificate for the signed scenarios (ensurePki in run.ts). */
  readonly pki: { key: string; cert: string };
}

export interface E2eOutcome {
  ours?: ServerStats;
  cpu?: CpuUse;
  /** Where the measured run's CPU went, from the service's profile. */
  stages?: Stage[];
  /** Bytes of one response. */
  responseBytes?: number;
}

/** Signs `count` messages (payload template with {i}) on both cores, message i dated base - i ms. */
async function signMessages(
  paths: BuildPaths,
  pki: { key: string; cert: string },
  requestAction: string,
  template: string,
  count: number,
  file: string,
  ageMs: number,
  firstIndex: number,
): Promise<void> {
  const base = Date.now() - ageMs;
  const templateFile = `${file}.template`;
  writeFileSync(templateFile, template);
  const halves = [Math.ceil(count / 2), Math.floor(count / 2)];
  const signer = join(paths.distDir, 'bench', 'sign.js');
  const parts = [`${file}.0`, `${file}.1`];
  await Promise.all([
    run('taskset', [
      '-c',
      '0',
      process.execPath,
      signer,
      pki.key,
      pki.cert,
      String(base),
      String(firstIndex),
      String(halves[0]),
      parts[0]!,
      requestAction,
      templateFile,
    ]),
    run('taskset', [
      '-c',
      '1',
      process.execPath,
      signer,
      pki.key,
      pki.cert,
      String(base),
      String(firstIndex + halves[0]!),
      String(halves[1]),
      parts[1]!,
      requestAction,
      templateFile,
    ]),
  ]);
  writeFileSync(
    file,
    parts
      .map((p) => readFileSync(p, 'utf8'))
      .filter((t) => t.length > 0)
      .join(RECORD_SEPARATOR),
  );
  for (const p of [...parts, templateFile]) rmSync(p, { force: true });
}

/** Preflight through the service itself: stock, one order with 20 lines, 20 more orders for ListOrders. */
async function seed(baseUrl: string, runId: string): Promise<string> {
  for (const sku of new Set([...SKUS, ...LINE_SKUS])) {
    await call(baseUrl, ADMIN_PATH, {
      action: action('AdjustStock'),
      body: message(
        ADMIN,
        `<po:AdjustStockRequest><po:sku>${sku}</po:sku><po:delta>100000000</po:delta><po:reason>benchmark stock</po:reason></po:AdjustStockRequest>`,
        'digest',
      ),
    });
  }
  const lines = LINE_SKUS.slice(0, ORDER_LINES);
  const body = await call(baseUrl, ORDERS_PATH, {
    action: action('SubmitOrder'),
    body: message(PARTNER, submitPayload(`B-${runId}-lines20`, lines), 'digest'),
  });
  const orderId = (body['SubmitOrderResponse'] as { order?: { orderId?: string } } | undefined)?.order?.orderId;
  if (orderId === undefined)
    throw new Error(`SubmitOrder answered without an order id: ${JSON.stringify(body).slice(0, 300)}`);
  for (let i = 0; i < 20; i++) {
    await call(baseUrl, ORDERS_PATH, {
      action: action('SubmitOrder'),
      body: message(PARTNER, submitPayload(`B-${runId}-seed-${i}`, [SKUS[i % SKUS.length]!]), 'digest'),
    });
  }
  return orderId;
}

/** `partner-orders partner add-cert demo <cert>` against the service's database (the running service sees it at once). */
async function registerCertificate(paths: BuildPaths, database: DatabaseLocation, cert: string): Promise<void> {
  const url = database.url ?? `sqlite:${database.sqliteFile!}`;
  await run(
    process.execPath,
    [join(paths.distDir, 'src', 'cli', 'main.js'), 'partner', 'add-cert', PARTNER.username, cert, '--database', url],
    { cwd: paths.root, env: serviceEnv(database), timeoutMs: 60_000 },
  );
}

/** Requests for a run: `count` messages from index `first` (signed ones are written by signMessages instead). */
function plainRequests(
  operation: Operation,
  auth: 'text' | 'digest',
  runId: string,
  orderId: string,
  first: number,
  count: number,
): SoapRequest[] {
  // Messages that may repeat (PasswordText, reads) are cycled; SubmitOrder and every digest need their own.
  const distinct = auth === 'digest' || operation === 'submitorder' ? count : 1;
  const requests: SoapRequest[] = [];
  for (let i = first; i < first + distinct; i++) {
    const { action: requestAction, payload } = payloadOf(operation, i, runId, orderId);
    requests.push({ action: requestAction, body: message(PARTNER, payload, auth) });
  }
  return requests;
}

export async function runE2eScenario(
  name: string,
  paths: BuildPaths,
  options: E2eOptions,
  log: Logger,
  notes: string[],
): Promise<E2eOutcome> {
  const parsed = parseE2eScenario(name);
  if (parsed === undefined) throw new Error(`not an e2e scenario: ${name}`);
  const { database: kind, operation, auth } = parsed;
  log(
    `\n== ${name} (the real service, log level ${E2E_LOG_LEVEL}; ${options.warmupS} s warm-up + ${options.durationS} s)`,
  );
  const dir = join(paths.workDir, 'e2e');
  mkdirSync(dir, { recursive: true });
  let database: DatabaseLocation;
  let cleanup = async (): Promise<void> => undefined;
  try {
    if (kind === 'postgres') {
      const pg = await freshPostgresDatabase();
      database = { url: pg.url };
      cleanup = pg.drop;
    } else {
      const file = join(dir, `bench-${Date.now()}.sqlite`);
      database = { sqliteFile: file };
      cleanup = async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      };
    }
  } catch (error) {
    log(`  FAILED to create the database: ${(error as Error).message}`);
    notes.push(`${name}: not measured (${(error as Error).message.split('\n')[0]})`);
    return {};
  }
  let server: RunningServer | undefined;
  const profileDir = join(paths.workDir, 'profiles', name);
  rmSync(profileDir, { recursive: true, force: true });
  const warmupFile = join(dir, `${name}-warmup.bodies`);
  const measuredFile = join(dir, `${name}-measured.bodies`);
  let window: { startUs: number; endUs: number } | undefined;
  let cpu: CpuUse | undefined;
  let stats: ServerStats | undefined;
  let responseBytes: number | undefined;
  try {
    server = await startService(paths, database, profileDir);
    const baseUrl = server.url;
    const runId = Date.now().toString(36);
    const orderId = await seed(baseUrl, runId);
    if (auth === 'signed') await registerCertificate(paths, database, options.pki.cert);

    // What one request answers, checked before the load (and its size, for the report).
    const url = `${baseUrl}${ORDERS_PATH}`;
    const { action: requestAction } = payloadOf(operation, 0, runId, orderId);
    if (auth === 'signed') {
      // Dated two minutes back (well inside the 5-minute window) so no warm-up message equals a measured one.
      await signMessages(
        paths,
        options.pki,
        requestAction,
        payloadOf(operation, '{i}', `${runId}w`, orderId).payload,
        2000,
        warmupFile,
        120_000,
        0,
      );
    } else {
      writeRequests(warmupFile, plainRequests(operation, auth, runId, orderId, 1_000_000, 4000));
    }
    const first = readFileSync(warmupFile, 'utf8').split(RECORD_SEPARATOR)[0]!;
    const probe = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${requestAction}"` },
      body: first.slice(first.indexOf('\n') + 1),
    });
    const probeText = await probe.text();
    if (probe.status !== 200)
      throw new Error(`${requestAction} (${auth}) answered HTTP ${probe.status}: ${probeText.slice(0, 400)}`);
    responseBytes = Buffer.byteLength(probeText);

    const warmup = await runLoad({
      url,
      bodiesFile: warmupFile,
      seconds: options.warmupS,
      workDir: paths.workDir,
      benchDir: paths.benchDir,
    });
    // The warm-up may cycle through its messages (later rounds are replays, refused after the whole
    // authentication): its rate roughly bounds the measured run's, which gets a fresh message per request
    // where one is needed. The margin is wide (2x + 2000).
    const count = Math.ceil(requestsPerSecond(warmup) * options.durationS * 2) + 2000;
    if (auth === 'signed') {
      await signMessages(
        paths,
        options.pki,
        requestAction,
        payloadOf(operation, '{i}', runId, orderId).payload,
        count,
        measuredFile,
        0,
        0,
      );
    } else {
      writeRequests(measuredFile, plainRequests(operation, auth, runId, orderId, 0, count));
    }
    const cpuBefore = cpuTimeMs(server.pid) ?? Number.NaN;
    const startUs = Number(process.hrtime.bigint() / 1000n);
    const measured: LoadResult = await runLoad({
      url,
      bodiesFile: measuredFile,
      seconds: options.durationS,
      workDir: paths.workDir,
      benchDir: paths.benchDir,
    });
    window = { startUs, endUs: Number(process.hrtime.bigint() / 1000n) };
    const cpuMs = (cpuTimeMs(server.pid) ?? Number.NaN) - cpuBefore;
    cpu = {
      usPerRequest: Math.round((cpuMs * 1000) / Math.max(measured.requests, 1)),
      coreShare: Number((cpuMs / (measured.durationUs / 1000)).toFixed(2)),
    };
    const rssMB = peakRssMB(server.pid) ?? Number.NaN;
    stats = { rps: requestsPerSecond(measured), p50Ms: measured.p50Us / 1000, p99Ms: measured.p99Us / 1000, rssMB };
    const failed = failedRequests(measured);
    log(
      `  service        ${Math.round(stats.rps).toString().padStart(7)} req/s  p50 ${stats.p50Ms.toFixed(2)} ms  p99 ${stats.p99Ms.toFixed(2)} ms  peak RSS ${rssMB.toFixed(1)} MB` +
        `  CPU ${cpu.usPerRequest} us/req, core share ${cpu.coreShare.toFixed(2)}, response ${responseBytes} bytes` +
        (failed > 0 ? `  (${failed} FAILED requests)` : ''),
    );
    if (failed > 0) {
      notes.push(`${name}: ${failed} of ${measured.requests} requests FAILED`);
      const reasons = new Map<string, number>();
      for (const line of server.output().split('\n')) {
        const why = /"message":"(ws-security: request rejected|[^"]*fault[^"]*)".*?"(?:why|fault)":"([^"]*)"/.exec(
          line,
        );
        if (why !== null) reasons.set(`${why[1]}: ${why[2]}`, (reasons.get(`${why[1]}: ${why[2]}`) ?? 0) + 1);
      }
      for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3)) log(`  rejected ${n}x: ${why}`);
    }
  } catch (error) {
    log(`  FAILED ${(error as Error).message}\n${server?.output().slice(-2000) ?? ''}`);
    notes.push(`${name}: not measured (${(error as Error).message.split('\n')[0]})`);
  } finally {
    if (server) await stopServer(server);
    await cleanup().catch(() => undefined);
    rmSync(warmupFile, { force: true });
    rmSync(measuredFile, { force: true });
  }
  if (stats === undefined) return {};
  let stages: Stage[] | undefined;
  const profiles = readdirSafe(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  if (profiles.length > 0 && window !== undefined && cpu !== undefined) {
    stages = stageBreakdown(join(profileDir, profiles[0]!), window, cpu.usPerRequest);
    log(
      `  stages (share of the measured run's samples, us per request): ${stages.map((s) => `${s.stage} ${(s.share * 100).toFixed(1)}% ${s.usPerRequest}`).join('; ')}`,
    );
  }
  return { ours: stats, cpu, stages, responseBytes };
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export interface ServiceFacts {
  /** Start of `partner-orders serve` (SQLite, migrated, warm disk) to its first SOAP answer, median of 3. */
  readyToServeMs: number;
  /** Start to exit of `node -e 0` on the same core at the same time: what process start alone costs here. */
  bareNodeStartMs: number;
  /** Highest peak RSS of the service in the e2e runs. */
  peakRssMB?: number;
}

/** Spawn-to-first-SOAP-answer time of the service on an existing SQLite database (warm disk). */
export async function measureReadyToServe(
  paths: BuildPaths,
  log: Logger,
  notes: string[],
  scenarios: readonly ScenarioResult[],
): Promise<ServiceFacts> {
  const dir = join(paths.workDir, 'e2e');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ready-${Date.now()}.sqlite`);
  const timings: number[] = [];
  try {
    // First start migrates and seeds; the timed starts find a ready database (and a warm page cache).
    const first = await startService(paths, { sqliteFile: file });
    await stopServer(first);
    for (let i = 0; i < 3; i++) {
      const started = process.hrtime.bigint();
      const server = await startService(paths, { sqliteFile: file });
      try {
        await call(server.url, ORDERS_PATH, {
          action: action('GetProduct'),
          body: message(PARTNER, payloadOf('getproduct', 0, '', '').payload, 'digest'),
        });
        timings.push(Number(process.hrtime.bigint() - started) / 1e6);
      } finally {
        await stopServer(server);
      }
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  timings.sort((a, b) => a - b);
  const readyToServeMs = Math.round(timings[Math.floor(timings.length / 2)]!);
  const bare: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    const [program, args] = pinned(SERVER_CORE, process.execPath, ['-e', '0']);
    await run(program, args);
    bare.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  bare.sort((a, b) => a - b);
  const bareNodeStartMs = Math.round(bare[1]!);
  const rss = scenarios
    .filter((s) => s.name.startsWith('e2e-'))
    .map((s) => s.ours?.rssMB)
    .filter((v): v is number => v !== undefined);
  const facts: ServiceFacts = {
    readyToServeMs,
    bareNodeStartMs,
    ...(rss.length > 0 ? { peakRssMB: Math.max(...rss) } : {}),
  };
  log(
    `\nservice ready to serve (spawn of partner-orders serve to its first SOAP answer, SQLite, warm disk): ${timings.map((t) => Math.round(t)).join(', ')} ms -> median ${readyToServeMs} ms (bare 'node -e 0' on the same core: ${bareNodeStartMs} ms)`,
  );
  notes.push(
    `ready to serve: median ${readyToServeMs} ms of ${timings.map((t) => Math.round(t)).join('/')} ms (spawn of the compiled CLI 'serve' to its first SOAP answer, SQLite, warm disk); a bare 'node -e 0' took ${bareNodeStartMs} ms at the same time`,
  );
  return facts;
}
