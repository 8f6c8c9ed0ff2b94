/**
 * Runs codegen for every contract listed in codegen.json: load the WSDL, generate, then write the files
 * or (check mode, for CI) report which files differ from what is committed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../wsdl/load';
import { generateContract } from './generate';

export interface CodegenEntry {
  /** Contract id, e.g. "v1". */
  id: string;
  /** WSDL path relative to the project root. */
  wsdl: string;
  /** Output folder relative to the project root; owned entirely by codegen. */
  out: string;
  /** OASIS XML catalog (relative to the project root) for remote schema/WSDL locations. */
  catalog?: string;
}

export const CODEGEN_CONFIG_FILE = 'codegen.json';

export function readCodegenConfig(projectRoot: string): CodegenEntry[] {
  const file = path.join(projectRoot, CODEGEN_CONFIG_FILE);
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${CODEGEN_CONFIG_FILE}: expected an array of { id, wsdl, out }`);
  const ids = new Set<string>();
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<Record<keyof CodegenEntry, unknown>>;
    for (const key of ['id', 'wsdl', 'out'] as const) {
      if (typeof e[key] !== 'string' || e[key] === '')
        throw new Error(`${CODEGEN_CONFIG_FILE}[${i}]: "${key}" must be a non-empty string`);
    }
    if (e.catalog !== undefined && (typeof e.catalog !== 'string' || e.catalog === ''))
      throw new Error(`${CODEGEN_CONFIG_FILE}[${i}]: "catalog" must be a non-empty string`);
    const result: CodegenEntry = { id: e.id as string, wsdl: e.wsdl as string, out: e.out as string };
    if (typeof e.catalog === 'string') result.catalog = e.catalog;
    if (ids.has(result.id)) throw new Error(`${CODEGEN_CONFIG_FILE}[${i}]: duplicate id "${result.id}"`);
    ids.add(result.id);
    return result;
  });
}

/** Generated files of one entry, keyed by path relative to the project root ('/'-separated). */
export function generateEntry(entry: CodegenEntry, projectRoot: string): Map<string, string> {
  const model = loadContract(entry.wsdl, {
    id: entry.id,
    projectRoot,
    ...(entry.catalog !== undefined ? { catalog: entry.catalog } : {}),
  });
  const files = generateContract(model, { wsdl: entry.wsdl, outDir: entry.out });
  const result = new Map<string, string>();
  for (const [name, text] of files) result.set(path.posix.join(entry.out, name), text);
  return result;
}

export interface CodegenChange {
  file: string;
  change: 'create' | 'update' | 'delete';
}

/**
 * Compare generated files with the disk; stale .ts files in an output folder count as changes. With
 * `write`, bring the disk in line. Returns the changes (empty when everything is up to date).
 */
export function runCodegen(
  projectRoot: string,
  options: { write: boolean; entries?: CodegenEntry[] },
): CodegenChange[] {
  const entries = options.entries ?? readCodegenConfig(projectRoot);
  const changes: CodegenChange[] = [];
  for (const entry of entries) {
    const files = generateEntry(entry, projectRoot);
    const outAbs = path.resolve(projectRoot, entry.out);
    for (const [rel, text] of files) {
      const abs = path.resolve(projectRoot, rel);
      const current = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
      if (current === text) continue;
      changes.push({ file: rel, change: current === undefined ? 'create' : 'update' });
      if (options.write) {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, text);
      }
    }
    if (fs.existsSync(outAbs)) {
      for (const name of fs.readdirSync(outAbs).sort()) {
        const rel = path.posix.join(entry.out, name);
        if (!name.endsWith('.ts') || files.has(rel)) continue;
        changes.push({ file: rel, change: 'delete' });
        if (options.write) fs.rmSync(path.join(outAbs, name));
      }
    }
  }
  return changes;
}
