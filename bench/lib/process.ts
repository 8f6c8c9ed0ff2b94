/**
 * Child processes of the benchmark: servers pinned to one core, waited for until they print
 * `listening <url>`, their peak memory read from /proc, and stopped (SIGTERM, then SIGKILL).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { createServer } from 'node:net';

export const SERVER_CORE = '1';
export const LOAD_CORE = '0';

/**
 * Servers and the load generator run at nice -10 (BENCH_NICE) when allowed, so other work on the machine
 * preempts them less; the niceness is part of the results' machine.setup.
 */
const WANTED_NICENESS = Number(process.env.BENCH_NICE ?? -10);
export const NICENESS =
  WANTED_NICENESS !== 0 && spawnSync('nice', ['-n', String(WANTED_NICENESS), 'true']).status === 0
    ? WANTED_NICENESS
    : 0;

/** `nice -n -10 taskset -c <core> command args...` (each execs the next: the pid is the command's). */
export function pinned(core: string, command: string, args: readonly string[]): [string, string[]] {
  const taskset = ['taskset', '-c', core, command, ...args];
  return NICENESS === 0 ? [taskset[0]!, taskset.slice(1)] : ['nice', ['-n', String(NICENESS), ...taskset]];
}

export interface RunningServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the `listening` line. */
  readonly startMs: number;
  output(): string;
}

export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** The last `bytes` of a file. */
function tailOf(file: string, bytes = 100_000): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts `command` under `taskset -c <core>` and resolves once it prints `listening <url>` (or `listening`'s
 * url group). With `outputFile` its stdout and stderr go to that file instead of a pipe to this process:
 * a server that logs every request (the service's access log) then writes to the page cache as it would
 * to a log file, instead of blocking on a pipe whenever this busy process is slow to drain it.
 */
export function startServer(
  name: string,
  command: ServerCommand,
  timeoutMs = 60_000,
  core = SERVER_CORE,
  listening: RegExp = /listening (\S+)/,
  outputFile?: string,
): Promise<RunningServer> {
  const started = process.hrtime.bigint();
  const [program, args] = pinned(core, command.command, command.args);
  const fd = outputFile === undefined ? undefined : openSync(outputFile, 'w');
  const child = spawn(program, args, {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
  if (fd !== undefined) closeSync(fd);
  let piped = '';
  const output = (): string => (outputFile === undefined ? piped : tailOf(outputFile));
  const collect = (chunk: Buffer): void => {
    piped += chunk.toString('utf8');
    if (piped.length > 200_000) piped = piped.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve, reject) => {
    let poll: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = listening.exec(output());
      if (match === null) return;
      clearTimeout(timer);
      clearInterval(poll);
      child.stdout?.off('data', onData);
      resolve({
        name,
        url: match[1]!,
        pid: child.pid!,
        child,
        startMs: Number(process.hrtime.bigint() - started) / 1e6,
        output,
      });
    };
    if (outputFile === undefined) child.stdout!.on('data', onData);
    else poll = setInterval(onData, 50);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output()}`));
    });
  });
}

export async function stopServer(server: RunningServer, graceMs = 5_000): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set size of a live process in MiB (VmHWM), or undefined when it is gone. */
export function peakRssMB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, all threads) a live process has used so far, in milliseconds. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** A TCP port that was free a moment ago (for servers that cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; rejects on a non-zero exit, with its output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${output.slice(-4000)}`));
    });
  });
}
