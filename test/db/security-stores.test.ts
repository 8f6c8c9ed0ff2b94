/**
 * The WS-Security credential store and the rate-limit overrides over the real schema, on every listed
 * database (the stores themselves are written by the composition-root work; these tests pin their
 * behaviour per dialect).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KnexCredentialStore,
  CertificateAlreadyRegistered,
  CertificateHeldByAnotherPartner,
  CertificateNotFound,
} from '../../src/db/stores/credential-store';
import * as certificateIdentity from '../../src/db/migrations/0003_certificate_identity';
import * as securityQueries from '../../src/db/queries/security';
import { KnexLimitsStore } from '../../src/db/stores/limits-store';
import { SecretBox, DEFAULT_SECURITY_POLICY, describeCertificate, type CredentialStore } from '../../src/soap/security';
import { PartnerNotFound } from '../../src/service/errors';
import { TestPki, type TestIdentity } from '../soap/security/support/pki';
import { T0, partnerRecord, storesOf } from './fixtures';
import { SoapFault } from '../../src/soap';
import { unavailableAsFault } from '../../src/service/handlers/faults';
import { ServiceUnavailable } from '../../src/service/errors';
import { openDatabase } from '../../src/db/connection';
import { deleteAllRows, forEachDatabase, quietLog } from './harness';
import { closedPort } from './tcp-proxy';

/** A self-signed certificate for an existing key (same SKI) or with a chosen subject and serial. */
function opensslCertificate(
  pki: TestPki,
  name: string,
  options: { keyPath?: string; subject?: string; serial?: number; ski?: string },
): string {
  const certPath = join(pki.dir, `${name}.cert.pem`);
  const keyArgs =
    options.keyPath !== undefined
      ? ['-key', options.keyPath]
      : ['-newkey', 'rsa:2048', '-nodes', '-keyout', join(pki.dir, `${name}.key.pem`)];
  const serialArgs = options.serial !== undefined ? ['-set_serial', String(options.serial)] : [];
  const skiArgs =
    options.ski !== undefined ? ['-addext', `subjectKeyIdentifier=${options.ski.match(/../g)!.join(':')}`] : [];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...keyArgs,
      '-sha256',
      '-days',
      '30',
      ...serialArgs,
      ...skiArgs,
      '-out',
      certPath,
      '-subj',
      options.subject ?? `/CN=${name}/O=Independent Signer`,
    ],
    { stdio: 'pipe' },
  );
  return readFileSync(certPath, 'utf8');
}

/** The suite's clock is T0, before the test certificates' validity; validity checks are tested in test/cli. */
const ANY_VALIDITY = { allowOutsideValidity: true };

