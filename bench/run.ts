/**
 * npm run bench [-- --quick] [--scenarios a,b|group] [--servers ours,trueFloor] [--warmup s] [--duration s]
 *               [--metro-max-warmup s] [--rounds n] [--no-build]
 *
 * Everything in one run, so ratios come from one machine state:
 * - engine scenarios (small, large-response, large-request) on the bench WSDL (bench/wsdl/bench.wsdl),
 *   served by eight servers with the same in-memory data, one after another, each pinned to core 1
 *   (taskset -c 1) while wrk drives it from core 0 with 32 connections (report.ts SERVER_DESCRIPTIONS):
 *   ours on node:http and on Express, node-soap on node:http and on Express, Metro (JAX-WS RI) warmed until
 *   its rate stops rising (the warm-up curve is reported), the true floor (no parsing), and the two parsing
 *   baselines. No server sends an ETag.
 * - signed-small: ours with the WS-Security interceptor and the WSS4J 1.6 + Santuario peer verifying the same
 *   pre-signed messages.
 * - e2e-<db>-<operation>-<auth>: the real service (lib/e2e.ts), 4 operations x 3 authentications x SQLite and
 *   PostgreSQL, CPU per request and where it goes (per-stage breakdown from the service's profile).
 * - pgbench (tpcb-like and select-only, one client per core) on the same PostgreSQL: the database's own limit.
 * Optional peers (Metro, WSS4J, pgbench, PostgreSQL) that are not installed are skipped with the reason; the
 * run still writes its results. Only a complete run writes bench/results.json, results.svg,
 * results-e2e.svg, results.md and the results section of docs/performance.md; --quick and partial runs write
 * to bench/.work/.
 * --rounds n measures every engine-scenario server n times (fresh process each, servers in turn) and keeps
 * the best run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  GET_ORDER_ACTION,
  ORDERS,
  SUBMIT_ORDER_ACTION,
  envelope,
  expectedSubmitOutcome,
  getOrderPayload,
  orderIdFor,
  submitOrderPayload,
} from './data';
import {
  buildMetro,
  buildWss4jPeer,
  compileTypeScript,
  missingFor,
  pathsFor,
  type BuildPaths,
  type MetroBuild,
} from './lib/build';
import { checkAnswer, type ExpectedAnswer } from './lib/check';
import {
  RECORD_SEPARATOR,
  failedRequests,
  requestsPerSecond,
  runLoad,
  writeRequests,
  type LoadResult,
  type SoapRequest,
} from './lib/load';
import {
  NICENESS,
  cpuTimeMs,
  freePort,
  peakRssMB,
  run,
  startServer,
  stopServer,
  type RunningServer,
  type ServerCommand,
} from './lib/process';
import { holdBenchLock } from './lib/lock';
import {
  RATIOS,
  SERVER_DESCRIPTIONS,
  SERVER_KEYS,
  SERVER_LABELS,
  formatTable,
  markdownTable,
  renderStagesSvg,
  renderSvg,
  scenarioResult,
  type CpuTable,
  type CpuUse,
  type ScenarioResult,
  type ServerKey,
  type ServerStats,
  type StageRow,
} from './lib/report';
import {
  E2E_LOG_LEVEL,
  E2E_SCENARIOS,
  PROFILE_INTERVAL_US,
  measureReadyToServe,
  runE2eScenario,
  type ServiceFacts,
} from './lib/e2e';
import type { Stage } from './lib/profile';
import { runPgbench, type PgbenchResult } from './lib/pgbench';
import { answerParsed } from './servers/parse-handler';

const ROOT = resolve(__dirname, existsSync(join(__dirname, '..', 'package.json')) ? '..' : join('..', '..', '..'));

interface Options {
  quick: boolean;
  warmupS: number;
  durationS: number;
  /** Metro and the WSS4J peer are warmed in 5 s windows until the rate stops rising, at most this long. */
  jvmMaxWarmupS: number;
  scenarios: string[];
  servers: ServerKey[];
  build: boolean;
  rounds: number;
}

