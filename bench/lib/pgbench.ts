/**
 * The database's own limit, measured in the same run as the e2e scenarios: pgbench on the local PostgreSQL
 * (the server the e2e-postgres scenarios use), TPC-B-like (the built-in read-write transaction: 3 UPDATEs,
 * 1 SELECT, 1 INSERT) and select-only, one client per core, in a scratch database dropped afterwards.
 */
import { cpus } from 'node:os';
import { run } from './process';
import { freshPostgresDatabase } from './postgres';

export interface PgbenchResult {
  scale: number;
  clients: number;
  seconds: number;
  tpcbLikeTps: number;
  selectOnlyTps: number;
  version: string;
}

const SCALE = 10;

function tpsOf(output: string): number {
  const match = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(
    output,
  );
  if (match === null) throw new Error(`no tps in pgbench output: ${output.slice(-400)}`);
  return Math.round(Number(match[1]));
}

export async function runPgbench(seconds: number, log: (line: string) => void): Promise<PgbenchResult> {
  const clients = cpus().length;
  log(`\n== pgbench (scale ${SCALE}, ${clients} clients = one per core, ${seconds} s each; tpcb-like and select-only)`);
  const db = await freshPostgresDatabase();
  try {
    const url = db.url;
    await run('pgbench', ['-i', '-q', '-s', String(SCALE), url], { timeoutMs: 300_000 });
    const common = ['-c', String(clients), '-j', String(clients), '-T', String(seconds), '-n'];
    const tpcbLikeTps = tpsOf(
      await run('pgbench', [...common, '-b', 'tpcb-like', url], { timeoutMs: (seconds + 60) * 1000 }),
    );
    const selectOnlyTps = tpsOf(
      await run('pgbench', [...common, '-b', 'select-only', url], { timeoutMs: (seconds + 60) * 1000 }),
    );
    const version = (await run('pgbench', ['--version'])).trim();
    log(`  tpcb-like ${tpcbLikeTps} TPS, select-only ${selectOnlyTps} TPS (${version})`);
    return { scale: SCALE, clients, seconds, tpcbLikeTps, selectOnlyTps, version };
  } finally {
    await db.drop().catch(() => undefined);
  }
}
