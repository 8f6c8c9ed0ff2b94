#!/usr/bin/env node
'use strict';
// `npm start`: compile only if sources changed since the last build, then run `partner-orders serve` in
// this very process. No child process: the SIGTERM/SIGINT that npm forwards (or a process manager sends to
// this pid) reaches the server itself, which drains and exits 0, so nothing is left behind.
const { buildIfStale, compiledEntry } = require('../bin/build');

if (!buildIfStale((line) => process.stderr.write(`${line}\n`))) {
  process.stderr.write('partner-orders: the TypeScript build failed; not starting\n');
  process.exit(1);
}
// `npm start -- --port 9000` arrives here as extra arguments.
const { buildProgram } = require(compiledEntry);
buildProgram()
  .parseAsync([process.argv[0], 'partner-orders', 'serve', ...process.argv.slice(2)])
  .catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
