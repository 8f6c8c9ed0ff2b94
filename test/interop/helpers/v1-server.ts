import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runChecked, startServerProcess } from './process';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(REPO_ROOT, 'src', 'cli', 'main.ts');

export interface Credentials {
  username: string;
  password: string;
}

export interface V1Server {
  /** e.g. http://127.0.0.1:41234/soap/v1/orders */
  ordersEndpoint: string;
  adminEndpoint: string;
  /** The same service through contract v2, e.g. http://127.0.0.1:41234/soap/v2/orders */
  v2OrdersEndpoint: string;
  v2AdminEndpoint: string;
  partner: Credentials;
  admin: Credentials;
  close(): Promise<void>;
}

/**
 * The Partner Order Service as a partner meets it: a fresh SQLite database in a temp folder, migrated and
 * seeded with the demo catalog (`partner-orders seed`), one ordinary partner and one admin partner
 * (`partner-orders partner add`), served by `partner-orders serve` on an ephemeral loopback port in its
 * own process. Only the public CLI is used, so the interop suites test what ships.
 */
export async function startV1Server(): Promise<V1Server> {
  const folder = mkdtempSync(join(tmpdir(), 'interop-v1-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    SQLITE_FILENAME: join(folder, 'partner-orders.sqlite'),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'error',
  };
  delete env.DATABASE_URL;
  const partner = { username: 'interop-partner', password: randomBytes(12).toString('base64url') };
  const admin = { username: 'interop-admin', password: randomBytes(12).toString('base64url') };
  try {
    const cli = (...args: string[]) => runChecked(TSX, [CLI, ...args], { cwd: REPO_ROOT, env, timeoutMs: 120_000 });
    await cli('seed');
    await cli('partner', 'add', partner.username, '--password', partner.password);
    await cli('partner', 'add', admin.username, '--admin', '--password', admin.password);
    const server = await startServerProcess(TSX, [CLI, 'serve'], {
      cwd: REPO_ROOT,
      env,
      timeoutMs: 120_000,
      readyPattern: /(https?:\/\/[^\s/]+)\/soap\/v1\/orders\b/,
    });
    return {
      ordersEndpoint: `${server.url}/soap/v1/orders`,
      adminEndpoint: `${server.url}/soap/v1/admin`,
      v2OrdersEndpoint: `${server.url}/soap/v2/orders`,
      v2AdminEndpoint: `${server.url}/soap/v2/admin`,
      partner,
      admin,
      close: async () => {
        await server.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
