/**
 * The real-world corpus (test/fixtures/real-world, listed in its corpus.json): load each contract with the
 * corpus catalog, generate its code, type-check all generated code in one tsc run. Used by
 * real-world.test.ts and printable on its own: `npx tsx test/soap/wsdl/real-world-corpus.ts`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateContract } from '../../../src/soap/codegen/generate';
import type { ContractModel } from '../../../src/soap/schema/model';
import { loadContract } from '../../../src/soap/wsdl/load';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CORPUS_DIR = 'test/fixtures/real-world';
export const CORPUS_CATALOG = `${CORPUS_DIR}/catalog.xml`;

export interface CorpusEntry {
  /** Contract id (also the generated folder's name). */
  id: string;
  /** WSDL path relative to the corpus folder. */
  wsdl: string;
}

export interface CorpusOutcome {
  entry: CorpusEntry;
  model?: ContractModel;
  /** First stage that failed, or 'ok'. */
  stage: 'load' | 'generate' | 'compile' | 'ok';
  error?: string;
}

export function corpusEntries(): CorpusEntry[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, CORPUS_DIR, 'corpus.json'), 'utf8')) as { contracts: CorpusEntry[] };
  return manifest.contracts;
}

/** Load and generate every contract, then type-check all generated code at once. */
export function runCorpus(entries: CorpusEntry[] = corpusEntries()): CorpusOutcome[] {
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'real-world-'));
  const outcomes: CorpusOutcome[] = [];
  const generated: { outcome: CorpusOutcome; files: string[] }[] = [];
  for (const entry of entries) {
    const outcome: CorpusOutcome = { entry, stage: 'load' };
    outcomes.push(outcome);
    let model: ContractModel;
    try {
      model = loadContract(path.posix.join(CORPUS_DIR, entry.wsdl), { id: entry.id, projectRoot: PROJECT_ROOT, catalog: CORPUS_CATALOG });
    } catch (err) {
      outcome.error = (err as Error).message;
      continue;
    }
    outcome.model = model;
    outcome.stage = 'generate';
    try {
      const outDir = path.join(outRoot, entry.id);
      const files = generateContract(model, { wsdl: entry.wsdl, outDir, engineDir: path.join(PROJECT_ROOT, 'src/soap') });
      fs.mkdirSync(outDir, { recursive: true });
      const written: string[] = [];
      for (const [name, text] of files) {
        fs.writeFileSync(path.join(outDir, name), text);
        written.push(path.join(outDir, name));
      }
      generated.push({ outcome, files: written });
      outcome.stage = 'compile';
    } catch (err) {
      outcome.error = (err as Error).message;
    }
  }
  const errors = typeCheck(outRoot, generated.flatMap((g) => g.files));
  for (const { outcome } of generated) {
    const own = errors.filter((e) => e.startsWith(path.join(outRoot, outcome.entry.id) + path.sep));
    if (own.length === 0) outcome.stage = 'ok';
    else outcome.error = `${own.length} type error(s), first: ${own[0].slice(outRoot.length + 1)}`;
  }
  fs.rmSync(outRoot, { recursive: true, force: true });
  return outcomes;
}

/** tsc over the given files (strict, as the project); the error lines. */
function typeCheck(outRoot: string, files: string[]): string[] {
  if (files.length === 0) return [];
  const tsconfig = path.join(outRoot, 'tsconfig.json');
  fs.writeFileSync(tsconfig, JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'node16', moduleResolution: 'node16', lib: ['ES2022'], strict: true, noEmit: true,
      skipLibCheck: true, esModuleInterop: true, types: ['node'], typeRoots: [path.join(PROJECT_ROOT, 'node_modules/@types')],
    },
    files,
  }));
  try {
    execFileSync(path.join(PROJECT_ROOT, 'node_modules/.bin/tsc'), ['-p', tsconfig], { cwd: outRoot, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 << 20 });
    return [];
  } catch (err) {
    const out = String((err as { stdout?: string }).stdout ?? '');
    return out.split('\n').filter((l) => /error TS\d+/.test(l)).map((l) => path.resolve(outRoot, l));
  }
}

export function summarize(outcomes: CorpusOutcome[]): string {
  const ok = outcomes.filter((o) => o.stage === 'ok').length;
  const lines = outcomes.map((o) => `${o.stage === 'ok' ? 'ok     ' : `${o.stage.padEnd(7)}`} ${o.entry.id}${o.error ? `: ${o.error}` : ''}`);
  return [...lines, `${ok} of ${outcomes.length} load, generate and compile`].join('\n');
}

if (require.main === module) process.stdout.write(`${summarize(runCorpus())}\n`);