const ENGINE_SCENARIOS = ['small', 'large-response', 'large-request'];
const ALL_SCENARIOS = [...ENGINE_SCENARIOS, 'signed-small', ...E2E_SCENARIOS, 'pgbench'];
/** Names that stand for several scenarios on the command line. */
const GROUPS: Record<string, readonly string[]> = {
  engine: ENGINE_SCENARIOS,
  e2e: E2E_SCENARIOS,
  'e2e-sqlite': E2E_SCENARIOS.filter((s) => s.startsWith('e2e-sqlite-')),
  'e2e-postgres': E2E_SCENARIOS.filter((s) => s.startsWith('e2e-postgres-')),
};

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index < 0 ? undefined : argv[index + 1];
  };
  const quick = argv.includes('--quick');
  const requested = value('scenarios')?.split(',') ?? ALL_SCENARIOS;
  const scenarios = [
    ...new Set(
      requested.flatMap(
        (s) =>
          GROUPS[s] ??
          (E2E_SCENARIOS.some((e) => e.startsWith(`${s}-`)) ? E2E_SCENARIOS.filter((e) => e.startsWith(`${s}-`)) : [s]),
      ),
    ),
  ];
  for (const s of scenarios)
    if (!ALL_SCENARIOS.includes(s))
      throw new Error(
        `unknown scenario ${s} (known: ${ALL_SCENARIOS.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')})`,
      );
  const servers = (value('servers')?.split(',') ?? [...SERVER_KEYS]) as ServerKey[];
  for (const s of servers)
    if (!SERVER_KEYS.includes(s)) throw new Error(`unknown server ${s} (known: ${SERVER_KEYS.join(', ')})`);
  return {
    quick,
    // V8 settles within 5 s; the JVM servers get their own warm-up until their rate stops rising.
    warmupS: Number(value('warmup') ?? (quick ? 2 : 5)),
    durationS: Number(value('duration') ?? (quick ? 3 : 8)),
    jvmMaxWarmupS: Number(value('metro-max-warmup') ?? (quick ? 10 : 90)),
    scenarios,
    servers,
    build: !argv.includes('--no-build'),
    rounds: Math.max(1, Number(value('rounds') ?? 1)),
  };
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface Scenario {
  readonly name: string;
  readonly request: SoapRequest;
  readonly expected: ExpectedAnswer;
}

const getOrderScenario = (name: string, lines: number): Scenario => ({
  name,
  request: { action: GET_ORDER_ACTION, body: envelope(getOrderPayload(orderIdFor(lines))) },
  expected: { element: 'GetOrderResponse', value: { order: ORDERS.get(orderIdFor(lines)) } },
});

const PLAIN_SCENARIOS: Record<string, Scenario> = {
  small: getOrderScenario('small', 1),
  'large-response': getOrderScenario('large-response', 200),
  'large-request': {
    name: 'large-request',
    request: { action: SUBMIT_ORDER_ACTION, body: envelope(submitOrderPayload(200)) },
    expected: { element: 'SubmitOrderResponse', value: expectedSubmitOutcome(200) },
  },
};

const SERVER_SCRIPTS: Partial<Record<ServerKey, string>> = {
  ours: 'ours',
  oursExpress: 'ours-express',
  nodeSoapHttp: 'node-soap-http',
  nodeSoap: 'node-soap',
  trueFloor: 'true-floor',
  httpParse: 'http-parse',
  expressParse: 'express-parse',
};

function serverCommand(
  key: ServerKey,
  paths: BuildPaths,
  metro: MetroBuild | undefined,
  port: number,
  extra: { signedCert?: string; requestFile?: string },
): ServerCommand {
  if (key === 'metro') {
    if (metro === undefined) throw new Error('metro was not built');
    // Monitoring off: Debian's jaxws lacks the gmbal timer classes and would log a stack trace at start.
    // TCP_NODELAY on: the JDK HTTP server writes headers and body separately, and with Nagle's algorithm
    // against the client's delayed ACK every keep-alive response would wait ~40 ms.
    return {
      command: 'java',
      args: [
        '-Dcom.sun.xml.ws.monitoring.endpoint=false',
        '-Dsun.net.httpserver.nodelay=true',
        '-cp',
        metro.classpath,
        'bench.metro.BenchServer',
        String(port),
      ],
      cwd: paths.root,
    };
  }
  const script = join(paths.distDir, 'bench', 'servers', `${SERVER_SCRIPTS[key]!}.js`);
  const args = [script, '--port', '0'];
  if (extra.signedCert !== undefined) args.push('--signed', extra.signedCert);
  if (key === 'trueFloor') args.push('--request', extra.requestFile!);
  return { command: process.execPath, args, cwd: paths.root };
}

interface Measurement {
  readonly stats: ServerStats;
  readonly cpu?: CpuUse;
  readonly measured: LoadResult;
}

/** Rate per window while warming; the curve of each JVM server goes into the results. */
export interface WarmupPoint {
  readonly atS: number;
  readonly rps: number;
}

/**
 * Warms a server in 5 s windows until its rate stops rising: at least 20 s, and then until two windows in a
 * row stay below 1.03x the best window before them, at most `maxS`.
 */
