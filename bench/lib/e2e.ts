/**
 * End-to-end scenarios through the real service: `partner-orders serve` (the compiled CLI, exactly as
 * `npm start` runs it) on a fresh SQLite file or a fresh PostgreSQL database, pinned to core 1, with
 * WS-Security UsernameToken PasswordDigest authentication (each message its own nonce, computed here
 * the way the token profile defines it), SubmitOrder and GetOrder alternating. Also: how long the
 * service takes from start to its first SOAP answer (SQLite, warm disk).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { failedRequests, requestsPerSecond, runLoad, writeRequests, type SoapRequest } from './load';
import { SERVER_CORE, cpuTimeMs, peakRssMB, pinned, run, startServer, stopServer, type RunningServer, type ServerCommand } from './process';
import type { BuildPaths } from './build';
import { ENGINE_STAGES, printProfileDir } from './profile';
import type { CpuUse, ScenarioResult, ServerStats } from './report';

export const E2E_SCENARIOS = ['e2e-sqlite', 'e2e-postgres'];

const V1_NS = 'urn:partner-orders:v1';
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const BASE64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const ORDERS_PATH = '/soap/v1/orders';
const ADMIN_PATH = '/soap/v1/admin';
/** The demo accounts `serve` seeds outside production (src/server.ts DEV_DEMO_PASSWORDS). */
const PARTNER = { username: 'demo', password: 'demo-password-2026' };
const ADMIN = { username: 'admin', password: 'admin-password-2026' };
const SKUS = ['FAS-SCR-4X40', 'FAS-NUT-M8', 'ELE-LED-E27-9W', 'PLB-TAPE-PTFE', 'SAF-VST-XL'];
const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const action = (operation: string): string => `urn:partner-orders:v1/${operation}`;

/** UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created + password)), a fresh nonce each time. */
function usernameToken(account: { username: string; password: string }): string {
  const nonce = randomBytes(16);
  const created = new Date().toISOString();
  const digest = createHash('sha1').update(nonce).update(created).update(account.password).digest('base64');
  return `<soap:Header><wsse:Security soap:mustUnderstand="1" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsse:UsernameToken>` +
    `<wsse:Username>${account.username}</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64}">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created>` +
    '</wsse:UsernameToken></wsse:Security></soap:Header>';
}

const message = (account: { username: string; password: string }, payload: string): string =>
  `<soap:Envelope xmlns:soap="${S11}" xmlns:po="${V1_NS}">${usernameToken(account)}<soap:Body>${payload}</soap:Body></soap:Envelope>`;

function submitOrder(ref: string, sku: string): SoapRequest {
  return {
    action: action('SubmitOrder'),
    body: message(PARTNER, `<po:SubmitOrderRequest><po:partnerOrderRef>${ref}</po:partnerOrderRef><po:shipTo><po:name>Example Trading GmbH</po:name>` +
      '<po:line1>Hafenstrasse 12</po:line1><po:city>Hamburg</po:city><po:postalCode>20457</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>' +
      `<po:line><po:sku>${sku}</po:sku><po:quantity>1</po:quantity></po:line></po:SubmitOrderRequest>`),
  };
}

const getOrder = (orderId: string): SoapRequest => ({
  action: action('GetOrder'),
  body: message(PARTNER, `<po:GetOrderRequest><po:orderId>${orderId}</po:orderId></po:GetOrderRequest>`),
});

const adjustStock = (sku: string, delta: number): SoapRequest => ({
  action: action('AdjustStock'),
  body: message(ADMIN, `<po:AdjustStockRequest><po:sku>${sku}</po:sku><po:delta>${delta}</po:delta><po:reason>benchmark stock</po:reason></po:AdjustStockRequest>`),
});

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
  logging: { level: 'info' },
  rateLimits: {
    partner: { points: 1_000_000_000, durationSeconds: 1, maxInFlight: 10_000 },
    operation: { points: 1_000_000_000, durationSeconds: 1 },
    unauthenticated: { points: 1_000_000_000, durationSeconds: 1, maxInFlight: 10_000 },
  },
};

