/**
 * The start-up banner of `partner-orders serve` (issue 17, point 4): it says which database start-up
 * prepared, which migrations it applied and whether it seeded demo data, and it shows the demo
 * credentials (and a curl that uses them) only while they still work: after `partner set-password demo`
 * the next start must not print the stale password.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { registerPartner } from '../../src/cli/partner';
import { cliRunner } from './support';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = cliRunner(registerPartner);

/** Starts serve, returns its stdout up to the end of the banner, and stops it. */
async function bannerOf(database: string): Promise<string> {
  const child = spawn(TSX, ['src/cli/main.ts', 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', DATABASE_URL: database },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 30 s; stdout: ${out} stderr: ${err}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // The banner is one write; it ends after the health line and the demo block (or its absence).
        if (/Metrics: \S+\n\n/.test(out) && out.endsWith('\n\n')) {
          clearTimeout(timer);
          setTimeout(resolve, 200);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code}: ${err}`));
      });
    });
    return out;
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe('serve start-up banner', function () {
  this.timeout(90_000);
  let dir: string;
  let database: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-banner-'));
    database = `sqlite:${path.join(dir, 'banner.sqlite')}`;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports the database, the migrations applied and the seeding', async () => {
    const banner = await bannerOf(database);
    assert.match(
      banner,
      new RegExp(
        `Database: sqlite ${path.join(dir, 'banner.sqlite').replace(/[.]/g, '\\.')} \\(applied \\d+ migration\\(s\\): 0001_initial_schema`,
      ),
    );
    assert.match(banner, /Demo data: seeded the empty database with the demo catalog and partners demo, admin/);
    assert.match(banner, /partner: demo \/ demo-password-2026/);
    assert.match(banner, /Try it:\n {2}curl /);
  });

  it('on the next start: schema up to date, not seeded; after set-password demo no stale demo password', async () => {
    const changed = await run(
      'partner',
      'set-password',
      'demo',
      '--password',
      'operator-chosen-2026',
      '--database',
      database,
    );
    assert.equal(changed.code, 0, changed.stderr);
    const banner = await bannerOf(database);
    assert.match(banner, /\(schema up to date, no migration applied\)/);
    assert.match(banner, /Demo data: not seeded \(the database already holds partners or products\)/);
    assert.ok(!banner.includes('demo-password-2026'), banner);
    assert.ok(!banner.includes('curl'), 'no curl example with credentials that fail');
    assert.match(
      banner,
      /admin: {3}admin \/ admin-password-2026/,
      'the admin account still works, so it is still shown',
    );
  });

  it('the printed curl works as pasted', async () => {
    fs.rmSync(path.join(dir, 'banner.sqlite'));
    const banner = await bannerOf(database);
    const curl = /Try it:\n([^]*?)\n\n/.exec(banner)?.[1];
    assert.ok(curl !== undefined, banner);
    // The server is gone now; start it again on the same database and the banner's URL and port.
    const child = spawn(
      TSX,
      ['src/cli/main.ts', 'serve', '--port', /127\.0\.0\.1:(\d+)/.exec(curl)![1]!, '--host', '127.0.0.1'],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', DATABASE_URL: database },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Health:')) resolve();
        }),
      );
      const { stdout } = await promisify(execFile)('bash', ['-c', curl], { encoding: 'utf8', timeout: 20_000 });
      assert.match(stdout, /<tns:GetProductResponse/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