async function warmUntilPlateau(
  server: RunningServer,
  paths: BuildPaths,
  bodiesFile: string,
  maxS: number,
): Promise<WarmupPoint[]> {
  const windowS = 5;
  const curve: WarmupPoint[] = [];
  let best = 0;
  let flat = 0;
  for (let elapsed = windowS; elapsed <= maxS; elapsed += windowS) {
    const result = await runLoad({
      url: server.url,
      bodiesFile,
      seconds: windowS,
      workDir: paths.workDir,
      benchDir: paths.benchDir,
    });
    const rps = Math.round(requestsPerSecond(result));
    curve.push({ atS: elapsed, rps });
    flat = rps < best * 1.03 ? flat + 1 : 0;
    best = Math.max(best, rps);
    if (elapsed >= 20 && flat >= 2) break;
  }
  return curve;
}

async function measure(
  server: RunningServer,
  paths: BuildPaths,
  durationS: number,
  bodiesFile: string,
): Promise<Measurement> {
  const cpuBefore = cpuTimeMs(server.pid);
  const measured = await runLoad({
    url: server.url,
    bodiesFile,
    seconds: durationS,
    workDir: paths.workDir,
    benchDir: paths.benchDir,
  });
  const cpuAfter = cpuTimeMs(server.pid);
  const rss = peakRssMB(server.pid) ?? Number.NaN;
  const cpu =
    cpuBefore === undefined || cpuAfter === undefined || measured.requests === 0
      ? undefined
      : {
          usPerRequest: ((cpuAfter - cpuBefore) * 1000) / measured.requests,
          coreShare: (cpuAfter - cpuBefore) / (measured.durationUs / 1000),
        };
  return {
    stats: { rps: requestsPerSecond(measured), p50Ms: measured.p50Us / 1000, p99Ms: measured.p99Us / 1000, rssMB: rss },
    cpu,
    measured,
  };
}

function describe(label: string, m: Measurement): string {
  const failed = failedRequests(m.measured);
  return (
    `  ${label.padEnd(18)} ${Math.round(m.stats.rps).toString().padStart(7)} req/s  p50 ${m.stats.p50Ms.toFixed(2)} ms  ` +
    `p99 ${m.stats.p99Ms.toFixed(2)} ms  peak RSS ${m.stats.rssMB.toFixed(1)} MB` +
    (m.cpu === undefined
      ? ''
      : `  CPU ${Math.round(m.cpu.usPerRequest)} us/req, core share ${m.cpu.coreShare.toFixed(2)}`) +
    (m.stats.responseBytes === undefined ? '' : `  response ${m.stats.responseBytes} B`) +
    (failed > 0 ? `  (${failed} FAILED requests)` : '')
  );
}

const notes: string[] = [];
const skipped: Record<string, string> = {};
const cpuUse: CpuTable = {};
const warmupCurves: Record<string, WarmupPoint[]> = {};

function recordCpu(scenario: string, key: ServerKey, m: Measurement): void {
  if (m.cpu === undefined) return;
  cpuUse[scenario] = {
    ...cpuUse[scenario],
    [key]: { usPerRequest: Math.round(m.cpu.usPerRequest), coreShare: Number(m.cpu.coreShare.toFixed(2)) },
  };
}

async function responseBytesOf(url: string, request: SoapRequest): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${request.action}"` },
    body: request.body,
  });
  if (response.headers.has('etag'))
    throw new Error(`sends an ETag (${response.headers.get('etag')}): every server must answer without one`);
  return Buffer.byteLength(await response.text());
}

async function runPlainScenario(
  scenario: Scenario,
  paths: BuildPaths,
  metro: MetroBuild | undefined,
  options: Options,
): Promise<ScenarioResult> {
  log(
    `\n== ${scenario.name} (${options.warmupS} s warm-up (JVM: until its rate stops rising, at most ${options.jvmMaxWarmupS} s) + ${options.durationS} s` +
      `${options.rounds > 1 ? `, best of ${options.rounds} rounds` : ''}, ${scenario.request.body.length} request bytes)`,
  );
  const bodies = writeRequests(join(paths.workDir, `${scenario.name}.bodies`), [scenario.request]);
  const best: Partial<Record<ServerKey, Measurement>> = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const key of options.servers) {
      if (key === 'metro' && metro === undefined) continue;
      const port = key === 'metro' ? await freePort() : 0;
      let server: RunningServer | undefined;
      try {
        server = await startServer(SERVER_LABELS[key], serverCommand(key, paths, metro, port, { requestFile: bodies }));
        await checkAnswer(server.url, scenario.request.action, scenario.request.body, scenario.expected);
        const responseBytes = await responseBytesOf(server.url, scenario.request);
        if (key === 'metro') {
          const curve = await warmUntilPlateau(server, paths, bodies, options.jvmMaxWarmupS);
          warmupCurves[`${scenario.name}/metro${options.rounds > 1 ? `/round${round}` : ''}`] = curve;
          log(`  metro warm-up (req/s per 5 s window): ${curve.map((p) => p.rps).join(' -> ')}`);
        } else {
          await runLoad({
            url: server.url,
            bodiesFile: bodies,
            seconds: options.warmupS,
            workDir: paths.workDir,
            benchDir: paths.benchDir,
          });
        }
        const m = await measure(server, paths, options.durationS, bodies);
        m.stats.responseBytes = responseBytes;
        log(describe(SERVER_LABELS[key], m) + (options.rounds > 1 ? `  [round ${round}]` : ''));
        if (failedRequests(m.measured) > 0) {
          notes.push(
            `${scenario.name}/${SERVER_LABELS[key]}: ${failedRequests(m.measured)} requests failed (run discarded)`,
          );
        } else if (best[key] === undefined || m.stats.rps > best[key]!.stats.rps) {
          best[key] = m;
        }
      } catch (error) {
        log(`  ${SERVER_LABELS[key]}: FAILED ${(error as Error).message}`);
        notes.push(`${scenario.name}/${SERVER_LABELS[key]}: not measured (${(error as Error).message.split('\n')[0]})`);
      } finally {
        if (server) await stopServer(server);
      }
    }
  }
  const stats: Partial<Record<ServerKey, ServerStats>> = {};
  for (const key of options.servers) {
    if (best[key] === undefined) continue;
    stats[key] = best[key]!.stats;
    recordCpu(scenario.name, key, best[key]!);
  }
  return scenarioResult(scenario.name, stats);
}