function serviceCommand(paths: BuildPaths, database: { sqliteFile?: string; url?: string }, cpuProfDir?: string): ServerCommand {
  const config = {
    ...BENCH_CONFIG,
    database: database.url !== undefined ? { url: database.url } : { sqlite: { filename: database.sqliteFile } },
  };
  return {
    command: process.execPath,
    args: [...(cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir]), join(paths.distDir, 'src', 'cli', 'main.js'), 'serve', '--port', '0', '--host', '127.0.0.1'],
    cwd: paths.root,
    env: { NODE_ENV: 'development', NODE_CONFIG: JSON.stringify(config) },
  };
}

/** The banner line: "Partner Order Service listening on http://127.0.0.1:PORT (...)". */
const SERVICE_LISTENING = /listening on (http:\/\/\S+)/;

async function startService(paths: BuildPaths, database: { sqliteFile?: string; url?: string }, cpuProfDir?: string): Promise<RunningServer> {
  return startServer('service', serviceCommand(paths, database, cpuProfDir), 60_000, undefined, SERVICE_LISTENING);
}

interface Logger {
  (line: string): void;
}

async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${Date.now()}_${process.pid}`;
  await run('psql', [POSTGRES_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`], { timeoutMs: 30_000 });
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      await run('psql', [POSTGRES_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { timeoutMs: 30_000 });
    },
  };
}

/** SubmitOrder (a new order each time) and GetOrder (of an order made in the preflight), alternating. */
function mixedRequests(runId: string, first: number, pairs: number, orderIds: readonly string[]): SoapRequest[] {
  const requests: SoapRequest[] = [];
  for (let i = first; i < first + pairs; i++) {
    requests.push(submitOrder(`BENCH-${runId}-${i}`, SKUS[i % SKUS.length]!));
    requests.push(getOrder(orderIds[i % orderIds.length]!));
  }
  return requests;
}

