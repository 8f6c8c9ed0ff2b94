/**
 * `partner-orders codegen [--check]`: regenerate the typed code of every contract in codegen.json.
 * --check writes nothing and exits 1 listing the files that would change (CI runs it).
 * `partner-orders codegen --wsdl <file> --out <dir> [--catalog <file>] [--id <name>]`: one WSDL, without
 * codegen.json (paths relative to the working directory). A contract that is refused exits 2 with the file
 * and the construct.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CODEGEN_CONFIG_FILE, CodegenError, runCodegen, ContractLoadError, type CodegenEntry } from '../soap/codegen';

/** The nearest folder above this module holding codegen.json (works from src/ via tsx and from dist/). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, CODEGEN_CONFIG_FILE))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export function registerCodegen(program: Command): void {
  program
    .command('codegen')
    .description(
      'generate TypeScript types, handler interfaces, fault classes and the compiled contract from the WSDLs in codegen.json',
    )
    .option('--check', 'write nothing; exit 1 and list the files that would change')
    .option('--root <dir>', 'project root holding codegen.json', findProjectRoot(__dirname))
    .option('--wsdl <file>', 'generate for this WSDL only (codegen.json is not read); needs --out')
    .option('--out <dir>', 'output folder for --wsdl (owned by codegen: stale .ts files in it are deleted)')
    .option('--catalog <file>', 'OASIS XML catalog mapping remote schema/WSDL locations to local copies (with --wsdl)')
    .option('--id <name>', 'contract id for --wsdl (default: the WSDL file name)')
    .action((opts: { check?: boolean; root: string; wsdl?: string; out?: string; catalog?: string; id?: string }) => {
      const check = opts.check === true;
      const root = path.resolve(opts.root);
      let entries: CodegenEntry[] | undefined;
      if (opts.wsdl !== undefined || opts.out !== undefined || opts.catalog !== undefined || opts.id !== undefined) {
        if (opts.wsdl === undefined || opts.out === undefined) {
          process.stderr.write('codegen: --wsdl and --out go together (and --catalog, --id need them)\n');
          process.exitCode = 2;
          return;
        }
        // Paths are given relative to the working directory; the loader and generator take them relative to the root.
        const fromRoot = (p: string): string => path.relative(root, path.resolve(p)).split(path.sep).join('/');
        entries = [
          {
            id: opts.id ?? path.basename(opts.wsdl).replace(/\.[^.]*$/, ''),
            wsdl: fromRoot(opts.wsdl),
            out: fromRoot(opts.out),
          },
        ];
        if (opts.catalog !== undefined) entries[0].catalog = fromRoot(opts.catalog);
      }
      let changes;
      try {
        changes = runCodegen(root, { write: !check, ...(entries ? { entries } : {}) });
      } catch (err) {
        if (err instanceof ContractLoadError || err instanceof CodegenError || err instanceof SyntaxError) {
          process.stderr.write(`codegen failed: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      if (changes.length === 0) {
        process.stdout.write('codegen: generated files are up to date\n');
        return;
      }
      for (const c of changes) process.stdout.write(`${check ? 'would ' : ''}${c.change} ${c.file}\n`);
      if (check) {
        process.stdout.write(
          `codegen --check: ${changes.length} file(s) out of date; run \`npm run codegen\` and commit the result\n`,
        );
        process.exitCode = 1;
      }
    });
}
