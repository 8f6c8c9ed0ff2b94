/**
 * `partner add-cert|list-certs|revoke-cert|set-policy|set-limit|clear-limit` against a scratch SQLite
 * file: run in-process through commander (stdout/stderr captured, exit codes from process.exitCode), one
 * case as a real child process. Certificates are made with the openssl command in a temp folder, and
 * thumbprints are checked against what openssl itself prints.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestSecretBox } from '../../src/app';
import { registerMigrate } from '../../src/cli/migrate';
import { registerPartner } from '../../src/cli/partner';
import { registerPartnerSecurity } from '../../src/cli/partner-security';
import { openDatabase } from '../../src/db/connection';
import { createStores } from '../../src/db/stores';
import { KnexCredentialStore } from '../../src/db/stores/credential-store';
import { KnexLimitsStore } from '../../src/db/stores/limits-store';
import { loadConfig } from '../../src/config';
import { DEFAULT_SECURITY_POLICY } from '../../src/soap/security';
import { TestPki } from '../soap/security/support/pki';
import { cliRunner } from './support';

const ROOT = path.join(__dirname, '..', '..');

const run = cliRunner(registerMigrate, registerPartner, registerPartnerSecurity);

/** openssl's own fingerprint of a certificate file, as lower-case hex without colons. */
function opensslFingerprint(certPath: string, digest: 'sha1' | 'sha256'): string {
  const out = execFileSync('openssl', ['x509', '-in', certPath, '-noout', '-fingerprint', `-${digest}`], {
    encoding: 'utf8',
  });
  return /=([0-9A-F:]+)/.exec(out)![1]!.replace(/:/g, '').toLowerCase();
}

