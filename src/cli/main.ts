/**
 * The `partner-orders` command. Each subcommand lives in its own module and registers itself here with
 * one `register<Name>(program)` line.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { registerCodegen } from './codegen';
import { registerMigrate } from './migrate';
import { registerPartner } from './partner';
import { registerPartnerSecurity } from './partner-security';
import { registerSeed } from './seed';
import { registerServe } from './serve';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('partner-orders')
    .description('Partner Order Service: WSDL-first SOAP service for trading partners')
    .showHelpAfterError();
  registerCodegen(program);
  registerMigrate(program);
  registerSeed(program);
  registerPartner(program);
  registerPartnerSecurity(program);
  registerServe(program);
  return program;
}

/** Run when executed directly (tsx src/cli/main.ts) or through the bin/partner-orders.js launcher, not when imported. */
function launchedAsCommand(): boolean {
  const entry = require.main;
  return entry === module || (entry !== undefined && path.basename(entry.filename) === 'partner-orders.js');
}

if (launchedAsCommand()) {
  buildProgram().parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
