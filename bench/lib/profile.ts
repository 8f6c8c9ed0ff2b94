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
    [...map].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, count]) => ({ name, share: count / Math.max(total, 1) }));
  return { samples: total, functions: ranked(functions, top), files: ranked(files, top), inclusive: ranked(inclusive, 50) };
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const pct = (share: number): string => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `${title} (${summary.samples} samples, idle excluded)`,
    '  self time by function:',
    ...summary.functions.map((h) => `    ${pct(h.share)}  ${h.name}`),
    '  self time by file:',
    ...summary.files.slice(0, 15).map((h) => `    ${pct(h.share)}  ${h.name}`),
    ...(summary.inclusive.length > 0 ? ['  inclusive time:', ...summary.inclusive.map((h) => `    ${pct(h.share)}  ${h.name}`)] : []),
  ].join('\n');
}

/** Functions whose inclusive time the summary reports: the stages of the engine's request path. */
export const ENGINE_STAGES = [
  'http.ts:handleWithBody', 'message-dispatcher.ts:process', 'envelope.ts:parseEnvelope', 'fast.ts:parseXml', 'decode.ts:decodeElement',
  'encode.ts:encodeElement', 'envelope-write.ts:wrapEnvelope', 'security-header.ts:processSecurityHeader',
  'x509-signature.ts:verifyX509Signature', 'read-body.ts:readBody', 'routing.ts:route',
  // signed messages: where verification spends its time
  'certificate-info.ts:describeCertificate', 'signed-xml.js:checkSignature', 'signed-xml.js:validateReference', 'signed-xml.js:getCanonXml',
  'signed-xml.js:getCanonSignedInfoXml', 'signed-xml.js:loadSignature', 'utils.js:findAncestorNs', 'dom-parser.js:parseFromString',
  'security-header.ts:domContext', 'security-header.ts:indexIds', 'xpath.js:select', 'xpath.js:selectWithResolver',
];

/** Prints the summary of the (first) .cpuprofile node wrote into `dir`. */
export function printProfileDir(name: string, dir: string, log: (line: string) => void, stages: readonly string[] = ENGINE_STAGES): void {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) {
    log(`  (no profile written in ${dir})`);
    return;
  }
  const file = join(dir, files[0]!);
  log(formatProfile(`profile of ours, ${name}: ${file}`, summarizeProfile(file, stages)));
}
