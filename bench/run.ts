/**
 * npm run bench [-- --quick] [--scenarios a,b] [--servers ours,httpFloor] [--warmup s] [--duration s]
 *               [--rounds n] [--profile] [--no-build]
 *
 * Serves the bench WSDL (bench/wsdl/bench.wsdl) from five servers with the same in-memory data, one
 * after another, each pinned to core 1 (taskset -c 1) while wrk drives it from core 0 with 32
 * connections: a warm-up, then the measured run. Prints req/s, p50/p99 latency and peak RSS per server
 * and the ratios of ours to each other server, and writes bench/results.json, results.svg and results.md
 * (only a complete run does; --quick (3 s runs) and partial runs write to bench/.work/).
 * --rounds n measures every server n times per scenario (fresh process each, servers in turn) and keeps
 * the best run, which damps the effect of other work on a shared machine.
 * --profile runs only ours under `node --cpu-prof` and prints where the time goes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  GET_ORDER_ACTION, ORDERS, SUBMIT_ORDER_ACTION, envelope, expectedSubmitOutcome, getOrderPayload, orderIdFor, submitOrderPayload,
} from './data';
import { buildMetro, compileTypeScript, pathsFor, type BuildPaths, type MetroBuild } from './lib/build';
import { checkAnswer, type ExpectedAnswer } from './lib/check';
import { RECORD_SEPARATOR, failedRequests, requestsPerSecond, runLoad, writeRequests, type LoadResult, type SoapRequest } from './lib/load';
import { NICENESS, cpuTimeMs, freePort, peakRssMB, run, startServer, stopServer, type RunningServer, type ServerCommand } from './lib/process';
import { holdBenchLock } from './lib/lock';
import { printProfileDir } from './lib/profile';
import {
  SERVER_KEYS, SERVER_LABELS, formatTable, markdownTable, renderSvg, scenarioResult,
  type CpuTable, type CpuUse, type ScenarioResult, type ServerKey, type ServerStats,
} from './lib/report';
import { runE2eScenario, E2E_SCENARIOS, measureReadyToServe, type ServiceFacts } from './lib/e2e';

const ROOT = resolve(__dirname, existsSync(join(__dirname, '..', 'package.json')) ? '..' : join('..', '..', '..'));

interface Options {
  quick: boolean;
  warmupS: number;
  durationS: number;
  scenarios: string[];
  servers: ServerKey[];
  profile: boolean;
  build: boolean;
  /** Each plain scenario is measured this many times per server (fresh process each time); the best run counts. */
  rounds: number;
}

