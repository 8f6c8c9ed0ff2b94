/**
 * Issue 17, points 6 and 7: every CLI and start-up error is one line naming what to change, with the
 * documented exit code and no stack trace unless --verbose / LOG_LEVEL=debug; and the CLI can undo
 * (revoke-admin, retire that keeps the orders), `partner list` shows the security policy, and add-cert
 * given a private key says so.
 *
 * The command runs in-process through the real program (src/cli/main.ts run()), except `serve`, which
 * runs as a process so its configuration comes from the environment it is given.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run as runCli } from '../../src/cli/main';
import { openDatabase } from '../../src/db/connection';
import { createStores } from '../../src/db/stores';
import { OrderService } from '../../src/service/orders';
import { PageTokens } from '../../src/service/page-token';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs partner-orders in-process with stdout/stderr captured and the exit code read from process.exitCode. */
async function cli(...args: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  const previous = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    await runCli(['node', 'partner-orders', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
    process.exitCode = previous;
  }
}

/** `serve` as a process: its stderr and exit code. */
function serve(env: Record<string, string>, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['src/cli/main.ts', 'serve', ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`serve did not fail within 30 s: ${stdout}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** One line, no stack frames. */
function assertOneLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.doesNotMatch(stderr, /^\s+at /m, stderr);
}

/** A local port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('cli errors that help (issue 17, point 6)', function () {
  this.timeout(60_000);
  let dir: string;
  let database: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-cli-errors-'));
    database = `sqlite:${path.join(dir, 'cli.sqlite')}`;
    assert.equal((await cli('migrate', '--database', database)).code, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('usage errors exit 2: unknown command, missing argument, unknown option; --help exits 0', async () => {
    for (const args of [
      ['frobnicate'],
      ['partner', 'add'],
      ['partner', 'list', '--bogus'],
      ['partner', 'set-password'],
    ]) {
      const outcome = await cli(...args);
      assert.equal(outcome.code, 2, `${args.join(' ')}: ${outcome.stderr}`);
      assert.match(
        outcome.stderr,
        /^error: (unknown command|missing required argument|unknown option)/,
        args.join(' '),
      );
    }
    assert.equal((await cli('partner', '--help')).code, 0);
  });

  it('an unreachable database is one line naming it (password masked) and DATABASE_URL / --database; --verbose adds the stack', async () => {
    const url = `postgres://app:s3cret-pw@127.0.0.1:${await closedPort()}/orders`;
    const outcome = await cli('partner', 'list', '--database', url);
    assert.equal(outcome.code, 1);
    assertOneLine(outcome.stderr);
    assert.match(
      outcome.stderr,
      /^error: cannot use the database postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/orders: cannot connect \(connect ECONNREFUSED [^)]+\); check DATABASE_URL \(config database\.url\) or --database\n$/,
    );
    assert.ok(!outcome.stderr.includes('s3cret-pw'));
    const verbose = await cli('partner', 'list', '--verbose', '--database', url);
    assert.match(verbose.stderr, /^\s+at /m, 'the stack with --verbose');
  });

  it('a PostgreSQL database that does not exist is one line, not a pg-protocol trace', async function () {
    const outcome = await cli(
      'partner',
      'list',
      '--database',
      'postgres://postgres@127.0.0.1:5432/no_such_database_issue17',
    );
    if (/cannot connect/.test(outcome.stderr)) this.skip(); // no PostgreSQL on this machine
    assert.equal(outcome.code, 1);
    assertOneLine(outcome.stderr);
    assert.match(
      outcome.stderr,
      /the database does not exist \(database "no_such_database_issue17" does not exist\); check DATABASE_URL/,
    );
  });

  it('a mistyped --database sqlite: path creates nothing: no directories, no empty database', async () => {
    const missingDir = path.join(dir, 'typo', 'nested');
    const inMissingDir = await cli('partner', 'list', '--database', `sqlite:${path.join(missingDir, 'x.sqlite')}`);
    assert.equal(inMissingDir.code, 2);
    assertOneLine(inMissingDir.stderr);
    assert.match(inMissingDir.stderr, /no directory .*typo\/nested for the SQLite database .*: check --database/);
    assert.ok(!fs.existsSync(path.join(dir, 'typo')), 'no directory created');

    const missingFile = path.join(dir, 'clis.sqlite');
    const typo = await cli('partner', 'add', 'acme', '--database', `sqlite:${missingFile}`);
    assert.equal(typo.code, 2);
    assert.match(
      typo.stderr,
      /no SQLite database at .*clis\.sqlite: check --database, or create it with partner-orders migrate/,
    );
    assert.ok(!fs.existsSync(missingFile), 'no empty database created');

    assert.equal(
      (await cli('migrate', '--database', `sqlite:${missingFile}`)).code,
      0,
      'migrate may create a new database',
    );
    assert.ok(fs.existsSync(missingFile));
  });

  it('a malformed NODE_CONFIG is a configuration error, not a warning', async () => {
    const previous = process.env.NODE_CONFIG;
    process.env.NODE_CONFIG = '{"server": {"port": 80';
    try {
      const outcome = await cli('partner', 'list', '--database', database);
      assert.equal(outcome.code, 1);
      assert.match(outcome.stderr, /NODE_CONFIG: is not valid JSON \(.+\): fix it or unset it/);
    } finally {
      if (previous === undefined) delete process.env.NODE_CONFIG;
      else process.env.NODE_CONFIG = previous;
    }
  });

  it('set-limit --operation must name an operation of the contracts', async () => {
    assert.equal(
      (await cli('partner', 'add', 'limits', '--password', 'limits-password-2026', '--database', database)).code,
      0,
    );
    const outcome = await cli(
      'partner',
      'set-limit',
      'limits',
      '--operation',
      'NoSuchOp',
      '--points',
      '1',
      '--duration',
      '1',
      '--database',
      database,
    );
    assert.equal(outcome.code, 2);
    assertOneLine(outcome.stderr);
    assert.match(
      outcome.stderr,
      /--operation: expected '\*' or an operation name of the service \(.*SubmitOrder.*\), got "NoSuchOp"/,
    );
    assert.equal(
      (
        await cli(
          'partner',
          'set-limit',
          'limits',
          '--operation',
          'GetOrderHistory',
          '--points',
          '1',
          '--duration',
          '1',
          '--database',
          database,
        )
      ).code,
      0,
    );
  });

  it('serve: an unknown HOST and a port in use name the variable to change; an unreachable database names DATABASE_URL', async () => {
    const env = { DATABASE_URL: database };
    const badHost = await serve({ ...env, HOST: '999.1.1.1' }, '--port', '0');
    assert.equal(badHost.code, 1);
    assertOneLine(badHost.stderr);
    assert.match(
      badHost.stderr,
      /^error: cannot listen on host "999\.1\.1\.1" \(ENOTFOUND\): set HOST \(config server\.host\) or --host/,
    );

    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const inUse = await serve(env, '--port', String(port), '--host', '127.0.0.1');
      assert.equal(inUse.code, 1);
      assertOneLine(inUse.stderr);
      assert.match(
        inUse.stderr,
        new RegExp(
          `^error: port ${port} is already in use on 127\\.0\\.0\\.1: set PORT \\(config server\\.port\\) or --port`,
        ),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    const noDatabase = await serve(
      { DATABASE_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/x` },
      '--port',
      '0',
    );
    assert.equal(noDatabase.code, 1);
    assertOneLine(noDatabase.stderr);
    assert.match(
      noDatabase.stderr,
      /^error: cannot use the database postgres:\/\/postgres@127\.0\.0\.1:\d+\/x: cannot connect .*check DATABASE_URL \(config database\.url\)/,
    );
  });

  it('production without secrets says how to generate them', async () => {
    const outcome = await serve(
      { NODE_ENV: 'production', SECRETS_KEY: '', PAGING_TOKEN_KEY: '', DATABASE_URL: database },
      '--port',
      '0',
    );
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /SECRETS_KEY; generate one with: openssl rand -base64 48/);
    assert.match(outcome.stderr, /PAGING_TOKEN_KEY; generate one with: openssl rand -base64 48/);
  });
});

describe('cli can undo (issue 17, point 7)', function () {
  this.timeout(60_000);
  let dir: string;
  let database: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-cli-undo-'));
    database = `sqlite:${path.join(dir, 'cli.sqlite')}`;
    assert.equal((await cli('seed', '--database', database)).code, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('revoke-admin undoes grant-admin', async () => {
    assert.equal(
      (
        await cli(
          'partner',
          'add',
          'ops-user',
          '--admin',
          '--password',
          'ops-user-password-2026',
          '--database',
          database,
        )
      ).code,
      0,
    );
    const revoked = await cli('partner', 'revoke-admin', 'ops-user', '--database', database);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /^partner ops-user \(id [^,]+, roles -\)/);
    assert.equal((await cli('partner', 'revoke-admin', 'nobody', '--database', database)).code, 3);
  });

  it("partner list shows each partner's security policy", async () => {
    assert.equal(
      (await cli('partner', 'set-policy', 'ops-user', '--require-signature', 'true', '--database', database)).code,
      0,
    );
    const list = await cli('partner', 'list', '--database', database);
    assert.match(list.stdout, /^USERNAME +NAME +ROLES +STATUS +SECURITY POLICY +CREATED$/m);
    assert.match(
      list.stdout,
      /^demo .* active +text\+digest,no-timestamp /m,
      'the demo partner accepts calls without a Timestamp',
    );
    assert.match(list.stdout, /^ops-user .* text\+digest,timestamp,signature /m);
    const json = JSON.parse((await cli('partner', 'list', '--json', '--database', database)).stdout) as Array<{
      username: string;
      securityPolicy: { requireTimestamp: boolean };
    }>;
    assert.equal(json.find((p) => p.username === 'ops-user')?.securityPolicy.requireTimestamp, true);
  });

  it('retire disables for good and keeps the orders; there is no delete', async () => {
    const db = openDatabase({ url: database });
    try {
      const stores = createStores(db);
      const demo = (await stores.partners.findByUsername('demo'))!;
      const orders = new OrderService(stores.orders, stores.catalog, new PageTokens(randomBytes(32)));
      await orders.submitOrder(
        {
          partnerOrderRef: 'PO-RETIRE-1',
          shipTo: { name: 'ACME', line1: 'Dock 4', city: 'Hamburg', postalCode: '20095', countryCode: 'DE' },
          lines: [{ sku: 'FAS-SCR-4X40', quantity: 1 }],
        },
        { partnerId: demo.id, messageId: 'test' },
      );
    } finally {
      await db.close();
    }
    const retired = await cli('partner', 'retire', 'demo', '--database', database);
    assert.equal(retired.code, 0, retired.stderr);
    assert.match(
      retired.stdout,
      /^retired partner demo \(id [^,]+, roles -, disabled\): password replaced, digest secret dropped, 0 certificate\(s\) revoked; orders kept\n$/,
    );
    const after = openDatabase({ url: database });
    try {
      const stores = createStores(after);
      const demo = (await stores.partners.findByUsername('demo'))!;
      assert.equal(demo.disabled, true);
      const kept = await stores.orders.findByPartnerRef(demo.id, 'PO-RETIRE-1');
      assert.ok(kept !== undefined, 'the order of the retired partner is still there');
    } finally {
      await after.close();
    }
    assert.match((await cli('partner', 'delete', 'demo', '--database', database)).stderr, /unknown command 'delete'/);
  });

  it('add-cert given a private key (PEM or DER) says so', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = path.join(dir, 'partner-key.pem');
    const der = path.join(dir, 'partner-key.der');
    fs.writeFileSync(pem, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.writeFileSync(der, privateKey.export({ type: 'pkcs8', format: 'der' }));
    for (const file of [pem, der]) {
      const outcome = await cli('partner', 'add-cert', 'ops-user', file, '--database', database);
      assert.equal(outcome.code, 2, outcome.stderr);
      assertOneLine(outcome.stderr);
      assert.match(outcome.stderr, /holds a private key, not a certificate: give the partner's X\.509 certificate/);
    }
  });
});