// ---------------------------------------------------------------------------------------------------
// signed-small: ours with the WS-Security interceptor, and the WSS4J peer, on the same pre-signed messages
// ---------------------------------------------------------------------------------------------------

function ensurePki(paths: BuildPaths): { key: string; cert: string } {
  const dir = join(paths.workDir, 'pki');
  const key = join(dir, 'client.key.pem');
  const cert = join(dir, 'client.cert.pem');
  if (!existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-sha256',
        '-days',
        '30',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=bench-client/O=Bench',
      ],
      { stdio: 'pipe' },
    );
  }
  return { key, cert };
}

/**
 * Signs `count` distinct messages with two parallel xml-crypto processes (the servers are idle meanwhile).
 * Message i is Created at `base - i` ms, and RSA PKCS#1 v1.5 signatures are deterministic, so two batches
 * whose Created ranges overlap share identical messages, which the replay cache rightly refuses: the
 * warm-up batch is therefore dated two minutes back (still well inside the 5-minute window).
 */
async function signMessages(
  paths: BuildPaths,
  pki: { key: string; cert: string },
  count: number,
  file: string,
  ageMs = 0,
): Promise<void> {
  const base = Date.now() - ageMs;
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
      '0',
      String(halves[0]),
      parts[0]!,
    ]),
    run('taskset', [
      '-c',
      '1',
      process.execPath,
      signer,
      pki.key,
      pki.cert,
      String(base),
      String(halves[0]),
      String(halves[1]),
      parts[1]!,
    ]),
  ]);
  writeFileSync(
    file,
    parts
      .map((p) => readFileSync(p, 'utf8'))
      .filter((t) => t.length > 0)
      .join(RECORD_SEPARATOR),
  );
  for (const p of parts) rmSync(p, { force: true });
}

interface SignedOutcome {
  result: ScenarioResult;
  wss4j?: { stats: ServerStats; cpu?: CpuUse };
}