forEachDatabase('security stores', (getDb) => {
  let pki: TestPki;
  let alice: TestIdentity;
  let renewed: TestIdentity;
  const box = new SecretBox('11'.repeat(32));

  before(function () {
    this.timeout(30_000);
    pki = new TestPki();
    alice = pki.selfSigned('alice');
    renewed = pki.selfSigned('alice-2');
  });
  after(() => pki.dispose());

  let credentials: KnexCredentialStore;
  let limits: KnexLimitsStore;
  let aliceId: string;
  beforeEach(async () => {
    await deleteAllRows(getDb());
    credentials = new KnexCredentialStore(getDb(), box, () => T0);
    limits = new KnexLimitsStore(getDb(), () => T0);
    aliceId = (await storesOf(getDb()).partners.create(partnerRecord('alice', { roles: ['admin'] }))).id;
  });

  it('finds credentials with the default policy and no digest secret', async () => {
    const found = await credentials.findAccountByUsername('alice');
    assert.deepEqual(found?.principal, { id: aliceId, name: 'alice', roles: ['admin'] });
    assert.equal(found?.passwordHash, 'scrypt$test$alice');
    assert.equal(found?.digestSecret, undefined);
    assert.equal(found?.disabled, false);
    assert.deepEqual(found?.policy, DEFAULT_SECURITY_POLICY);
    assert.equal(await credentials.findAccountByUsername('nobody'), undefined);
    assert.deepEqual(await credentials.policyFor({ id: 'nobody', name: 'nobody', roles: [] }), DEFAULT_SECURITY_POLICY);
  });

  it('stores the digest secret sealed, opens it for the partner, removes it', async () => {
    await credentials.setDigestSecret('alice', 'digest-Secret-1');
    const [row] = await getDb().knex('partners').where('id', aliceId).select('digest_secret');
    assert.match(String(row.digest_secret), /^v1:/);
    assert.ok(!String(row.digest_secret).includes('digest-Secret-1'), 'never in clear');
    assert.equal((await credentials.findAccountByUsername('alice'))?.digestSecret, 'digest-Secret-1');
    await credentials.setDigestSecret('alice', undefined);
    assert.equal((await credentials.findAccountByUsername('alice'))?.digestSecret, undefined);
    await assert.rejects(credentials.setDigestSecret('nobody', 'x'), PartnerNotFound);
  });

  it('opens a digest secret only for the partner it was sealed for and with the key that sealed it, warning otherwise', async () => {
    const warnings: string[] = [];
    const watched = new KnexCredentialStore(
      getDb(),
      box,
      () => T0,
      (message) => warnings.push(message),
    );
    const bobId = (await storesOf(getDb()).partners.create(partnerRecord('bob'))).id;
    await watched.setDigestSecret('alice', 'alice-digest-secret');
    await watched.setDigestSecret('bob', 'bob-digest-secret');
    assert.equal((await watched.findAccountByUsername('bob'))?.digestSecret, 'bob-digest-secret');
    assert.equal(warnings.length, 0);

    // Alice's sealed value copied into Bob's row does not open for Bob (the partner id is authenticated data).
    const [aliceRow] = await getDb().knex('partners').where('id', aliceId).select('digest_secret');
    await getDb().knex('partners').where('id', bobId).update({ digest_secret: aliceRow.digest_secret });
    const bob = await watched.findAccountByUsername('bob');
    assert.equal(bob?.digestSecret, undefined);
    assert.equal(bob?.passwordHash, 'scrypt$test$bob', 'the rest of the credentials still load');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /digest secret of partner bob does not open/);

    // Another key (SECRETS_KEY rotated without re-setting secrets): undefined, with a warning, never a throw.
    const rotated = new KnexCredentialStore(
      getDb(),
      new SecretBox('22'.repeat(32)),
      () => T0,
      (message) => warnings.push(message),
    );
    assert.equal((await rotated.findAccountByUsername('alice'))?.digestSecret, undefined);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1]!, /digest secret of partner alice does not open with the configured SECRETS_KEY/);
    assert.ok(!warnings.join('\n').includes('alice-digest-secret'), 'the secret never reaches the log');

    // Without a key no secret opens (and none can be stored); nothing to warn about.
    const keyless = new KnexCredentialStore(
      getDb(),
      undefined,
      () => T0,
      (message) => warnings.push(message),
    );
    assert.equal((await keyless.findAccountByUsername('alice'))?.digestSecret, undefined);
    await assert.rejects(keyless.setDigestSecret('alice', 'x'), /SECRETS_KEY\) is not configured/);
    assert.equal(warnings.length, 2);
    assert.equal(
      (await watched.findAccountByUsername('alice'))?.digestSecret,
      'alice-digest-secret',
      'the right key still opens it',
    );
  });

  it('keeps every policy field NULL (= default) until set, and changes only the fields given', async () => {
    const [row] = await getDb()
      .knex('partners')
      .where('id', aliceId)
      .select('auth_modes', 'require_timestamp', 'require_signature', 'sign_response', 'allow_legacy_algorithms');
    assert.deepEqual(
      Object.values(row).filter((value) => value !== null),
      [],
      'a new partner has no overrides',
    );
    await credentials.setPolicy('alice', { allowLegacyAlgorithms: true });
    const policy = await credentials.setPolicy('alice', { signResponse: false });
    assert.deepEqual(policy, { ...DEFAULT_SECURITY_POLICY, allowLegacyAlgorithms: true, signResponse: false });
    assert.deepEqual(await credentials.setPolicy('alice', {}), policy, 'an empty change keeps everything');
    await assert.rejects(credentials.setPolicy('nobody', { requireTimestamp: false }), PartnerNotFound);
    const everythingDefault = await credentials.setPolicy('alice', {
      authModes: null,
      requireTimestamp: null,
      requireSignature: null,
      signResponse: null,
      allowLegacyAlgorithms: null,
    });
    assert.deepEqual(everythingDefault, DEFAULT_SECURITY_POLICY);
  });

  it('overrides policy fields and resets them to the default with null', async () => {
    const policy = await credentials.setPolicy('alice', {
      authModes: 'digest',
      requireSignature: true,
      signResponse: true,
      requireTimestamp: false,
    });
    assert.deepEqual(policy, {
      ...DEFAULT_SECURITY_POLICY,
      authModes: 'digest',
      requireSignature: true,
      signResponse: true,
      requireTimestamp: false,
    });
    assert.deepEqual((await credentials.findAccountByUsername('alice'))?.policy, policy);
    assert.deepEqual(await credentials.policyFor({ id: aliceId, name: 'alice', roles: [] }), policy);
    const reset = await credentials.setPolicy('alice', { authModes: null, requireTimestamp: null });
    assert.deepEqual(reset, { ...DEFAULT_SECURITY_POLICY, requireSignature: true, signResponse: true });
  });

  it('keeps the mutual TLS policy field (issue 14, finding 8)', async () => {
    assert.equal(DEFAULT_SECURITY_POLICY.mutualTls, false);
    assert.equal((await credentials.setPolicy('alice', { mutualTls: true })).mutualTls, true);
    assert.equal((await credentials.findAccountByUsername('alice'))?.policy.mutualTls, true);
    assert.equal((await credentials.setPolicy('alice', { mutualTls: null })).mutualTls, false);
  });

  it('registers certificates and finds them by every reference form', async function () {
    this.timeout(20_000);
    const facts = describeCertificate(alice.certPem);
    const summary = await credentials.addCertificate('alice', alice.certPem, ANY_VALIDITY);
    assert.equal(summary.sha256Thumbprint, facts.sha256Thumbprint);
    await assert.rejects(
      credentials.addCertificate('alice', alice.certPem, ANY_VALIDITY),
      CertificateAlreadyRegistered,
    );
    await assert.rejects(credentials.addCertificate('nobody', renewed.certPem, ANY_VALIDITY), PartnerNotFound);

    for (const ref of [
      { sha1Thumbprint: facts.sha1Thumbprint },
      { sha256Thumbprint: facts.sha256Thumbprint },
      { ski: facts.ski },
      { issuer: facts.issuer, serial: facts.serial },
    ]) {
      const found = await credentials.findCertificate(ref);
      assert.equal(found?.principal.id, aliceId, JSON.stringify(ref));
      assert.equal(found?.certificatePem, facts.pem);
      assert.deepEqual(found?.notAfter, facts.notAfter);
      assert.equal(found?.revokedAt, undefined);
      assert.equal(found?.disabled, false);
    }
    assert.equal(await credentials.findCertificate({ sha256Thumbprint: '0'.repeat(64) }), undefined);

    await credentials.revokeCertificate('alice', facts.sha256Thumbprint);
    assert.deepEqual((await credentials.findCertificate({ sha256Thumbprint: facts.sha256Thumbprint }))?.revokedAt, T0);
    await assert.rejects(credentials.revokeCertificate('alice', facts.sha256Thumbprint), CertificateNotFound);

    await credentials.addCertificate('alice', renewed.certPem, ANY_VALIDITY);
    const listed = await credentials.listCertificates('alice');
    assert.deepEqual(
      listed.map((certificate) => certificate.sha256Thumbprint).sort(),
      [facts.sha256Thumbprint, describeCertificate(renewed.certPem).sha256Thumbprint].sort(),
    );
    await storesOf(getDb()).partners.setDisabled('alice', true);
    assert.equal((await credentials.findCertificate({ sha1Thumbprint: facts.sha1Thumbprint }))?.disabled, true);
  });

  it('refuses a second certificate with the same issuer and serial (another key), and one revoke only touches its owner', async function () {
    this.timeout(20_000);
    const first = opensslCertificate(pki, 'same-serial-1', { subject: '/CN=Shared Issuer/O=Test', serial: 4242 });
    const second = opensslCertificate(pki, 'same-serial-2', { subject: '/CN=Shared Issuer/O=Test', serial: 4242 });
    assert.notEqual(describeCertificate(first).sha256Thumbprint, describeCertificate(second).sha256Thumbprint);
    await credentials.addCertificate('alice', first, ANY_VALIDITY);
    await storesOf(getDb()).partners.create(partnerRecord('bob'));
    await assert.rejects(
      credentials.addCertificate('bob', second, ANY_VALIDITY),
      (error: unknown) =>
        error instanceof CertificateHeldByAnotherPartner &&
        error.holder === 'alice' &&
        error.identity === 'issuer and serial number',
    );
    const byIssuerSerial = await credentials.findCertificate({
      issuer: describeCertificate(first).issuer,
      serial: '4242',
    });
    assert.equal(byIssuerSerial?.principal.id, aliceId);

    const thumbprint = describeCertificate(first).sha256Thumbprint;
    await assert.rejects(
      credentials.revokeCertificate('bob', thumbprint),
      CertificateNotFound,
      "bob cannot revoke alice's certificate",
    );
    assert.equal((await credentials.findCertificate({ sha256Thumbprint: thumbprint }))?.revokedAt, undefined);
    // Thumbprints are accepted in upper case, as some tools print them.
    await credentials.revokeCertificate('alice', thumbprint.toUpperCase());
    assert.deepEqual((await credentials.findCertificate({ sha256Thumbprint: thumbprint }))?.revokedAt, T0);
    assert.deepEqual(await credentials.listCertificates('bob'), []);
    await assert.rejects(credentials.listCertificates('nobody'), PartnerNotFound);
  });

  it('resolves a SKI shared by two certificates (same key, re-issued) to the newest unrevoked one', async function () {
    this.timeout(20_000);
    const older = opensslCertificate(pki, 'rekey-old', { keyPath: alice.keyPath, serial: 1 });
    const newer = opensslCertificate(pki, 'rekey-new', { keyPath: alice.keyPath, serial: 2 });
    const ski = describeCertificate(older).ski;
    assert.equal(describeCertificate(newer).ski, ski, 'openssl derives the SKI from the key');
    let clock = T0;
    const store = new KnexCredentialStore(getDb(), box, () => clock);
    const pemOf = async () => (await store.findCertificate({ ski }))?.certificatePem;

    await store.addCertificate('alice', older, ANY_VALIDITY);
    clock = new Date(T0.getTime() + 3_600_000);
    await store.addCertificate('alice', newer, ANY_VALIDITY);
    assert.equal(await pemOf(), describeCertificate(newer).pem, 'the newest wins');
    clock = new Date(T0.getTime() + 7_200_000);
    await store.revokeCertificate('alice', describeCertificate(newer).sha256Thumbprint);
    assert.equal(await pemOf(), describeCertificate(older).pem, 'an older unrevoked one beats a newer revoked one');
    await store.revokeCertificate('alice', describeCertificate(older).sha256Thumbprint);
    const lastResort = await store.findCertificate({ ski });
    assert.ok(lastResort?.revokedAt !== undefined, 'when all are revoked, the one found says so');
    assert.equal(await store.findCertificate({}), undefined, 'an empty reference finds nothing');
  });

  describe('a certificate identity names one partner (issue 14, finding 2)', () => {
    let bobId: string;
    beforeEach(async () => {
      bobId = (await storesOf(getDb()).partners.create(partnerRecord('bob'))).id;
      await credentials.addCertificate('alice', alice.certPem, ANY_VALIDITY);
    });

    it("refuses a certificate carrying another partner's public key, naming the holder", async function () {
      this.timeout(20_000);
      const sameKey = opensslCertificate(pki, 'bob-with-alice-key', {
        keyPath: alice.keyPath,
        subject: '/CN=bob/O=Elsewhere',
        serial: 77,
      });
      await assert.rejects(credentials.addCertificate('bob', sameKey, ANY_VALIDITY), (error: unknown) => {
        assert.ok(error instanceof CertificateHeldByAnotherPartner);
        assert.equal(error.holder, 'alice');
        assert.equal(error.identity, 'public key');
        assert.match(error.message, /public key is already registered for partner alice/);
        return true;
      });
      assert.deepEqual(await credentials.listCertificates('bob'), []);
      // The holder itself may register it (a renewal with the same key).
      await credentials.addCertificate('alice', sameKey, ANY_VALIDITY);
    });

    it("refuses a crafted certificate with another partner's SubjectKeyIdentifier, and the same certificate twice", async function () {
      this.timeout(20_000);
      const crafted = opensslCertificate(pki, 'bob-with-alice-ski', {
        subject: '/CN=bob',
        ski: describeCertificate(alice.certPem).ski,
      });
      await assert.rejects(
        credentials.addCertificate('bob', crafted, ANY_VALIDITY),
        (error: unknown) =>
          error instanceof CertificateHeldByAnotherPartner &&
          error.holder === 'alice' &&
          error.identity === 'subject key identifier',
      );
      await assert.rejects(
        credentials.addCertificate('bob', alice.certPem, ANY_VALIDITY),
        (error: unknown) => error instanceof CertificateHeldByAnotherPartner && error.identity === 'SHA-256 thumbprint',
      );
      await assert.rejects(
        credentials.addCertificate('alice', alice.certPem, ANY_VALIDITY),
        CertificateAlreadyRegistered,
      );
    });

    it('a lookup that finds an identity held by two partners (older data) reports the other holders', async function () {
      this.timeout(20_000);
      const crafted = describeCertificate(
        opensslCertificate(pki, 'legacy-clash', { subject: '/CN=bob', ski: describeCertificate(alice.certPem).ski }),
      );
      // Written past the store's checks, as rows registered before them may be.
      await securityQueries.insertCertificate(getDb().knex, {
        partnerId: bobId,
        sha1: crafted.sha1Thumbprint,
        sha256: crafted.sha256Thumbprint,
        ski: crafted.ski,
        issuer: crafted.issuer,
        serial: crafted.serial,
        publicKeySha256: crafted.publicKeySha256,
        pem: crafted.pem,
        notBefore: crafted.notBefore,
        notAfter: crafted.notAfter,
        createdAt: T0,
      });
      const bySki = await credentials.findCertificate({ ski: crafted.ski });
      assert.ok(
        bySki?.otherHolders?.length === 1,
        `expected one other holder, got ${JSON.stringify(bySki?.otherHolders)}`,
      );
      const byThumbprint = await credentials.findCertificate({
        sha256Thumbprint: describeCertificate(alice.certPem).sha256Thumbprint,
      });
      assert.deepEqual(byThumbprint?.otherHolders, ['bob']);
      const unrelated = pki.selfSigned('carol-unrelated');
      await storesOf(getDb()).partners.create(partnerRecord('carol'));
      await credentials.addCertificate('carol', unrelated.certPem, ANY_VALIDITY);
      assert.deepEqual(
        (
          await credentials.findCertificate({
            sha256Thumbprint: describeCertificate(unrelated.certPem).sha256Thumbprint,
          })
        )?.otherHolders,
        [],
      );
    });

    it('migration 0003 fills the public key of certificates registered before it', async () => {
      await certificateIdentity.down(getDb().knex);
      await certificateIdentity.up(getDb().knex);
      const rows = (await getDb().knex('partner_certificates').select(['public_key_sha256'])) as Array<{
        public_key_sha256: string;
      }>;
      assert.deepEqual(
        rows.map((row) => row.public_key_sha256),
        [describeCertificate(alice.certPem).publicKeySha256],
      );
    });
  });

  it('keeps per-partner rate-limit overrides, partner-wide and per operation', async () => {
    assert.equal(await limits.limitsFor(aliceId), undefined);
    await limits.setLimit(aliceId, { operation: '*', points: 500, durationSeconds: 60, maxInFlight: null });
    await limits.setLimit(aliceId, { operation: 'SubmitOrder', points: 10, durationSeconds: 1, maxInFlight: null });
    assert.deepEqual(await limits.limitsFor(aliceId), {
      partner: { points: 500, durationSeconds: 60 },
      operations: { SubmitOrder: { points: 10, durationSeconds: 1 } },
    });
    await limits.setLimit(aliceId, { operation: '*', points: null, durationSeconds: null, maxInFlight: 4 });
    await limits.clearLimit(aliceId, 'SubmitOrder');
    assert.deepEqual(await limits.limitsFor(aliceId), { partner: { maxInFlight: 4 } });
    // Per-operation rows need a full window (CHECK constraint).
    await assert.rejects(
      limits.setLimit(aliceId, { operation: 'GetOrder', points: null, durationSeconds: 5, maxInFlight: null }),
    );
  });

  it('replaces a limit under concurrent writers: every call succeeds and one row remains', async () => {
    const settings = Array.from({ length: 10 }, (_, index) => ({
      operation: 'SubmitOrder',
      points: index + 1,
      durationSeconds: 1,
      maxInFlight: null,
    }));
    await Promise.all(settings.map((setting) => limits.setLimit(aliceId, setting)));
    const rows = await getDb().knex('partner_limits').where('partner_id', aliceId).select('points');
    assert.equal(rows.length, 1);
    const points = (await limits.limitsFor(aliceId))?.operations?.SubmitOrder?.points;
    assert.ok(points !== undefined && points >= 1 && points <= 10, String(points));
  });

  it('stores NULL limit fields as "use the configured default" and replaces a row instead of adding one', async () => {
    const bobId = (await storesOf(getDb()).partners.create(partnerRecord('bob'))).id;
    await limits.setLimit(aliceId, { operation: '*', points: null, durationSeconds: null, maxInFlight: null });
    assert.deepEqual(await limits.limitsFor(aliceId), { partner: {} }, 'a row of NULLs overrides nothing');
    await limits.setLimit(aliceId, { operation: '*', points: 7, durationSeconds: null, maxInFlight: null });
    assert.deepEqual(await limits.limitsFor(aliceId), { partner: { points: 7 } });
    await limits.setLimit(aliceId, { operation: 'SubmitOrder', points: 3, durationSeconds: 10, maxInFlight: null });
    await limits.setLimit(aliceId, { operation: 'SubmitOrder', points: 4, durationSeconds: 20, maxInFlight: null });
    assert.deepEqual(await limits.limitsFor(aliceId), {
      partner: { points: 7 },
      operations: { SubmitOrder: { points: 4, durationSeconds: 20 } },
    });
    assert.equal(
      Number((await getDb().knex('partner_limits').where('partner_id', aliceId).count({ n: '*' }))[0]!.n),
      2,
    );
    assert.equal(await limits.limitsFor(bobId), undefined, "another partner's overrides stay separate");
    await limits.clearLimit(aliceId, 'GetOrder');
    await limits.clearLimit(aliceId, '*');
    assert.deepEqual(await limits.limitsFor(aliceId), {
      operations: { SubmitOrder: { points: 4, durationSeconds: 20 } },
    });
    await assert.rejects(
      limits.setLimit('no-such-partner', { operation: '*', points: 1, durationSeconds: 1, maxInFlight: null }),
      'foreign key',
    );
  });
});

