/**
 * The `partner-orders` command. Each subcommand lives in its own module and registers itself here with
 * one `register<Name>(program)` line.
 */
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { findProjectRoot } from '../app';
import { loadConfig } from '../config';
import { databaseProblem, EXIT, reportCliFailure, setVerbose } from './errors';
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
    .option('--verbose', 'print stack traces and driver diagnostics on failure (also LOG_LEVEL=debug)')
    .showHelpAfterError()
    // Usage errors end up in run() below (exit code 2), not in commander's process.exit(1).
    .exitOverride();
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

/** Commander's errors: the message is already printed; help and --version are a success. */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** The database a failure is about, as configured (when the configuration itself loads). */
function configuredDatabase(): string | undefined {
  try {
    const config = loadConfig();
    return config.database.url ?? `sqlite ${path.resolve(findProjectRoot(), config.database.sqlite.filename)}`;
  } catch {
    return undefined;
  }
}

export async function run(argv: readonly string[]): Promise<void> {
  setVerbose(argv);
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = COMMANDER_SUCCESS.has(error.code) ? EXIT.ok : EXIT.invalidInput;
      return;
    }
    reportCliFailure(error, { database: databaseProblem(error) === undefined ? undefined : configuredDatabase() });
  }
}

if (launchedAsCommand()) void run(process.argv);
