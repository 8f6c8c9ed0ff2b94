/**
 * What every Node.js bench server shares: the command line (`--port`, default any free port) and the
 * `listening <url>` line on stdout that bench/run.ts waits for; SIGTERM closes the server.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { BENCH_PATH } from '../data';

export function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

export function listen(server: Server): void {
  server.keepAliveTimeout = 60_000;
  server.listen(Number(argValue('port') ?? '0'), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`listening http://127.0.0.1:${port}${BENCH_PATH}\n`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The project root (holding package.json and bench/wsdl), whether running from bench/ or a compiled copy. */
export function projectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench', 'wsdl'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root above ${start}`);
  }
}
