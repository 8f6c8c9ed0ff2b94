/**
 * The service as a real child process (`tsx src/cli/main.ts serve`), configured only the way an operator
 * configures it: DATABASE_URL, NODE_ENV and NODE_CONFIG. Resolves once the start-up banner says it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ScratchDatabase } from '../../db/harness';
import { freePort } from '../../support/ports';

export { freePort };

const ROOT = path.join(__dirname, '..', '..', '..');
const START_TIMEOUT_MS = 45_000;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  readonly ordersUrl: string;
  readonly adminUrl: string;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGKILL, resolved with the signal the process died of. */
  kill(): Promise<NodeJS.Signals | null>;
  /** SIGTERM (graceful) and wait; SIGKILL after `graceMs`. No-op when already gone. */
  stop(graceMs?: number): Promise<void>;
}

/** The DATABASE_URL of a scratch database (SQLite: `sqlite:<temp file>`). */
export function databaseUrlOf(scratch: ScratchDatabase): string {
  if (scratch.options.url !== undefined) return scratch.options.url;
  if (scratch.options.filename === undefined) throw new Error('scratch database without url or filename');
  return `sqlite:${scratch.options.filename}`;
}

export async function startServerProcess(
  databaseUrl: string,
  configPatch: unknown = {},
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      path.join(ROOT, 'src', 'cli', 'main.ts'),
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: databaseUrl,
        NODE_CONFIG: JSON.stringify(configPatch),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onExit = () => {
      clearTimeout(timer);
      reject(new Error(`the server exited during start-up:\n${output}`));
    };
    child.once('exit', onExit);
    const check = () => {
      if (!output.includes(`listening on http://127.0.0.1:${port}`)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', check);
      resolve();
    };
    child.stdout!.on('data', check);
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    baseUrl,
    ordersUrl: `${baseUrl}/soap/v1/orders`,
    adminUrl: `${baseUrl}/soap/v1/admin`,
    output: () => output,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      return exited;
    },
    async stop(graceMs = 10_000) {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
