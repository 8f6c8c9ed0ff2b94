/**
 * Micro-benchmark of the service's own work per request, below the HTTP and SOAP layers: the credential
 * lookup WS-Security makes for every UsernameToken (SQL + opening the sealed digest secret), the domain
 * calls behind GetProduct, GetOrder (20 lines), SubmitOrder and ListOrders on a real SQLite file (or
 * PostgreSQL with --postgres), and one access-log line at the production level. CPU time per call
 * (process.cpuUsage), interleaved rounds, the best round kept: on a shared machine this moves far less
 * than requests per second, which is what the before/after figures of the profiling fixes need.
 *
 *   npx tsx bench/service-micro.ts [--seconds 1.5] [--rounds 3] [--only name] [--postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, findProjectRoot } from '../src/app';
import { parseConfig } from '../src/config';
import { createLogger } from '../src/ops/logging';
import { prepareDatabase } from '../src/server';
import { testRaw } from '../test/ops/test-config';
import { freshPostgresDatabase } from './lib/postgres';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = argv.indexOf(`--${name}`);
  return index < 0 ? undefined : argv[index + 1];
};
const seconds = Number(option('seconds') ?? 1.5);
const rounds = Number(option('rounds') ?? 3);
const only = option('only');

/** The fields of one access-log line as src/ops/logging.ts accessLogFields writes them. */
const ACCESS_FIELDS = {
  type: 'access',
  service: 'PartnerOrderService',
  operation: 'GetOrder',
  partner: 'demo',
  partnerId: '0f8d2c1e-5b4a-4e2f-9a7c-1d2e3f4a5b6c',
  soapVersion: '1.1',
  outcome: 'ok',
  faultCode: null,
  faultSubcode: null,
  status: 200,
  durationMs: 1.234,
  bytesIn: 812,
  bytesOut: 4096,
  requestId: 'urn:uuid:6c9e1f0e-1b7c-4c35-9a52-3f0d3b1a2c4d',
  remoteAddress: '127.0.0.1',
  method: 'POST',
};

/** CPU microseconds per call of an async `fn`, run back to back for `seconds`. */
async function cpuUsPerCall(fn: () => Promise<unknown>, slice: number): Promise<number> {
  const until = Date.now() + slice * 1000;
  const start = process.cpuUsage();
  let n = 0;
  while (Date.now() < until) {
    await fn();
    n++;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

async function main(): Promise<void> {
  const root = findProjectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'service-micro-'));
  const pg = argv.includes('--postgres') ? await freshPostgresDatabase() : undefined;
  const config = parseConfig(
    testRaw({
      database: pg ? { url: pg.url } : { url: null, sqlite: { filename: join(dir, 'micro.sqlite') } },
      logging: { level: 'info' },
      cache: { catalog: { ttlSeconds: 0 } },
    }),
    'development',
  );
  await prepareDatabase(config, root, 'development');
  const nullStream = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger(config.logging, { stream: nullStream, fields: { pid: process.pid } });
  const app = await createApp({ config, projectRoot: root, logger });
  try {
    const actor = {
      partnerId: (await app.credentials.findAccountByUsername('demo'))!.principal.id,
      messageId: 'bench',
    };
    const shipTo = {
      name: 'Example Trading GmbH',
      line1: 'Hafenstrasse 12',
      city: 'Hamburg',
      postalCode: '20457',
      countryCode: 'DE',
    };
    const skus = ['FAS-SCR-4X40', 'FAS-NUT-M8', 'ELE-LED-E27-9W', 'PLB-TAPE-PTFE', 'SAF-VST-XL'];
    const lineSkus = [
      'FAS-SCR-4X40',
      'FAS-SCR-5X60',
      'FAS-BLT-M8X50',
      'FAS-NUT-M8',
      'FAS-WSH-M8',
      'FAS-ANC-10',
      'TLS-DRL-18V',
      'TLS-HAM-500',
      'TLS-SAW-550',
      'TLS-LVL-600',
      'TLS-TAP-5M',
      'TLS-BIT-SET32',
      'ELE-CBL-3G15-50',
      'ELE-SOC-2G',
      'ELE-SWT-1G',
      'ELE-LED-E27-9W',
      'ELE-EXT-5M',
      'PLB-PIPE-CU15',
      'PLB-ELB-CU15',
      'PLB-VLV-BALL-15',
    ];
    for (const sku of new Set([...skus, ...lineSkus]))
      await app.services.catalog.adjustStock({ sku, delta: 100_000_000, reason: 'bench' }, actor);
    const big = await app.services.orders.submitOrder(
      {
        partnerOrderRef: 'MICRO-20',
        shipTo,
        lines: lineSkus.map((sku) => ({ sku, quantity: 1 })),
      },
      actor,
    );
    for (let i = 0; i < 20; i++)
      await app.services.orders.submitOrder(
        { partnerOrderRef: `MICRO-S-${i}`, shipTo, lines: [{ sku: skus[i % 5]!, quantity: 1 }] },
        actor,
      );
    let submitted = 0;
    const cases: Record<string, () => Promise<unknown>> = {
      'credentials: findAccountByUsername': () => app.credentials.findAccountByUsername('demo'),
      'GetProduct: catalog.getProduct': () => app.services.catalog.getProduct('FAS-SCR-4X40'),
      'GetOrder: orders.getOrder (20 lines)': () => app.services.orders.getOrder(big.orderId, actor),
      'SubmitOrder: orders.submitOrder (1 line)': () =>
        app.services.orders.submitOrder(
          {
            partnerOrderRef: `MICRO-${process.pid}-${submitted++}`,
            shipTo,
            lines: [{ sku: skus[submitted % 5]!, quantity: 1 }],
          },
          actor,
        ),
      'ListOrders: orders.listOrders (20)': () => app.services.orders.listOrders({}, actor),
      'access log: one info line': async () => logger.info('access', ACCESS_FIELDS),
    };
    const selected = Object.entries(cases).filter(([name]) => only === undefined || name.includes(only));
    for (const [, fn] of selected) for (let i = 0; i < 200; i++) await fn();
    const best = new Map<string, number>();
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of selected)
        best.set(name, Math.min(best.get(name) ?? Infinity, await cpuUsPerCall(fn, seconds / rounds)));
    }
    console.log(`service micro-benchmark (${pg ? 'PostgreSQL' : 'SQLite'}), CPU us per call, best of ${rounds}:`);
    for (const [name, us] of best) console.log(`  ${name.padEnd(44)} ${us.toFixed(1).padStart(8)} us`);
  } finally {
    await app.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
