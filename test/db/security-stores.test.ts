/**
 * The WS-Security credential store and the rate-limit overrides over the real schema, on every listed
 * database (the stores themselves are written by the composition-root work; these tests pin their
 * behaviour per dialect).
 */
import assert from 'node:assert/strict';
import { KnexCredentialStore, CertificateAlreadyRegistered, CertificateNotFound } from '../../src/db/stores/credential-store';
import { KnexLimitsStore } from '../../src/db/stores/limits-store';
import { SecretBox } from '../../src/soap/security/secret-box';
import { DEFAULT_SECURITY_POLICY } from '../../src/soap/security/store';
import { describeCertificate } from '../../src/soap/security/cli-certs';
import { PartnerNotFound } from '../../src/service/errors';
import { TestPki, type TestIdentity } from '../soap/security/support/pki';
import { T0, partnerRecord, storesOf } from './fixtures';
import { deleteAllRows, forEachDatabase } from './harness';

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
    const found = await credentials.findPartnerByUsername('alice');
    assert.deepEqual(found?.principal, { id: aliceId, name: 'alice', roles: ['admin'] });
    assert.equal(found?.passwordHash, 'scrypt$test$alice');
    assert.equal(found?.digestSecret, undefined);
    assert.equal(found?.disabled, false);
    assert.deepEqual(found?.policy, DEFAULT_SECURITY_POLICY);
    assert.equal(await credentials.findPartnerByUsername('nobody'), undefined);
    assert.deepEqual(await credentials.policyFor({ id: 'nobody', name: 'nobody', roles: [] }), DEFAULT_SECURITY_POLICY);
  });

  it('stores the digest secret sealed, opens it for the partner, removes it', async () => {
    await credentials.setDigestSecret('alice', 'digest-Secret-1');
    const [row] = await getDb().knex('partners').where('id', aliceId).select('digest_secret');
    assert.match(String(row.digest_secret), /^v1:/);
    assert.ok(!String(row.digest_secret).includes('digest-Secret-1'), 'never in clear');
    assert.equal((await credentials.findPartnerByUsername('alice'))?.digestSecret, 'digest-Secret-1');
    await credentials.setDigestSecret('alice', undefined);
    assert.equal((await credentials.findPartnerByUsername('alice'))?.digestSecret, undefined);
    await assert.rejects(credentials.setDigestSecret('nobody', 'x'), PartnerNotFound);
  });

  it('overrides policy fields and resets them to the default with null', async () => {
    const policy = await credentials.setPolicy('alice', { authModes: 'digest', requireSignature: true, signResponse: true, requireTimestamp: false });
    assert.deepEqual(policy, { ...DEFAULT_SECURITY_POLICY, authModes: 'digest', requireSignature: true, signResponse: true, requireTimestamp: false });
    assert.deepEqual((await credentials.findPartnerByUsername('alice'))?.policy, policy);
    assert.deepEqual(await credentials.policyFor({ id: aliceId, name: 'alice', roles: [] }), policy);
    const reset = await credentials.setPolicy('alice', { authModes: null, requireTimestamp: null });
    assert.deepEqual(reset, { ...DEFAULT_SECURITY_POLICY, requireSignature: true, signResponse: true });
  });

  it('registers certificates and finds them by every reference form', async function () {
    this.timeout(20_000);
    const facts = describeCertificate(alice.certPem);
    const summary = await credentials.addCertificate('alice', alice.certPem);
    assert.equal(summary.sha256Thumbprint, facts.sha256Thumbprint);
    await assert.rejects(credentials.addCertificate('alice', alice.certPem), CertificateAlreadyRegistered);
    await assert.rejects(credentials.addCertificate('nobody', renewed.certPem), PartnerNotFound);

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

    await credentials.addCertificate('alice', renewed.certPem);
    const listed = await credentials.listCertificates('alice');
    assert.deepEqual(listed.map((certificate) => certificate.sha256Thumbprint).sort(), [facts.sha256Thumbprint, describeCertificate(renewed.certPem).sha256Thumbprint].sort());
    await storesOf(getDb()).partners.setDisabled('alice', true);
    assert.equal((await credentials.findCertificate({ sha1Thumbprint: facts.sha1Thumbprint }))?.disabled, true);
  });

  it('keeps per-partner rate-limit overrides, partner-wide and per operation', async () => {
    assert.equal(await limits.limitsFor(aliceId), undefined);
    await limits.setLimit(aliceId, { operation: '*', points: 500, durationSeconds: 60, maxInFlight: null });
    await limits.setLimit(aliceId, { operation: 'SubmitOrder', points: 10, durationSeconds: 1, maxInFlight: null });
    assert.deepEqual(await limits.limitsFor(aliceId), { partner: { points: 500, durationSeconds: 60 }, operations: { SubmitOrder: { points: 10, durationSeconds: 1 } } });
    await limits.setLimit(aliceId, { operation: '*', points: null, durationSeconds: null, maxInFlight: 4 });
    await limits.clearLimit(aliceId, 'SubmitOrder');
    assert.deepEqual(await limits.limitsFor(aliceId), { partner: { maxInFlight: 4 } });
    // Per-operation rows need a full window (CHECK constraint).
    await assert.rejects(limits.setLimit(aliceId, { operation: 'GetOrder', points: null, durationSeconds: 5, maxInFlight: null }));
  });
});