export async function runE2eScenario(name: string, paths: BuildPaths, options: { warmupS: number; durationS: number; profile: boolean }, log: Logger,
  notes: string[]): Promise<{ ours?: ServerStats; cpu?: CpuUse }> {
  log(`\n== ${name} (the real service: UsernameToken PasswordDigest, SubmitOrder + GetOrder alternating; ${options.warmupS} s warm-up + ${options.durationS} s)`);
  const dir = join(paths.workDir, 'e2e');
  mkdirSync(dir, { recursive: true });
  let database: { sqliteFile?: string; url?: string };
  let cleanup = async (): Promise<void> => undefined;
  try {
    if (name === 'e2e-postgres') {
      const pg = await freshPostgresDatabase();
      database = { url: pg.url };
      cleanup = pg.drop;
    } else {
      const file = join(dir, `bench-${Date.now()}.sqlite`);
      database = { sqliteFile: file };
      cleanup = async () => { for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true }); };
    }
  } catch (error) {
    log(`  FAILED to create the database: ${(error as Error).message}`);
    notes.push(`${name}: not measured (${(error as Error).message})`);
    return {};
  }
  let server: RunningServer | undefined;
  const profileDir = options.profile ? join(paths.workDir, 'profiles', name) : undefined;
  if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
  try {
    server = await startService(paths, database, profileDir);
    const baseUrl = server.url;
    for (const sku of SKUS) await call(baseUrl, ADMIN_PATH, adjustStock(sku, 100_000_000));
    const runId = Date.now().toString(36);
    const orderIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const body = await call(baseUrl, ORDERS_PATH, submitOrder(`BENCH-${runId}-seed-${i}`, SKUS[i % SKUS.length]!));
      const order = (body['SubmitOrderResponse'] as { order?: { orderId?: string } } | undefined)?.order;
      if (order?.orderId === undefined) throw new Error(`SubmitOrder answered without an order id: ${JSON.stringify(body).slice(0, 300)}`);
      orderIds.push(order.orderId);
    }
    const got = await call(baseUrl, ORDERS_PATH, getOrder(orderIds[0]!));
    if ((got['GetOrderResponse'] as { order?: { orderId?: string } } | undefined)?.order?.orderId !== orderIds[0]) {
      throw new Error(`GetOrder did not return order ${orderIds[0]}`);
    }
    const url = `${baseUrl}${ORDERS_PATH}`;
    const warmupFile = writeRequests(join(dir, `${name}-warmup.bodies`), mixedRequests(runId, 0, 2000, orderIds));
    const warmup = await runLoad({ url, bodiesFile: warmupFile, seconds: options.warmupS, workDir: paths.workDir, benchDir: paths.benchDir });
    // The warm-up cycles through 4000 messages (later rounds are nonce replays, refused after the whole
    // authentication); its rate roughly bounds the measured run's, which gets a fresh message per request.
    // The margin is wide (2x): with +30 % a 90 s run ran out of fresh messages (116,571 of 212,545
    // requests were refused replays).
    const pairs = Math.ceil(requestsPerSecond(warmup) * options.durationS) + 1000;
    const measuredFile = writeRequests(join(dir, `${name}-measured.bodies`), mixedRequests(runId, 10_000, pairs, orderIds));
    const cpuBefore = cpuTimeMs(server.pid) ?? Number.NaN;
    const measured = await runLoad({ url, bodiesFile: measuredFile, seconds: options.durationS, workDir: paths.workDir, benchDir: paths.benchDir });
    const cpuMs = (cpuTimeMs(server.pid) ?? Number.NaN) - cpuBefore;
    const cpu: CpuUse = { usPerRequest: Math.round((cpuMs * 1000) / Math.max(measured.requests, 1)), coreShare: Number((cpuMs / (measured.durationUs / 1000)).toFixed(2)) };
    const rssMB = peakRssMB(server.pid) ?? Number.NaN;
    const stats: ServerStats = { rps: requestsPerSecond(measured), p50Ms: measured.p50Us / 1000, p99Ms: measured.p99Us / 1000, rssMB };
    const failed = failedRequests(measured);
    log(`  service        ${Math.round(stats.rps).toString().padStart(7)} req/s  p50 ${stats.p50Ms.toFixed(2)} ms  p99 ${stats.p99Ms.toFixed(2)} ms  peak RSS ${rssMB.toFixed(1)} MB` +
      `  CPU ${cpu.usPerRequest} us/req, core share ${cpu.coreShare.toFixed(2)}` +
      (failed > 0 ? `  (${failed} FAILED requests)` : ''));
    notes.push(`${name}: real service (partner-orders serve, all interceptors, access log on), ${measured.requests} requests = SubmitOrder/GetOrder alternating, each message a fresh PasswordDigest UsernameToken; rate limits raised` +
      (failed > 0 ? `; ${failed} requests FAILED` : ''));
    rmSync(warmupFile, { force: true });
    rmSync(measuredFile, { force: true });
    return { ours: stats, cpu };
  } catch (error) {
    log(`  FAILED ${(error as Error).message}\n${server?.output().slice(-2000) ?? ''}`);
    notes.push(`${name}: not measured (${(error as Error).message.split('\n')[0]})`);
    return {};
  } finally {
    if (server) await stopServer(server);
    await cleanup().catch(() => undefined);
    if (profileDir !== undefined) {
      printProfileDir(name, profileDir, log, [...ENGINE_STAGES, 'interceptor.ts:handleRequest', 'username-token.ts:verifyUsernameToken',
        'credential-store.ts:findAccountByUsername', 'orders.ts:submit', 'orders.ts:get', 'access-log.ts:afterCompletion']);
    }
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
export async function measureReadyToServe(paths: BuildPaths, log: Logger, notes: string[], scenarios: readonly ScenarioResult[]): Promise<ServiceFacts> {
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
          body: message(PARTNER, '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>'),
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
  const rss = scenarios.filter((s) => E2E_SCENARIOS.includes(s.name)).map((s) => s.ours?.rssMB).filter((v): v is number => v !== undefined);
  const facts: ServiceFacts = { readyToServeMs, bareNodeStartMs, ...(rss.length > 0 ? { peakRssMB: Math.max(...rss) } : {}) };
  log(`\nservice ready to serve (spawn of partner-orders serve to its first SOAP answer, SQLite, warm disk): ${timings.map((t) => Math.round(t)).join(', ')} ms -> median ${readyToServeMs} ms (bare 'node -e 0' on the same core: ${bareNodeStartMs} ms)`);
  notes.push(`ready to serve: median ${readyToServeMs} ms of ${timings.map((t) => Math.round(t)).join('/')} ms (spawn of the compiled CLI 'serve' to its first SOAP answer, SQLite, warm disk); a bare 'node -e 0' took ${bareNodeStartMs} ms at the same time`);
  return facts;
}
