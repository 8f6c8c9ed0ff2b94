/**
 * Runs partner-orders commands in-process through commander: stdout/stderr captured (commander's own
 * output and whatever the commands write), the exit code read from process.exitCode, which is restored
 * afterwards.
 */
import { Command } from 'commander';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A `run(...args)` for a fresh program with `commands` registered (in this order) on every run. */
export function cliRunner(
  ...commands: ReadonlyArray<(program: Command) => unknown>
): (...args: string[]) => Promise<CliRun> {
  return async (...args) => {
    const captured = { stdout: [] as string[], stderr: [] as string[] };
    const program = new Command('partner-orders').exitOverride().configureOutput({
      writeOut: (text) => void captured.stdout.push(text),
      writeErr: (text) => void captured.stderr.push(text),
    });
    for (const register of commands) register(program);
    const originalOut = process.stdout.write.bind(process.stdout);
    const originalErr = process.stderr.write.bind(process.stderr);
    const previousExitCode = process.exitCode;
    process.exitCode = undefined;
    process.stdout.write = ((chunk: string | Uint8Array) =>
      captured.stdout.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) =>
      captured.stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
    let code: number;
    try {
      await program.parseAsync(['node', 'partner-orders', ...args]);
      code = Number(process.exitCode ?? 0);
    } catch (error) {
      // commander's exitOverride: usage errors and --help end up here with their exit code.
      code = (error as { exitCode?: number }).exitCode ?? 1;
    } finally {
      process.stdout.write = originalOut;
      process.stderr.write = originalErr;
      process.exitCode = previousExitCode;
    }
    return { code, stdout: captured.stdout.join(''), stderr: captured.stderr.join('') };
  };
}
