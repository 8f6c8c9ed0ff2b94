/**
 * `partner-orders codegen [--check]`: regenerate the typed code of every contract in codegen.json.
 * --check writes nothing and exits 1 listing the files that would change (CI runs it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CODEGEN_CONFIG_FILE, runCodegen, ContractLoadError } from '../soap/codegen';

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
    .description('generate TypeScript types, handler interfaces, fault classes and the compiled contract from the WSDLs in codegen.json')
    .option('--check', 'write nothing; exit 1 and list the files that would change')
    .option('--root <dir>', 'project root holding codegen.json', findProjectRoot(__dirname))
    .action((opts: { check?: boolean; root: string }) => {
      const check = opts.check === true;
      let changes;
      try {
        changes = runCodegen(path.resolve(opts.root), { write: !check });
      } catch (err) {
        if (err instanceof ContractLoadError || err instanceof SyntaxError) {
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
        process.stdout.write(`codegen --check: ${changes.length} file(s) out of date; run \`npm run codegen\` and commit the result\n`);
        process.exitCode = 1;
      }
    });
}
