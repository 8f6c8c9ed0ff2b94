/**
 * The `partner-orders` command. Each subcommand lives in its own module and registers itself here with
 * one `register<Name>(program)` line.
 */
import { Command } from 'commander';
import { registerCodegen } from './codegen';
import { registerMigrate } from './migrate';
import { registerPartner } from './partner';
import { registerSeed } from './seed';

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
  return program;
}

if (require.main === module) {
  buildProgram().parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
