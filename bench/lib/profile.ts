/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and attributes the sampled time to functions (self time) and
 * to source files, the evidence behind the hot-path notes. Compiled paths under bench/.work/dist are
 * shown as their TypeScript source paths.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  readonly name: string;
  readonly share: number;
}

export interface ProfileSummary {
  readonly samples: number;
  readonly functions: HotSpot[];
  readonly files: HotSpot[];
  /** Inclusive time of selected functions (what a function and everything it calls cost). */
  readonly inclusive: HotSpot[];
}

function sourceName(url: string): string {
  if (url === '') return '(native/V8)';
  const path = url.replace(/^file:\/\//, '');
  const dist = path.indexOf('/.work/dist/');
  if (dist >= 0) return path.slice(dist + '/.work/dist/'.length).replace(/\.js$/, '.ts');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  return path.startsWith('node:') ? path : path.replace(/^.*\/(lib\/)/, 'node:$1');
}

export function summarizeProfile(file: string, inclusiveOf: readonly string[] = [], top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const counts = new Map<number, number>();
  for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
  let total = 0;
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of counts) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += count;
    const file = sourceName(url);
    const label = `${file}:${functionName || '(anonymous)'}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(label, (functions.get(label) ?? 0) + count);
    files.set(file, (files.get(file) ?? 0) + count);
    if (inclusiveOf.length > 0) {
      const seen = new Set<string>();
      for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
        const frame = byId.get(cursor)!.callFrame;
        const key = `${sourceName(frame.url)}:${frame.functionName}`;
        if (inclusiveOf.some((wanted) => key.endsWith(wanted)) && !seen.has(key)) {
          seen.add(key);
          inclusive.set(key, (inclusive.get(key) ?? 0) + count);
        }
      }
    }
  }
  const ranked = (map: Map<string, number>, limit: number): HotSpot[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, count]) => ({ name, share: count / Math.max(total, 1) }));
  return {
    samples: total,
    functions: ranked(functions, top),
    files: ranked(files, top),
    inclusive: ranked(inclusive, 50),
  };
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const pct = (share: number): string => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `${title} (${summary.samples} samples, idle excluded)`,
    '  self time by function:',
    ...summary.functions.map((h) => `    ${pct(h.share)}  ${h.name}`),
    '  self time by file:',
    ...summary.files.slice(0, 15).map((h) => `    ${pct(h.share)}  ${h.name}`),
    ...(summary.inclusive.length > 0
      ? ['  inclusive time:', ...summary.inclusive.map((h) => `    ${pct(h.share)}  ${h.name}`)]
      : []),
  ].join('\n');
}

/** Functions whose inclusive time the summary reports: the stages of the engine's request path. */
export const ENGINE_STAGES = [
  'http.ts:handleWithBody',
  'message-dispatcher.ts:process',
  'envelope.ts:parseEnvelope',
  'fast.ts:parseXml',
  'decode.ts:decodeElement',
  'encode.ts:encodeElement',
  'envelope-write.ts:wrapEnvelope',
  'security-header.ts:processSecurityHeader',
  'x509-signature.ts:verifyX509Signature',
  'read-body.ts:readBody',
  'routing.ts:route',
  // signed messages: where verification spends its time
  'certificate-info.ts:describeCertificate',
  'signed-xml.js:checkSignature',
  'signed-xml.js:validateReference',
  'signed-xml.js:getCanonXml',
  'signed-xml.js:getCanonSignedInfoXml',
  'signed-xml.js:loadSignature',
  'utils.js:findAncestorNs',
  'dom-parser.js:parseFromString',
  'security-header.ts:domContext',
  'security-header.ts:indexIds',
  'xpath.js:select',
  'xpath.js:selectWithResolver',
];

/** Prints the summary of the (first) .cpuprofile node wrote into `dir`. */
export function printProfileDir(
  name: string,
  dir: string,
  log: (line: string) => void,
  stages: readonly string[] = ENGINE_STAGES,
): void {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) {
    log(`  (no profile written in ${dir})`);
    return;
  }
  const file = join(dir, files[0]!);
  log(formatProfile(`profile of ours, ${name}: ${file}`, summarizeProfile(file, stages)));
}

export interface Stage {
  readonly stage: string;
  /** Share of the busy (non-idle) samples in the window. */
  readonly share: number;
  /** share x the measured CPU time per request (the profile covers the main thread only). */
  readonly usPerRequest: number;
}

/**
 * Stages of the service's request path. The libraries' stages (`anywhere`) claim a sample when any frame
 * of its stack is theirs, in this order: a socket write under winston is logging, under pg it is SQL, and
 * node:crypto under secret-box.ts is UsernameToken. The rest are tried from the leaf up, so engine code
 * called from node:http's request event is the engine's, and node:http code called by the engine is HTTP.
 */
const STAGE_RULES: readonly { stage: string; anywhere?: boolean; test: (file: string, fn: string) => boolean }[] = [
  { stage: 'GC', anywhere: true, test: (file, fn) => file === '(native/V8)' && fn === '(garbage collector)' },
  {
    stage: 'SQL: statement preparation',
    anywhere: true,
    test: (file, fn) => file.endsWith('better-sqlite3/lib/methods/wrappers.js') && fn === 'prepare',
  },
  {
    stage: 'SQL: driver and execution',
    anywhere: true,
    test: (file, fn) =>
      /node_modules\/(better-sqlite3|pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//.test(file) ||
      (file.includes('knex/lib/dialects/') && fn === '_query') ||
      file === 'src/db/sqlite-client.ts',
  },
  {
    stage: 'SQL: knex query building, compiling, pool, transactions',
    anywhere: true,
    test: (file) => /node_modules\/(knex|tarn)\//.test(file),
  },
  {
    stage: 'logging (winston JSON)',
    anywhere: true,
    test: (file) =>
      /node_modules\/(winston|winston-transport|logform|safe-stable-stringify|triple-beam|@colors)\//.test(file) ||
      file === 'src/ops/logging.ts',
  },
  {
    stage: 'WS-Security: X.509 signature (xml-crypto, c14n, DOM, RSA)',
    anywhere: true,
    test: (file) =>
      /node_modules\/(xml-crypto|@xmldom|xpath)\//.test(file) ||
      /src\/soap\/security\/(x509-signature|certificate-cache|certificate-info|cli-certs|dom-rules|algorithms)\.ts$/.test(
        file,
      ),
  },
  {
    stage: 'WS-Security: UsernameToken, digest secret, replay cache',
    anywhere: true,
    test: (file) =>
      /src\/soap\/security\/(username-token|secret-box|password-hash|verified-passwords|replay-cache)\.ts$/.test(
        file,
      ) ||
      file === 'src/db/stores/credential-store.ts' ||
      file === 'node_modules/lru-cache/dist/commonjs/index.js',
  },
  {
    stage: 'HTTP and sockets',
    test: (file, fn) =>
      /^node:(_http_|net|internal\/(http|stream_base_commons|streams|js_stream_socket)|stream|_stream)/.test(file) ||
      (file === '(native/V8)' && /^(writev|writeUtf8String|writeLatin1String|writeBuffer|shutdown)$/.test(fn)),
  },
  { stage: 'WS-Security: header processing', test: (file) => file.startsWith('src/soap/security/') },
  { stage: 'XML parsing', test: (file) => file.startsWith('src/soap/xml/') },
  {
    stage: 'schema decode/encode',
    test: (file) => file.startsWith('src/soap/schema/') || file.startsWith('src/generated/'),
  },
  { stage: 'SOAP engine (envelope, dispatch, pipeline, transport)', test: (file) => file.startsWith('src/soap/') },
  { stage: 'service and data mapping', test: (file) => file.startsWith('src/service/') || file.startsWith('src/db/') },
  {
    stage: 'ops (metrics, rate limits, caches, health)',
    test: (file) =>
      file.startsWith('src/ops/') || /node_modules\/(prom-client|rate-limiter-flexible|tdigest|bintrees)\//.test(file),
  },
];

/** Where the samples of `window` (monotonic microseconds, same clock as process.hrtime) went, by stage. */
export function stageBreakdown(
  file: string,
  window: { startUs: number; endUs: number },
  cpuUsPerRequest: number,
): Stage[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile & { startTime: number };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stageOfNode = new Map<number, string>();
  const stageOf = (id: number): string => {
    const known = stageOfNode.get(id);
    if (known !== undefined) return known;
    let stage = 'other (V8, microtasks, timers, unattributed)';
    const frames: { file: string; fn: string }[] = [];
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const frame = byId.get(cursor)!.callFrame;
      frames.push({ file: sourceName(frame.url), fn: frame.functionName });
    }
    const library = STAGE_RULES.find((r) => r.anywhere === true && frames.some((f) => r.test(f.file, f.fn)));
    if (library !== undefined) stage = library.stage;
    else {
      for (const frame of frames) {
        const rule = STAGE_RULES.find((r) => r.anywhere !== true && r.test(frame.file, frame.fn));
        if (rule !== undefined) {
          stage = rule.stage;
          break;
        }
      }
    }
    stageOfNode.set(id, stage);
    return stage;
  };
  const counts = new Map<string, number>();
  let total = 0;
  let time = profile.startTime;
  profile.samples.forEach((sample, i) => {
    time += profile.timeDeltas[i] ?? 0;
    if (time < window.startUs || time > window.endUs) return;
    if (byId.get(sample)!.callFrame.functionName === '(idle)') return;
    const stage = stageOf(sample);
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
    total++;
  });
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([stage, count]) => ({
      stage,
      share: Number((count / Math.max(total, 1)).toFixed(3)),
      usPerRequest: Math.round((count / Math.max(total, 1)) * cpuUsPerRequest),
    }));
}