describe('credential store with the database unreachable', () => {
  it('gives the CLI and the adapter the domain error, and through the adapter the engine a 503 Receiver fault', async () => {
    const db = openDatabase({
      url: `postgres://postgres@127.0.0.1:${await closedPort()}/test`,
      acquireTimeoutMs: 1_000,
      log: quietLog,
    });
    try {
      const store = new KnexCredentialStore(db, new SecretBox('11'.repeat(32)));
      const engineStore = unavailableAsFault(store);
      await assert.rejects(store.policyFor({ id: 'x', name: 'alice', roles: [] }), ServiceUnavailable);
      for (const lookup of [
        (s: CredentialStore) => s.findAccountByUsername('alice'),
        (s: CredentialStore) => s.findCertificate({ sha256Thumbprint: 'a'.repeat(64) }),
      ]) {
        await assert.rejects(lookup(store), ServiceUnavailable);
        await assert.rejects(lookup(engineStore), (error: unknown) => {
          assert.ok(error instanceof SoapFault, String(error));
          assert.equal(error.code, 'Receiver');
          assert.equal(error.httpStatus, 503);
          assert.deepEqual(error.httpHeaders, { 'Retry-After': '5' });
          assert.match(error.reason, /temporarily unavailable/);
          return true;
        });
      }
      // Administrative calls (the CLI) keep the domain error, which the CLI reports with its own exit code.
      await assert.rejects(store.setPolicy('alice', { requireTimestamp: false }), ServiceUnavailable);
    } finally {
      await db.close();
    }
  });
});
