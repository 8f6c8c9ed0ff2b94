/**
 * `partner-orders serve`: migrate, seed an empty database, start the HTTP(S) server (optionally as a
 * cluster of workers), print where everything is, and shut down gracefully on SIGTERM/SIGINT.
 */
import cluster from 'node:cluster';
import type { Command } from 'commander';
import { findProjectRoot } from '../app';
import { loadConfig, type AppConfig } from '../config';
import { runClustered } from '../ops/cluster';
import { applyHeapGrowingPercent } from '../ops/heap';
import { prepareDatabase, startServer, startupBanner, type PreparedDatabase } from '../server';

interface ServeFlags {
  port?: string;
  host?: string;
  workers?: string;
}

function parseCount(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name}: expected an integer ${min}..${max}, got "${value}"`);
  return n;
}

export function registerServe(program: Command): Command {
  return program
    .command('serve')
    .description('migrate, seed an empty database with demo data, and serve the SOAP endpoints')
    .option('-p, --port <port>', 'TCP port (default: config server.port / PORT, 8080)')
    .option('--host <host>', 'interface to bind (default: config server.host)')
    .option('-w, --workers <n>', 'worker processes (node:cluster; a crashed worker is restarted)')
    .action(async (flags: ServeFlags) => {
      const env = process.env.NODE_ENV ?? 'development';
      const config: AppConfig = loadConfig();
      applyHeapGrowingPercent(config.server.heapGrowingPercent);
      const port = parseCount(flags.port, 'port', 0, 65535) ?? config.server.port;
      const workers = parseCount(flags.workers, 'workers', 1, 64) ?? config.server.workers;
      const projectRoot = findProjectRoot();

      const startWorker = async (prepared: PreparedDatabase, banner: boolean): Promise<void> => {
        const running = await startServer(config, { port, host: flags.host, projectRoot });
        if (banner) process.stdout.write(`${await startupBanner(running, prepared, env)}\n`);
        else running.app.logger.info('worker listening', { url: running.baseUrl, pid: process.pid });
      };

      if (workers <= 1) {
        await startWorker(await prepareDatabase(config, projectRoot, env), true);
        return;
      }
      // The primary prepares the database once; workers share the listening port through node:cluster.
      const prepared = cluster.isPrimary ? await prepareDatabase(config, projectRoot, env) : { seeded: undefined };
      const primary = await runClustered(workers, () => startWorker(prepared, false));
      if (primary !== undefined) {
        process.stdout.write(`Partner Order Service: ${workers} workers on port ${port} (pid ${process.pid})\n`);
      }
    });
}