describe('cli partner security commands', function () {
  this.timeout(30_000);
  let pki: TestPki;
  let dir: string;
  let database: string;

  before(() => {
    pki = new TestPki();
  });
  after(() => pki.dispose());

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-cli-sec-'));
    database = `sqlite:${path.join(dir, 'cli.sqlite')}`;
    assert.equal((await run('migrate', '--database', database)).code, 0);
    for (const username of ['acme', 'globex'])
      assert.equal((await run('partner', 'add', username, '--database', database)).code, 0);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withStores<T>(
    work: (
      credentials: KnexCredentialStore,
      limits: KnexLimitsStore,
      partnerId: (username: string) => Promise<string>,
    ) => Promise<T>,
  ): Promise<T> {
    const db = openDatabase({ url: database });
    try {
      const stores = createStores(db);
      return await work(
        new KnexCredentialStore(db, digestSecretBox(loadConfig())),
        new KnexLimitsStore(db),
        async (username) => (await stores.partners.findByUsername(username))!.id,
      );
    } finally {
      await db.close();
    }
  }

  it('add-cert registers PEM and DER certificates under their openssl thumbprints and refuses duplicates and bad input', async () => {
    const acme = pki.selfSigned('acme-cli');
    const sha256 = opensslFingerprint(acme.certPath, 'sha256');
    const sha1 = opensslFingerprint(acme.certPath, 'sha1');

    const added = await run('partner', 'add-cert', 'acme', acme.certPath, '--database', database);
    assert.equal(added.code, 0, added.stderr);
    assert.match(
      added.stdout,
      new RegExp(
        `^registered certificate for acme\\nsha256 ${sha256}  \\(active\\)\\n  sha1 ${sha1}  ski [0-9a-f]{40}\\n  issuer cn=acme-cli,o=independent signer`,
        'i',
      ),
    );
    await withStores(async (credentials, _limits, partnerId) => {
      const found = await credentials.findCertificate({ sha256Thumbprint: sha256 });
      assert.equal(found?.principal.id, await partnerId('acme'));
      assert.equal(found?.revokedAt, undefined);
    });

    const duplicate = await run('partner', 'add-cert', 'acme', acme.certPath, '--database', database);
    assert.equal(duplicate.code, 4);
    assert.match(
      duplicate.stderr,
      new RegExp(`^error: A certificate with SHA-256 thumbprint ${sha256} .*already registered\\n$`),
    );
    // The same certificate in DER, and for another partner: still the one certificate, still refused.
    const der = path.join(dir, 'acme.der');
    execFileSync('openssl', ['x509', '-in', acme.certPath, '-outform', 'DER', '-out', der]);
    assert.equal((await run('partner', 'add-cert', 'globex', der, '--database', database)).code, 4);

    const globex = pki.selfSigned('globex-cli');
    const derOnly = path.join(dir, 'globex.der');
    execFileSync('openssl', ['x509', '-in', globex.certPath, '-outform', 'DER', '-out', derOnly]);
    const fromDer = await run('partner', 'add-cert', 'globex', derOnly, '--database', database);
    assert.equal(fromDer.code, 0, fromDer.stderr);
    assert.match(fromDer.stdout, new RegExp(`sha256 ${opensslFingerprint(globex.certPath, 'sha256')}`));

    const garbage = await run(
      'partner',
      'add-cert',
      'acme',
      pki.file('garbage.pem', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n'),
      '--database',
      database,
    );
    assert.equal(garbage.code, 2);
    assert.match(garbage.stderr, /^error: not an X\.509 certificate/);
    const missing = await run('partner', 'add-cert', 'acme', path.join(dir, 'no-such.pem'), '--database', database);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: cannot read .*no-such\.pem: ENOENT\n$/);
    const nobody = await run(
      'partner',
      'add-cert',
      'nobody',
      pki.selfSigned('orphan').certPath,
      '--database',
      database,
    );
    assert.equal(nobody.code, 3);
    assert.match(nobody.stderr, /^error: No partner nobody/);
  });

  it("add-cert refuses a certificate carrying another partner's public key with exit 4, naming the holder (issue 14)", async () => {
    const acme = pki.selfSigned('acme-key-owner');
    assert.equal((await run('partner', 'add-cert', 'acme', acme.certPath, '--database', database)).code, 0);
    const sameKey = path.join(dir, 'globex-with-acme-key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-key', acme.keyPath, '-sha256', '-days', '30', '-subj', '/CN=globex', '-out', sameKey],
      { stdio: 'pipe' },
    );
    const clash = await run('partner', 'add-cert', 'globex', sameKey, '--database', database);
    assert.equal(clash.code, 4);
    assert.equal(
      clash.stderr,
      "error: The certificate's public key is already registered for partner acme; a certificate identity names one partner\n",
    );
    assert.equal(
      (await run('partner', 'list-certs', 'globex', '--database', database)).stdout,
      'no certificates for globex\n',
    );
  });

  it('add-cert refuses an expired or not yet valid certificate unless --force, saying why (issue 14)', async () => {
    const expired = pki.withDates('expired-refused', '20200101000000Z', '20210101000000Z');
    const future = pki.withDates('future-refused', '20400101000000Z', '20410101000000Z');
    const refusedExpired = await run('partner', 'add-cert', 'acme', expired.certPath, '--database', database);
    assert.equal(refusedExpired.code, 2);
    assert.match(
      refusedExpired.stderr,
      /^error: the certificate expired on 2021-01-01T00:00:00\.000Z; register it anyway with --force\n$/,
    );
    const refusedFuture = await run('partner', 'add-cert', 'acme', future.certPath, '--database', database);
    assert.equal(refusedFuture.code, 2);
    assert.match(
      refusedFuture.stderr,
      /^error: the certificate is not valid before 2040-01-01T00:00:00\.000Z; register it anyway with --force\n$/,
    );
    assert.equal(
      (await run('partner', 'list-certs', 'acme', '--database', database)).stdout,
      'no certificates for acme\n',
    );
    const forced = await run('partner', 'add-cert', 'acme', future.certPath, '--force', '--database', database);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(
      forced.stderr,
      /^warning: the certificate is not valid before 2040-01-01T00:00:00\.000Z; registered because of --force\n$/,
    );
  });

  it('list-certs shows active, expired and revoked certificates; revoke-cert takes list-certs or openssl thumbprints', async () => {
    const current = pki.selfSigned('current-cli');
    const expired = pki.withDates('expired-cli', '20200101000000Z', '20210101000000Z');
    assert.equal((await run('partner', 'add-cert', 'acme', current.certPath, '--database', database)).code, 0);
    assert.equal(
      (await run('partner', 'add-cert', 'acme', expired.certPath, '--force', '--database', database)).code,
      0,
    );
    const currentSha256 = opensslFingerprint(current.certPath, 'sha256');
    const expiredSha256 = opensslFingerprint(expired.certPath, 'sha256');

    const listed = await run('partner', 'list-certs', 'acme', '--database', database);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`sha256 ${currentSha256}  \\(active\\)`));
    assert.match(
      listed.stdout,
      new RegExp(
        `sha256 ${expiredSha256}  \\(expired\\)\\n.*\\n.*\\n  valid 2020-01-01T00:00:00.000Z .. 2021-01-01T00:00:00.000Z`,
      ),
    );
    const json = JSON.parse(
      (await run('partner', 'list-certs', 'acme', '--json', '--database', database)).stdout,
    ) as Array<{ sha256Thumbprint: string; serial: string; revokedAt?: string }>;
    assert.deepEqual(json.map((cert) => cert.sha256Thumbprint).sort(), [currentSha256, expiredSha256].sort());
    assert.equal(
      json.find((cert) => cert.sha256Thumbprint === expiredSha256)?.serial,
      String(0x1000),
      'serial in decimal',
    );
    assert.equal(
      (await run('partner', 'list-certs', 'globex', '--database', database)).stdout,
      'no certificates for globex\n',
    );
    assert.equal((await run('partner', 'list-certs', 'nobody', '--database', database)).code, 3);

    // openssl prints "SHA256 Fingerprint=AB:CD:..."; that form is accepted as well.
    const opensslForm = currentSha256.toUpperCase().match(/../g)!.join(':');
    const revoked = await run('partner', 'revoke-cert', 'acme', opensslForm, '--database', database);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `revoked certificate ${currentSha256} of acme\n`);
    assert.match(
      (await run('partner', 'list-certs', 'acme', '--database', database)).stdout,
      new RegExp(`sha256 ${currentSha256}  \\(revoked \\d{4}-\\d\\d-\\d\\dT`),
    );
    await withStores(async (credentials) => {
      assert.ok((await credentials.findCertificate({ sha256Thumbprint: currentSha256 }))?.revokedAt instanceof Date);
      assert.equal(
        (await credentials.findCertificate({ sha256Thumbprint: expiredSha256 }))?.revokedAt,
        undefined,
        'only that one',
      );
    });

    const again = await run('partner', 'revoke-cert', 'acme', currentSha256, '--database', database);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /^error: No active certificate with SHA-256 thumbprint/);
    assert.equal(
      (await run('partner', 'revoke-cert', 'globex', expiredSha256, '--database', database)).code,
      3,
      "globex cannot revoke acme's certificate",
    );
    const malformed = await run('partner', 'revoke-cert', 'acme', 'abc123', '--database', database);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /expected a SHA-256 thumbprint/);
    assert.equal((await run('partner', 'revoke-cert', 'nobody', expiredSha256, '--database', database)).code, 3);
  });

  it('set-policy changes only the given fields, resets them with "default", and rejects bad values', async () => {
    const set = await run(
      'partner',
      'set-policy',
      'acme',
      '--require-timestamp',
      'false',
      '--auth-modes',
      'digest',
      '--sign-response',
      'yes',
      '--database',
      database,
    );
    assert.equal(set.code, 0, set.stderr);
    const expected = { ...DEFAULT_SECURITY_POLICY, requireTimestamp: false, authModes: 'digest', signResponse: true };
    assert.deepEqual(JSON.parse(/^policy of acme: (.*)\n$/.exec(set.stdout)![1]!), expected);
    await withStores(async (credentials) => {
      assert.deepEqual((await credentials.findAccountByUsername('acme'))?.policy, expected);
      assert.deepEqual((await credentials.findAccountByUsername('globex'))?.policy, DEFAULT_SECURITY_POLICY);
    });

    const legacy = await run(
      'partner',
      'set-policy',
      'acme',
      '--allow-legacy-algorithms',
      'on',
      '--require-signature',
      'true',
      '--database',
      database,
    );
    assert.deepEqual(JSON.parse(/^policy of acme: (.*)\n$/.exec(legacy.stdout)![1]!), {
      ...expected,
      allowLegacyAlgorithms: true,
      requireSignature: true,
    });
    const reset = await run(
      'partner',
      'set-policy',
      'acme',
      '--require-timestamp',
      'default',
      '--auth-modes',
      'default',
      '--sign-response',
      'default',
      '--allow-legacy-algorithms',
      'default',
      '--require-signature',
      'default',
      '--database',
      database,
    );
    assert.equal(reset.code, 0, reset.stderr);
    await withStores(async (credentials) =>
      assert.deepEqual((await credentials.findAccountByUsername('acme'))?.policy, DEFAULT_SECURITY_POLICY),
    );

    const badBool = await run('partner', 'set-policy', 'acme', '--require-timestamp', 'maybe', '--database', database);
    assert.equal(badBool.code, 2);
    assert.match(badBool.stderr, /^error: --require-timestamp: expected true, false or default, got "maybe"\n$/);
    const badMode = await run('partner', 'set-policy', 'acme', '--auth-modes', 'kerberos', '--database', database);
    assert.equal(badMode.code, 2);
    assert.match(badMode.stderr, /--auth-modes: expected text, digest, both or default/);
    assert.equal(
      (await run('partner', 'set-policy', 'nobody', '--require-timestamp', 'false', '--database', database)).code,
      3,
    );
  });

  it('set-limit and clear-limit keep partner-wide and per-operation overrides, and reject bad values', async () => {
    const wide = await run(
      'partner',
      'set-limit',
      'acme',
      '--points',
      '500',
      '--duration',
      '60',
      '--max-in-flight',
      '4',
      '--database',
      database,
    );
    assert.equal(wide.code, 0, wide.stderr);
    assert.match(
      wide.stdout,
      /^limit of acme for \*: \{"operation":"\*","points":500,"durationSeconds":60,"maxInFlight":4\}/,
    );
    const perOperation = await run(
      'partner',
      'set-limit',
      'acme',
      '--operation',
      'SubmitOrder',
      '--points',
      '10',
      '--duration',
      '1',
      '--database',
      database,
    );
    assert.equal(perOperation.code, 0, perOperation.stderr);
    await withStores(async (_credentials, limits, partnerId) => {
      assert.deepEqual(await limits.limitsFor(await partnerId('acme')), {
        partner: { points: 500, durationSeconds: 60, maxInFlight: 4 },
        operations: { SubmitOrder: { points: 10, durationSeconds: 1 } },
      });
      assert.equal(await limits.limitsFor(await partnerId('globex')), undefined);
    });
    // "default" returns a partner-wide field to the configured value; the row is replaced, not added to.
    assert.equal(
      (await run('partner', 'set-limit', 'acme', '--points', '200', '--duration', 'default', '--database', database))
        .code,
      0,
    );
    await withStores(async (_credentials, limits, partnerId) => {
      assert.deepEqual((await limits.limitsFor(await partnerId('acme')))?.partner, { points: 200 });
    });

    for (const [args, message] of [
      [['--operation', 'SubmitOrder', '--points', '10'], /a per-operation limit needs --points and --duration/],
      [
        ['--operation', 'SubmitOrder', '--points', '10', '--duration', '1', '--max-in-flight', '2'],
        /takes no --max-in-flight/,
      ],
      [['--points', '0'], /--points: expected a positive integer or default, got "0"/],
      [['--points', 'lots'], /--points: expected a positive integer/],
      [
        ['--operation', 'Submit Order; DROP', '--points', '1', '--duration', '1'],
        /--operation: expected '\*' or an operation name/,
      ],
    ] as const) {
      const refused = await run('partner', 'set-limit', 'acme', ...args, '--database', database);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, message);
    }
    assert.equal((await run('partner', 'set-limit', 'nobody', '--points', '5', '--database', database)).code, 3);

    const cleared = await run('partner', 'clear-limit', 'acme', '--operation', 'SubmitOrder', '--database', database);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.match(cleared.stdout, /^limit of acme for SubmitOrder cleared/);
    assert.equal((await run('partner', 'clear-limit', 'acme', '--database', database)).code, 0);
    await withStores(async (_credentials, limits, partnerId) =>
      assert.equal(await limits.limitsFor(await partnerId('acme')), undefined),
    );
    assert.equal((await run('partner', 'clear-limit', 'nobody', '--database', database)).code, 3);
  });

  it('documents its exit codes in --help', async () => {
    const help = await run('partner', 'revoke-cert', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: partner-orders partner revoke-cert \[options\] <username> <sha256-thumbprint>/);
    assert.match(help.stdout, /3 +partner or certificate not found\n +4 +certificate already registered/);
  });

  it('sets the process exit code when run as a real command', function () {
    this.timeout(60_000);
    const cert = pki.selfSigned('process-cli');
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'main.ts'), 'partner', ...args, '--database', database],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_ENV: 'test' },
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
    const first = cli('add-cert', 'acme', cert.certPath);
    assert.equal(first.status, 0, first.stderr);
    const second = cli('add-cert', 'acme', cert.certPath);
    assert.equal(second.status, 4, second.stderr);
    assert.match(second.stderr, /^error: A certificate with SHA-256 thumbprint [0-9a-f]{64} .*already registered\n$/);
  });
});
