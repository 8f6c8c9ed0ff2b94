/** Scratch PostgreSQL databases for the benchmarks, on the local server (127.0.0.1:5432, user postgres, trust). */
import { run } from './process';

export const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${Date.now()}_${process.pid}`;
  await run('psql', [POSTGRES_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`], {
    timeoutMs: 30_000,
  });
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      await run(
        'psql',
        [POSTGRES_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`],
        { timeoutMs: 30_000 },
      );
    },
  };
}