const ALL_SCENARIOS = ['small', 'large-response', 'large-request', 'signed-small', ...E2E_SCENARIOS];

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index < 0 ? undefined : argv[index + 1];
  };
  const quick = argv.includes('--quick');
  const scenarios = value('scenarios')?.split(',') ?? ALL_SCENARIOS;
  for (const s of scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (known: ${ALL_SCENARIOS.join(', ')})`);
  const servers = (value('servers')?.split(',') ?? [...SERVER_KEYS]) as ServerKey[];
  for (const s of servers) if (!SERVER_KEYS.includes(s)) throw new Error(`unknown server ${s} (known: ${SERVER_KEYS.join(', ')})`);
  return {
    quick,
    // 15 s: on one core the JVM's JIT needs that long to settle (metro's CPU per request still fell 3x
    // between 5 s and 15 s of warm-up, and no further by 30 s); V8 settles within 5 s.
    warmupS: Number(value('warmup') ?? (quick ? 2 : 15)),
    durationS: Number(value('duration') ?? (quick ? 3 : 10)),
    scenarios,
    servers: argv.includes('--profile') ? ['ours'] : servers,
    profile: argv.includes('--profile'),
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

function serverCommand(key: ServerKey, paths: BuildPaths, metro: MetroBuild | undefined, port: number, extra: { signedCert?: string; cpuProfDir?: string }): ServerCommand {
  const js = (name: string): string => join(paths.distDir, 'bench', 'servers', `${name}.js`);
  const nodeFlags = extra.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', extra.cpuProfDir];
  switch (key) {
    case 'ours':
      return { command: process.execPath, args: [...nodeFlags, js('ours'), '--port', '0', ...(extra.signedCert ? ['--signed', extra.signedCert] : [])], cwd: paths.root };
    case 'nodeSoap':
      return { command: process.execPath, args: [js('node-soap'), '--port', '0'], cwd: paths.root };
    case 'expressFloor':
      return { command: process.execPath, args: [js('express-floor'), '--port', '0'], cwd: paths.root };
    case 'httpFloor':
      return { command: process.execPath, args: [js('http-floor'), '--port', '0'], cwd: paths.root };
    case 'metro':
      if (metro === undefined) throw new Error('metro was not built');
      // Monitoring off: Debian's jaxws lacks the gmbal timer classes and would log a stack trace at start.
      // TCP_NODELAY on: the JDK HTTP server writes headers and body separately, and with Nagle's algorithm
      // against the client's delayed ACK every keep-alive response would wait ~40 ms.
      return { command: 'java', args: ['-Dcom.sun.xml.ws.monitoring.endpoint=false', '-Dsun.net.httpserver.nodelay=true', '-cp', metro.classpath, 'bench.metro.BenchServer', String(port)], cwd: paths.root };
  }
}

interface Measurement {
  readonly stats: ServerStats;
  readonly cpu?: CpuUse;
  readonly warmup: LoadResult;
  readonly measured: LoadResult;
}

function statsOf(result: LoadResult, rssMB: number): ServerStats {
  return { rps: requestsPerSecond(result), p50Ms: result.p50Us / 1000, p99Ms: result.p99Us / 1000, rssMB };
}

/** Warm-up, then the measured run; peak RSS (VmHWM) read while the process is still alive. */
async function measure(server: RunningServer, paths: BuildPaths, options: Options, warmupFile: string, measuredFile: string,
  beforeMeasured?: (warmup: LoadResult) => Promise<void>): Promise<Measurement> {
  const warmup = await runLoad({ url: server.url, bodiesFile: warmupFile, seconds: options.warmupS, workDir: paths.workDir, benchDir: paths.benchDir });
  if (beforeMeasured) await beforeMeasured(warmup);
  const cpuBefore = cpuTimeMs(server.pid);
  const measured = await runLoad({ url: server.url, bodiesFile: measuredFile, seconds: options.durationS, workDir: paths.workDir, benchDir: paths.benchDir });
  const cpuAfter = cpuTimeMs(server.pid);
  const rss = peakRssMB(server.pid) ?? Number.NaN;
  const cpu = cpuBefore === undefined || cpuAfter === undefined || measured.requests === 0 ? undefined : {
    usPerRequest: ((cpuAfter - cpuBefore) * 1000) / measured.requests,
    coreShare: (cpuAfter - cpuBefore) / (measured.durationUs / 1000),
  };
  return { stats: statsOf(measured, rss), cpu, warmup, measured };
}

function describe(key: ServerKey, m: Measurement): string {
  const failed = failedRequests(m.measured);
  return `  ${SERVER_LABELS[key].padEnd(14)} ${Math.round(m.stats.rps).toString().padStart(7)} req/s  p50 ${m.stats.p50Ms.toFixed(2)} ms  ` +
    `p99 ${m.stats.p99Ms.toFixed(2)} ms  peak RSS ${m.stats.rssMB.toFixed(1)} MB` +
    (m.cpu === undefined ? '' : `  CPU ${Math.round(m.cpu.usPerRequest)} us/req, core share ${m.cpu.coreShare.toFixed(2)}`) +
    (failed > 0 ? `  (${failed} FAILED requests)` : '');
}

const notes: string[] = [];
const cpuUse: CpuTable = {};

function recordCpu(scenario: string, key: ServerKey, m: Measurement): void {
  if (m.cpu === undefined) return;
  cpuUse[scenario] = { ...cpuUse[scenario], [key]: { usPerRequest: Math.round(m.cpu.usPerRequest), coreShare: Number(m.cpu.coreShare.toFixed(2)) } };
}

async function runPlainScenario(scenario: Scenario, paths: BuildPaths, metro: MetroBuild | undefined, options: Options): Promise<ScenarioResult> {
  log(`\n== ${scenario.name} (${options.warmupS} s warm-up + ${options.durationS} s${options.rounds > 1 ? `, best of ${options.rounds} rounds` : ''}, ${scenario.request.body.length} request bytes)`);
  const bodies = writeRequests(join(paths.workDir, `${scenario.name}.bodies`), [scenario.request]);
  const best: Partial<Record<ServerKey, Measurement>> = {};
  // Rounds go over all servers in turn, so a burst of other work on the machine hits one round of each
  // server rather than every run of one of them.
  for (let round = 1; round <= options.rounds; round++) {
    for (const key of options.servers) {
      const profileDir = options.profile ? join(paths.workDir, 'profiles', scenario.name) : undefined;
      if (profileDir) rmSync(profileDir, { recursive: true, force: true });
      const port = key === 'metro' ? await freePort() : 0;
      let server: RunningServer | undefined;
      try {
        server = await startServer(SERVER_LABELS[key], serverCommand(key, paths, metro, port, { cpuProfDir: profileDir }));
        await checkAnswer(server.url, scenario.request.action, scenario.request.body, scenario.expected);
        const m = await measure(server, paths, options, bodies, bodies);
        log(describe(key, m) + (options.rounds > 1 ? `  [round ${round}]` : ''));
        if (failedRequests(m.measured) > 0) {
          notes.push(`${scenario.name}/${SERVER_LABELS[key]}: ${failedRequests(m.measured)} requests failed (run discarded)`);
        } else if (best[key] === undefined || m.stats.rps > best[key]!.stats.rps) {
          best[key] = m;
        }
      } catch (error) {
        log(`  ${SERVER_LABELS[key]}: FAILED ${(error as Error).message}`);
        notes.push(`${scenario.name}/${SERVER_LABELS[key]}: not measured (${(error as Error).message.split('\n')[0]})`);
      } finally {
        if (server) await stopServer(server);
      }
      if (profileDir) printProfile(scenario.name, profileDir);
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

const printProfile = (name: string, dir: string): void => printProfileDir(name, dir, log);

// ---------------------------------------------------------------------------------------------------
// signed-small: ours with the WS-Security interceptor, distinct pre-signed messages
// ---------------------------------------------------------------------------------------------------

function ensurePki(paths: BuildPaths): { key: string; cert: string } {
  const dir = join(paths.workDir, 'pki');
  const key = join(dir, 'client.key.pem');
  const cert = join(dir, 'client.cert.pem');
  if (!existsSync(cert)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-days', '30', '-nodes', '-keyout', key, '-out', cert,
      '-subj', '/CN=bench-client/O=Bench'], { stdio: 'pipe' });
  }
  return { key, cert };
}

/**
 * Signs `count` distinct messages with two parallel xml-crypto processes (the servers are idle meanwhile).
 * Message i is Created at `base - i` ms, and RSA PKCS#1 v1.5 signatures are deterministic, so two batches
 * whose Created ranges overlap share identical messages, which the replay cache rightly refuses: the
 * warm-up batch is therefore dated two minutes back (still well inside the 5-minute window).
 */
async function signMessages(paths: BuildPaths, pki: { key: string; cert: string }, count: number, file: string, ageMs = 0): Promise<void> {
  const base = Date.now() - ageMs;
  const halves = [Math.ceil(count / 2), Math.floor(count / 2)];
  const signer = join(paths.distDir, 'bench', 'sign.js');
  const parts = [`${file}.0`, `${file}.1`];
  await Promise.all([
    run('taskset', ['-c', '0', process.execPath, signer, pki.key, pki.cert, String(base), '0', String(halves[0]), parts[0]!]),
    run('taskset', ['-c', '1', process.execPath, signer, pki.key, pki.cert, String(base), String(halves[0]), String(halves[1]), parts[1]!]),
  ]);
  writeFileSync(file, parts.map((p) => readFileSync(p, 'utf8')).filter((t) => t.length > 0).join(RECORD_SEPARATOR));
  for (const p of parts) rmSync(p, { force: true });
}

async function runSignedScenario(paths: BuildPaths, options: Options, unsignedSmall: ServerStats | undefined): Promise<ScenarioResult> {
  log(`\n== signed-small (RSA-SHA256 2048-bit, Body + Timestamp signed; ${options.warmupS} s warm-up + ${options.durationS} s)`);
  const pki = ensurePki(paths);
  const warmupFile = join(paths.workDir, 'signed-warmup.bodies');
  const measuredFile = join(paths.workDir, 'signed-measured.bodies');
  const profileDir = options.profile ? join(paths.workDir, 'profiles', 'signed-small') : undefined;
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  let started = Date.now();
  await signMessages(paths, pki, 3000, warmupFile, 120_000);
  log(`  signed 3000 warm-up messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let server: RunningServer | undefined;
  const stats: Partial<Record<ServerKey, ServerStats>> = {};
  try {
    server = await startServer('ours (signed)', serverCommand('ours', paths, undefined, 0, { signedCert: pki.cert, cpuProfDir: profileDir }));
    const first = readFileSync(warmupFile, 'utf8').split(RECORD_SEPARATOR)[0]!;
    const small = PLAIN_SCENARIOS['small']!;
    await checkAnswer(server.url, GET_ORDER_ACTION, first.slice(first.indexOf('\n') + 1), small.expected);
    const m = await measure(server, paths, options, warmupFile, measuredFile, async (warmup) => {
      // The warm-up cycles through 3000 messages, so most of it are replays: those still go through the
      // whole signature verification (the replay check is the last step) and are answered with a fault.
      // Its rate roughly bounds the measured run's, which gets one fresh message per request. The margin
      // is wide because a short warm-up is not JIT-settled (a --quick run measured 2x its warm-up rate).
      const count = Math.ceil(requestsPerSecond(warmup) * options.durationS * 2) + 2000;
      started = Date.now();
      await signMessages(paths, pki, count, measuredFile);
      log(`  warm-up ran at ${Math.round(requestsPerSecond(warmup))} req/s (replays included); signed ${count} distinct messages for the measured run in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
    log(describe('ours', m));
    recordCpu('signed-small', 'ours', m);
    const failed = failedRequests(m.measured);
    if (failed > 0) {
      notes.push(`signed-small: ${failed} requests failed`);
      // The server logs each rejection; show why, so a failed run can be told from a slow one.
      const reasons = new Map<string, number>();
      for (const line of server.output().split('\n')) {
        const why = /request rejected (.*)$/.exec(line)?.[1]?.replace(/"\d{4}-[^"]*"/g, '<time>').slice(0, 160);
        if (why !== undefined) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      }
      for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)) log(`  rejected ${n}x: ${why}`);
    }
    notes.push(`signed-small: ${m.measured.requests} requests, each a distinct message pre-signed with xml-crypto (RSA-SHA256, exc-c14n, SHA-256 over Body and Timestamp, BinarySecurityToken); the replay cache is the normal InMemoryReplayCache (enabled)`);
    if (unsignedSmall) {
      const ratio = m.stats.rps / unsignedSmall.rps;
      log(`  signed-small / small (ours): ${ratio.toFixed(2)}x`);
      notes.push(`signed-small vs unsigned small (ours): ${ratio.toFixed(2)}x`);
    }
    stats.ours = m.stats;
  } catch (error) {
    log(`  ours (signed): FAILED ${(error as Error).message}`);
    notes.push(`signed-small: not measured (${(error as Error).message.split('\n')[0]})`);
  } finally {
    if (server) await stopServer(server);
  }
  if (profileDir) printProfile('signed-small', profileDir);
  return scenarioResult('signed-small', stats);
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
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    setup: {
      serverCore: 1,
      loadGeneratorCore: 0,
      loadGenerator: 'wrk -t1 -c32 (bench/wrk/post.lua)',
      niceness: NICENESS,
      connections: 32,
      warmupSeconds: options.warmupS,
      durationSeconds: options.durationS,
      rounds: options.rounds,
      servers: 'compiled JavaScript on plain node (no loader); metro = JAX-WS RI (Debian jaxws) on the JDK HTTP server, default JVM flags, -Dsun.net.httpserver.nodelay=true',
    },
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const paths = pathsFor(ROOT);
  mkdirSync(paths.workDir, { recursive: true });
  holdBenchLock(paths.workDir);
  if (options.build) await compileTypeScript(paths, log);
  const metro = options.servers.includes('metro') && options.scenarios.some((s) => s in PLAIN_SCENARIOS) ? await buildMetro(paths, log) : undefined;
  const machine = machineInfo(options);
  log(`machine: ${JSON.stringify(machine)}`);

  const scenarios: ScenarioResult[] = [];
  let service: ServiceFacts | undefined;
  for (const name of options.scenarios) {
    const plain = PLAIN_SCENARIOS[name];
    if (plain) scenarios.push(await runPlainScenario(plain, paths, metro, options));
    else if (name === 'signed-small') scenarios.push(await runSignedScenario(paths, options, scenarios.find((s) => s.name === 'small')?.ours));
    else {
      const outcome = await runE2eScenario(name, paths, options, log, notes);
      if (outcome.cpu !== undefined) cpuUse[name] = { ours: outcome.cpu };
      scenarios.push(scenarioResult(name, outcome.ours === undefined ? {} : { ours: outcome.ours }));
    }
  }
  if (options.scenarios.some((s) => E2E_SCENARIOS.includes(s)) && !options.profile) {
    try {
      service = await measureReadyToServe(paths, log, notes, scenarios);
    } catch (error) {
      log(`ready-to-serve: FAILED ${(error as Error).message}`);
      notes.push(`ready to serve: not measured (${(error as Error).message.split('\n')[0]})`);
    }
  }

  log(`\n${formatTable(scenarios, cpuUse)}`);
  for (const note of notes) log(`note: ${note}`);
  const results = { machine: { ...machine, notes }, scenarios, cpuPerRequest: cpuUse, ...(service ? { service } : {}) };
  // Only a complete run (every scenario and server, full durations) replaces the published results.
  const complete = !options.quick && !options.profile && options.scenarios.length === ALL_SCENARIOS.length && options.servers.length === SERVER_KEYS.length;
  const outDir = complete ? paths.benchDir : paths.workDir;
  const base = complete ? 'results' : options.quick ? 'results-quick' : 'results-partial';
  writeFileSync(join(outDir, `${base}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, `${base}.svg`), renderSvg(scenarios.filter((s) => SERVER_KEYS.some((k) => s[k] !== undefined)), cpuUse,
    `${machine.cpu as string} (${machine.cores as number} cores), ${options.durationS} s runs after ${options.warmupS} s warm-up, 32 connections` +
    `${options.rounds > 1 ? `, best of ${options.rounds}` : ''}, ${machine.date as string}; e2e = the real service (ours only)`));
  writeFileSync(join(outDir, `${base}.md`), `${markdownTable(scenarios, cpuUse)}\n`);
  log(`\nwrote ${join(outDir, `${base}.json`)}, ${base}.svg and ${base}.md`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