async function runSignedScenario(
  paths: BuildPaths,
  options: Options,
  pki: { key: string; cert: string },
  unsignedSmall: ServerStats | undefined,
): Promise<SignedOutcome> {
  log(
    `\n== signed-small (RSA-SHA256 2048-bit, Body + Timestamp signed; ${options.warmupS} s warm-up + ${options.durationS} s; then the WSS4J peer on the same messages)`,
  );
  const warmupFile = join(paths.workDir, 'signed-warmup.bodies');
  const measuredFile = join(paths.workDir, 'signed-measured.bodies');
  let started = Date.now();
  await signMessages(paths, pki, 3000, warmupFile, 120_000);
  log(`  signed 3000 warm-up messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let server: RunningServer | undefined;
  const stats: Partial<Record<ServerKey, ServerStats>> = {};
  const small = PLAIN_SCENARIOS['small']!;
  try {
    server = await startServer('ours (signed)', serverCommand('ours', paths, undefined, 0, { signedCert: pki.cert }));
    const first = readFileSync(warmupFile, 'utf8').split(RECORD_SEPARATOR)[0]!;
    await checkAnswer(server.url, GET_ORDER_ACTION, first.slice(first.indexOf('\n') + 1), small.expected);
    // The warm-up cycles through 3000 messages, so most of it are replays: those still go through the
    // whole signature verification (the replay check is the last step) and are answered with a fault.
    const warmup = await runLoad({
      url: server.url,
      bodiesFile: warmupFile,
      seconds: options.warmupS,
      workDir: paths.workDir,
      benchDir: paths.benchDir,
    });
    const count = Math.ceil(requestsPerSecond(warmup) * options.durationS * 2) + 2000;
    started = Date.now();
    await signMessages(paths, pki, count, measuredFile);
    log(
      `  warm-up ran at ${Math.round(requestsPerSecond(warmup))} req/s (replays included); signed ${count} distinct messages for the measured run in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const m = await measure(server, paths, options.durationS, measuredFile);
    log(describe('ours (signed)', m));
    recordCpu('signed-small', 'ours', m);
    const failed = failedRequests(m.measured);
    if (failed > 0) notes.push(`signed-small: ${failed} requests failed`);
    notes.push(
      `signed-small: ${m.measured.requests} requests, each a distinct message pre-signed with xml-crypto (RSA-SHA256, exc-c14n, SHA-256 over Body and Timestamp, BinarySecurityToken); ours runs the normal InMemoryReplayCache (enabled)`,
    );
    if (unsignedSmall)
      notes.push(`signed-small vs unsigned small (ours): ${(m.stats.rps / unsignedSmall.rps).toFixed(2)}x`);
    stats.ours = m.stats;
  } catch (error) {
    log(`  ours (signed): FAILED ${(error as Error).message}`);
    notes.push(`signed-small: not measured (${(error as Error).message.split('\n')[0]})`);
  } finally {
    if (server) await stopServer(server);
  }
  const outcome: SignedOutcome = { result: scenarioResult('signed-small', stats) };
  const missing = missingFor('wss4j');
  if (missing !== undefined) {
    skipped['signed-small/wss4j'] = missing;
    log(`  WSS4J peer: SKIPPED (${missing})`);
  } else if (existsSync(measuredFile)) {
    let peer: RunningServer | undefined;
    try {
      const classpath = await buildWss4jPeer(paths, log);
      const responseFile = join(paths.workDir, 'signed-response.xml');
      const parsed = answerParsed(small.request.body);
      writeFileSync(responseFile, parsed.xml);
      const port = await freePort();
      peer = await startServer('wss4j', {
        command: 'java',
        args: ['-cp', classpath, 'bench.wss4j.Wss4jPeer', String(port), pki.cert, responseFile],
        cwd: paths.root,
      });
      const first = readFileSync(measuredFile, 'utf8').split(RECORD_SEPARATOR)[0]!;
      await checkAnswer(peer.url, GET_ORDER_ACTION, first.slice(first.indexOf('\n') + 1), small.expected);
      const curve = await warmUntilPlateau(peer, paths, warmupFile, options.jvmMaxWarmupS);
      warmupCurves['signed-small/wss4j'] = curve;
      log(`  WSS4J warm-up (req/s per 5 s window): ${curve.map((p) => p.rps).join(' -> ')}`);
      const m = await measure(peer, paths, options.durationS, measuredFile);
      log(describe('wss4j peer', m));
      if (failedRequests(m.measured) > 0)
        notes.push(`signed-small/wss4j: ${failedRequests(m.measured)} requests failed`);
      outcome.wss4j = {
        stats: { ...m.stats, rps: Math.round(m.stats.rps) },
        cpu:
          m.cpu === undefined
            ? undefined
            : { usPerRequest: Math.round(m.cpu.usPerRequest), coreShare: Number(m.cpu.coreShare.toFixed(2)) },
      };
      notes.push(
        'signed-small/wss4j: Apache WSS4J 1.6.19 + Santuario 2.1.7 (Debian) on the JDK HTTP server, one worker thread, verifying the very messages ours verified (Timestamp, BinarySecurityToken trust, RSA-SHA256 over Body + Timestamp) and answering a prepared response: no schema work, no replay cache',
      );
      if (stats.ours !== undefined && m.stats.rps > 0)
        notes.push(`signed-small: ours / WSS4J peer = ${(stats.ours.rps / m.stats.rps).toFixed(2)}x by req/s`);
    } catch (error) {
      log(`  WSS4J peer: FAILED ${(error as Error).message}`);
      notes.push(`signed-small/wss4j: not measured (${(error as Error).message.split('\n')[0]})`);
    } finally {
      if (peer) await stopServer(peer);
    }
  }
  rmSync(measuredFile, { force: true });
  return outcome;
}

// ---------------------------------------------------------------------------------------------------

function versionOf(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0]!.trim();
}

