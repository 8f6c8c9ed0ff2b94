/**
 * The data commands (migrate, seed, partner ...) run in-process through commander against a scratch
 * SQLite file, with stdout/stderr captured and exit codes read from process.exitCode.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerMigrate } from '../../src/cli/migrate';
import { registerPartner } from '../../src/cli/partner';
import { registerSeed } from '../../src/cli/seed';
import { digestSecretBox } from '../../src/app';
import { openDatabase } from '../../src/db/connection';
import { MIGRATIONS } from '../../src/db/migrations';
import { createStores } from '../../src/db/stores';
import { KnexCredentialStore } from '../../src/db/stores/credential-store';
import { loadConfig } from '../../src/config';
import { verifyPassword } from '../../src/service/passwords';
import { DEMO_PRODUCTS } from '../../src/service/seed';
import { cliRunner } from './support';

const run = cliRunner(registerMigrate, registerSeed, registerPartner);

describe('cli data commands', () => {
  let dir: string;
  let database: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-cli-'));
    database = `sqlite:${path.join(dir, 'cli.sqlite')}`;
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function storedPartner(username: string) {
    const db = openDatabase({ url: database });
    try {
      return await createStores(db).partners.findByUsername(username);
    } finally {
      await db.close();
    }
  }

  /** The PasswordDigest secret the security layer would use for `username`. */
  async function digestSecretOf(username: string): Promise<string | undefined> {
    const db = openDatabase({ url: database });
    try {
      return (await new KnexCredentialStore(db, digestSecretBox(loadConfig())).findAccountByUsername(username))
        ?.digestSecret;
    } finally {
      await db.close();
    }
  }

  it('migrates, reports status, and is a no-op the second time', async () => {
    const first = await run('migrate', '--database', database);
    assert.equal(first.code, 0, first.stderr);
    const names = MIGRATIONS.map((m) => m.name);
    assert.ok(first.stdout.includes(`applied ${names.length} migration(s): ${names.join(', ')}`), first.stdout);
    const second = await run('migrate', '--database', database);
    assert.match(second.stdout, /already up to date/);
    const status = await run('migrate', '--status', '--database', database);
    assert.ok(status.stdout.includes(`applied: ${names.join(', ')}\npending: (none)`), status.stdout);
  });

  it('seeds an empty database once, printing working demo credentials, and refuses a second time without --force', async () => {
    const seeded = await run('seed', '--database', database);
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.match(seeded.stdout, new RegExp(`seeded ${DEMO_PRODUCTS.length} products with stock`));
    const demoPassword = /partner demo: password (\S+)/.exec(seeded.stdout)?.[1];
    assert.ok(demoPassword, seeded.stdout);
    assert.match(seeded.stdout, /partner admin \(roles: admin\): password \S+/);
    assert.equal(await verifyPassword(demoPassword, (await storedPartner('demo'))!.passwordHash), true);
    assert.equal(await digestSecretOf('demo'), demoPassword);

    const again = await run('seed', '--database', database);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already holds data; nothing seeded/);
    const forced = await run('seed', '--force', '--database', database);
    assert.match(forced.stdout, /partner demo: already existed, password unchanged/);
  });

  it('manages partners with clear output and exit codes', async () => {
    await run('migrate', '--database', database);
    const added = await run('partner', 'add', 'acme', '--name', 'ACME Corp', '--database', database);
    assert.equal(added.code, 0, added.stderr);
    const password = /password: (\S+)/.exec(added.stdout)?.[1];
    assert.ok(password);
    assert.equal(await verifyPassword(password, (await storedPartner('acme'))!.passwordHash), true);
    assert.equal(await digestSecretOf('acme'), password);

    const duplicate = await run('partner', 'add', 'acme', '--database', database);
    assert.equal(duplicate.code, 4);
    assert.match(duplicate.stderr, /error: A partner acme already exists/);

    const weak = await run('partner', 'add', 'globex', '--password', 'short', '--database', database);
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /password must have 12 to 128 characters/);

    assert.equal((await run('partner', 'grant-admin', 'acme', '--database', database)).code, 0);
    assert.equal((await run('partner', 'disable', 'acme', '--database', database)).code, 0);
    const listed = await run('partner', 'list', '--database', database);
    assert.match(
      listed.stdout,
      /^USERNAME\s+NAME\s+ROLES\s+STATUS\s+SECURITY POLICY\s+CREATED\nacme\s+ACME Corp\s+admin\s+disabled\s+text\+digest,timestamp\s+\d{4}-/,
    );
    const json = JSON.parse((await run('partner', 'list', '--json', '--database', database)).stdout) as Array<{
      username: string;
      passwordHash?: string;
    }>;
    assert.deepEqual(
      json.map((p) => p.username),
      ['acme'],
    );
    assert.equal(json[0]!.passwordHash, undefined);

    const changed = await run(
      'partner',
      'set-password',
      'acme',
      '--password',
      'a brand new secret',
      '--database',
      database,
    );
    assert.equal(changed.code, 0, changed.stderr);
    assert.doesNotMatch(changed.stdout, /a brand new secret/);
    assert.equal(await verifyPassword('a brand new secret', (await storedPartner('acme'))!.passwordHash), true);
    // The digest secret follows, so the old password does not keep working through PasswordDigest.
    assert.equal(await digestSecretOf('acme'), 'a brand new secret');

    const missing = await run('partner', 'disable', 'nobody', '--database', database);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /error: No partner nobody/);
  });

  it('explains itself with --help and rejects unknown options', async () => {
    const help = await run('partner', 'add', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: partner-orders partner add \[options\] <username>/);
    assert.match(help.stdout, /--password-stdin/);
    assert.match(help.stdout, /Exit codes:/);
    const unknown = await run('partner', 'add', 'x', '--bogus');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
  });

  it('fails with exit code 1 and a one-line message when the database is unreachable', async () => {
    const result = await run('partner', 'list', '--database', 'postgres://nobody@127.0.0.1:1/none?connect_timeout=1');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: .+\n$/);
  });
});