function machineInfo(options: Options): Record<string, unknown> {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memoryGB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    kernel: release(),
    node: process.version,
    java: versionOf('java', ['-version']),
    wrk: versionOf('wrk', ['--version']).replace(/ Copyright.*/, ''),
    postgres: versionOf('psql', ['--version']),
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    setup: {
      serverCore: 1,
      loadGeneratorCore: 0,
      loadGenerator: 'wrk -t1 -c32 (bench/wrk/post.lua)',
      niceness: NICENESS,
      connections: 32,
      warmupSeconds: options.warmupS,
      jvmWarmup: `5 s windows until two in a row stay below 1.03x the best before them (at least 20 s, at most ${options.jvmMaxWarmupS} s)`,
      durationSeconds: options.durationS,
      rounds: options.rounds,
      e2e: `partner-orders serve (compiled), NODE_ENV=development with logging.level=${E2E_LOG_LEVEL} (the production level: one JSON access line per request), rate limits raised, --cpu-prof at ${PROFILE_INTERVAL_US} us sampling`,
      servers: SERVER_DESCRIPTIONS,
    },
  };
}

/** Replaces the text between the bench markers of docs/performance.md, when the page has them. */
function updatePerformanceDoc(root: string, section: string): boolean {
  const file = join(root, 'docs', 'performance.md');
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return false;
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${section}\n${text.slice(to)}`);
  return true;
}

function stageTable(rows: readonly StageRow[]): string {
  const names = [...new Set(rows.flatMap((r) => r.stages.map((s) => s.stage)))];
  const lines = [
    `| scenario | req/s | CPU µs/req | ${names.join(' | ')} |`,
    `| --- |${' ---: |'.repeat(names.length + 2)}`,
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${row.rps} | ${row.cpuUsPerRequest} | ${names.map((n) => row.stages.find((s) => s.stage === n)?.usPerRequest ?? '').join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const paths = pathsFor(ROOT);
  mkdirSync(paths.workDir, { recursive: true });
  holdBenchLock(paths.workDir);
  if (options.build) await compileTypeScript(paths, log);
  let metro: MetroBuild | undefined;
  if (options.servers.includes('metro') && options.scenarios.some((s) => s in PLAIN_SCENARIOS)) {
    const missing = missingFor('metro');
    if (missing !== undefined) {
      skipped['metro'] = missing;
      log(`metro: SKIPPED (${missing})`);
    } else {
      try {
        metro = await buildMetro(paths, log);
      } catch (error) {
        skipped['metro'] = `build failed: ${(error as Error).message.split('\n')[0]}`;
        log(`metro: SKIPPED (${skipped['metro']})`);
      }
    }
  }
  const postgresMissing = missingFor('postgres');
  const machine = machineInfo(options);
  log(`machine: ${JSON.stringify(machine)}`);
  const pki = ensurePki(paths);

  const scenarios: ScenarioResult[] = [];
  const stages: Record<string, Stage[]> = {};
  const anchors: { wss4j?: { stats: ServerStats; cpu?: CpuUse }; pgbench?: PgbenchResult } = {};
  let service: ServiceFacts | undefined;
  for (const name of options.scenarios) {
    const plain = PLAIN_SCENARIOS[name];
    if (plain) scenarios.push(await runPlainScenario(plain, paths, metro, options));
    else if (name === 'signed-small') {
      const outcome = await runSignedScenario(paths, options, pki, scenarios.find((s) => s.name === 'small')?.ours);
      scenarios.push(outcome.result);
      if (outcome.wss4j !== undefined) anchors.wss4j = outcome.wss4j;
    } else if (name === 'pgbench') {
      const missing = missingFor('pgbench');
      if (missing !== undefined) {
        skipped['pgbench'] = missing;
        log(`\n== pgbench: SKIPPED (${missing})`);
        continue;
      }
      try {
        anchors.pgbench = await runPgbench(options.durationS, log);
      } catch (error) {
        log(`  pgbench: FAILED ${(error as Error).message}`);
        notes.push(`pgbench: not measured (${(error as Error).message.split('\n')[0]})`);
      }
    } else {
      if (name.startsWith('e2e-postgres-') && postgresMissing !== undefined) {
        skipped[name] = postgresMissing;
        log(`\n== ${name}: SKIPPED (${postgresMissing})`);
        continue;
      }
      const outcome = await runE2eScenario(
        name,
        paths,
        { warmupS: options.warmupS, durationS: options.durationS, pki },
        log,
        notes,
      );
      if (outcome.cpu !== undefined) cpuUse[name] = { ours: outcome.cpu };
      if (outcome.stages !== undefined) stages[name] = outcome.stages;
      scenarios.push(
        scenarioResult(
          name,
          outcome.ours === undefined ? {} : { ours: { ...outcome.ours, responseBytes: outcome.responseBytes } },
        ),
      );
    }
  }
  if (options.scenarios.some((s) => E2E_SCENARIOS.includes(s))) {
    try {
      service = await measureReadyToServe(paths, log, notes, scenarios);
    } catch (error) {
      log(`ready-to-serve: FAILED ${(error as Error).message}`);
      notes.push(`ready to serve: not measured (${(error as Error).message.split('\n')[0]})`);
    }
  }

  const engineRows = scenarios.filter((s) => !s.name.startsWith('e2e-'));
  const e2eRows = scenarios.filter((s) => s.name.startsWith('e2e-') && s.ours !== undefined);
  const stageRows: StageRow[] = e2eRows.map((s) => ({
    name: s.name,
    rps: s.ours!.rps,
    cpuUsPerRequest: cpuUse[s.name]?.ours?.usPerRequest ?? 0,
    stages: stages[s.name] ?? [],
  }));
  const targets = evaluateTargets(scenarios, anchors);
  log(`\n${formatTable(scenarios, cpuUse)}`);
  if (anchors.wss4j)
    log(
      `anchor: WSS4J peer (signed-small messages) ${anchors.wss4j.stats.rps} req/s, CPU ${anchors.wss4j.cpu?.usPerRequest ?? '?'} us/req, core share ${anchors.wss4j.cpu?.coreShare ?? '?'}`,
    );
  if (anchors.pgbench) log(`anchor: pgbench ${JSON.stringify(anchors.pgbench)}`);
  for (const [name, curve] of Object.entries(warmupCurves))
    log(`warm-up ${name}: ${curve.map((p) => `${p.atS}s ${p.rps}`).join(', ')}`);
  for (const t of targets)
    log(`target ${t.met === undefined ? 'n/a ' : t.met ? 'MET ' : 'MISS'} ${t.target}: ${t.actual}`);
  for (const [what, why] of Object.entries(skipped)) log(`skipped ${what}: ${why}`);
  for (const note of notes) log(`note: ${note}`);

  const results = {
    machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))), notes, skipped },
    ratios: Object.fromEntries(
      RATIOS.map(([ratio, a, b]) => [ratio, `${SERVER_LABELS[a]} / ${SERVER_LABELS[b]} by req/s`]),
    ),
    scenarios,
    cpuPerRequest: cpuUse,
    e2eStages: stages,
    warmupCurves,
    anchors,
    targets,
    ...(service ? { service } : {}),
  };
  const complete =
    !options.quick &&
    options.scenarios.length === ALL_SCENARIOS.length &&
    options.servers.length === SERVER_KEYS.length;
  const outDir = complete ? paths.benchDir : paths.workDir;
  const base = complete ? 'results' : options.quick ? 'results-quick' : 'results-partial';
  writeFileSync(join(outDir, `${base}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const subtitle =
    `${machine.cpu as string} (${machine.cores as number} cores), ${options.durationS} s runs after ${options.warmupS} s warm-up (JVM: until flat), 32 connections` +
    `${options.rounds > 1 ? `, best of ${options.rounds}` : ''}, ${machine.date as string}`;
  writeFileSync(
    join(outDir, `${base}.svg`),
    renderSvg(
      engineRows.filter((s) => SERVER_KEYS.some((k) => s[k] !== undefined)),
      cpuUse,
      subtitle,
    ),
  );
  if (stageRows.length > 0)
    writeFileSync(
      join(outDir, `${base}-e2e.svg`),
      renderStagesSvg(stageRows, `${subtitle}; log level ${E2E_LOG_LEVEL}`),
    );
  const markdown = [
    `Measured ${machine.date as string} on ${machine.cpu as string} (${machine.cores as number} cores); load average at start ${(machine.loadAverageAtStart as number[]).join(' / ')}, at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}.`,
    '',
    '### Engine, signed messages and anchors',
    '',
    markdownTable(engineRows, cpuUse),
    '',
    ...(anchors.wss4j
      ? [
          `WSS4J peer on the signed-small messages: ${anchors.wss4j.stats.rps} req/s, ${anchors.wss4j.cpu?.usPerRequest ?? '?'} µs CPU per request (core share ${anchors.wss4j.cpu?.coreShare ?? '?'}).`,
          '',
        ]
      : []),
    ...(anchors.pgbench
      ? [
          `pgbench (scale ${anchors.pgbench.scale}, ${anchors.pgbench.clients} clients = one per core, ${anchors.pgbench.seconds} s): tpcb-like ${anchors.pgbench.tpcbLikeTps} TPS, select-only ${anchors.pgbench.selectOnlyTps} TPS.`,
          '',
        ]
      : []),
    ...(Object.keys(warmupCurves).length > 0
      ? [
          'JVM warm-up curves (req/s per 5 s window): ' +
            Object.entries(warmupCurves)
              .map(([k, c]) => `${k} ${c.map((p) => p.rps).join(' → ')}`)
              .join('; ') +
            '.',
          '',
        ]
      : []),
    `### The real service end to end (log level ${E2E_LOG_LEVEL})`,
    '',
    markdownTable(e2eRows, cpuUse),
    '',
    "### Where the CPU goes (µs per request by stage, from the service's profile of the measured run)",
    '',
    stageTable(stageRows),
    '',
    '### Targets',
    '',
    '| target | result | met |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.actual} | ${t.met === undefined ? 'n/a' : t.met ? 'yes' : 'no'} |`),
    '',
    ...(Object.keys(skipped).length > 0
      ? ['### Skipped', '', ...Object.entries(skipped).map(([k, v]) => `- ${k}: ${v}`), '']
      : []),
  ].join('\n');
  writeFileSync(join(outDir, `${base}.md`), `${markdown}\n`);
  if (complete && updatePerformanceDoc(paths.root, markdown)) log('updated the results section of docs/performance.md');
  log(`\nwrote ${join(outDir, `${base}.json`)}, ${base}.svg, ${base}-e2e.svg and ${base}.md`);
}

interface TargetCheck {
  target: string;
  actual: string;
  met?: boolean;
}

/** The issue's targets, evaluated on this run's figures (n/a when a figure is missing). */
function evaluateTargets(
  scenarios: readonly ScenarioResult[],
  anchors: { wss4j?: { stats: ServerStats }; pgbench?: PgbenchResult },
): TargetCheck[] {
  const get = (name: string) => scenarios.find((s) => s.name === name);
  const checks: TargetCheck[] = [];
  const ratio = (target: string, a: number | undefined, b: number | undefined, min: number, what: string): void => {
    if (a === undefined || b === undefined || b === 0) checks.push({ target, actual: `${what}: not measured` });
    else checks.push({ target, actual: `${what} = ${a} / ${b} = ${(a / b).toFixed(2)}x`, met: a / b >= min });
  };
  ratio(
    'ours >= 1.5x a fully warmed Metro on small',
    get('small')?.ours?.rps,
    get('small')?.metro?.rps,
    1.5,
    'small ours / metro',
  );
  ratio(
    'ours >= 2x Metro on 200-line responses',
    get('large-response')?.ours?.rps,
    get('large-response')?.metro?.rps,
    2,
    'large-response ours / metro',
  );
  ratio(
    'ours on Express >= 2x node-soap on Express (small)',
    get('small')?.oursExpress?.rps,
    get('small')?.nodeSoap?.rps,
    2,
    'small ours-express / node-soap-express',
  );
  ratio(
    'ours on node:http >= 0.5x the true floor (small)',
    get('small')?.ours?.rps,
    get('small')?.trueFloor?.rps,
    0.5,
    'small ours / true-floor',
  );
  ratio(
    'PasswordText e2e >= 0.9x PasswordDigest e2e (GetProduct, SQLite)',
    get('e2e-sqlite-getproduct-text')?.ours?.rps,
    get('e2e-sqlite-getproduct-digest')?.ours?.rps,
    0.9,
    'text / digest',
  );
  const text = get('e2e-sqlite-getproduct-text')?.ours?.rps;
  checks.push(
    text === undefined
      ? { target: 'PasswordText e2e >= 800 req/s on one core (GetProduct, SQLite)', actual: 'not measured' }
      : {
          target: 'PasswordText e2e >= 800 req/s on one core (GetProduct, SQLite)',
          actual: `${text} req/s`,
          met: text >= 800,
        },
  );
  ratio(
    "e2e GetProduct >= 0.25x the engine's small (SQLite, PasswordDigest)",
    get('e2e-sqlite-getproduct-digest')?.ours?.rps,
    get('small')?.ours?.rps,
    0.25,
    'e2e getproduct / small',
  );
  ratio(
    'e2e SubmitOrder on PostgreSQL >= 0.5x pgbench tpcb-like TPS',
    get('e2e-postgres-submitorder-digest')?.ours?.rps,
    anchors.pgbench?.tpcbLikeTps,
    0.5,
    'submitorder (digest) / pgbench tpcb-like',
  );
  ratio(
    'signed-small >= 2x the WSS4J peer',
    get('signed-small')?.ours?.rps,
    anchors.wss4j?.stats.rps,
    2,
    'ours signed / wss4j',
  );
  ratio(
    'signed-small >= 0.2x our unsigned small',
    get('signed-small')?.ours?.rps,
    get('small')?.ours?.rps,
    0.2,
    'signed / small',
  );
  const rss = scenarios
    .flatMap((s) => SERVER_KEYS.filter((k) => k === 'ours' || k === 'oursExpress').map((k) => s[k]?.rssMB))
    .filter((v): v is number => v !== undefined);
  checks.push(
    rss.length === 0
      ? { target: 'RSS < 250 MB under every scenario (ours)', actual: 'not measured' }
      : {
          target: 'RSS < 250 MB under every scenario (ours)',
          actual: `highest peak RSS ${Math.max(...rss).toFixed(1)} MB`,
          met: Math.max(...rss) < 250,
        },
  );
  return checks;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
