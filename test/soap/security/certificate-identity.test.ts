/**
 * Issue 14, finding 2, at the interceptor: when a certificate identity (public key, SKI) is held by two
 * partners, a message naming it is refused instead of being credited to one of them. (add-cert refusing
 * the clash: test/db/security-stores.test.ts and test/cli/partner-security.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describeCertificate } from '../../../src/soap/security/certificate-info';
import {
  buildWorld,
  expectAccepted,
  expectRejected,
  interceptorFor,
  xmlsecSignedBy,
  type SecurityWorld,
} from './support/harness';
import { xmlsec1Available } from './support/signers';

describe('security: certificate identities shared by two partners (issue 14, finding 2)', function () {
  this.timeout(60_000);
  let world: SecurityWorld;

  before(async function () {
    if (!xmlsec1Available()) this.skip(); // installed here and in CI
    world = await buildWorld();
  });
  after(() => world?.pki.dispose());

  it("a certificate carrying alice's key registered for another partner: alice's SKI and thumbprint messages are refused, never credited to it", async () => {
    const { interceptor } = interceptorFor(world);
    await expectAccepted(interceptor, xmlsecSignedBy(world, world.alice, { keyReference: 'ski' }), 'alice');
    const certPath = join(world.pki.dir, 'dave-with-alice-key.cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-key', world.alice.keyPath, '-sha256', '-days', '30', '-subj', '/CN=dave', '-out', certPath],
      { stdio: 'pipe' },
    );
    world.store.addCertificatePem('dave', execFileSync('cat', [certPath]).toString('utf8'));
    await expectRejected(
      interceptor,
      xmlsecSignedBy(world, world.alice, { keyReference: 'ski' }),
      'FailedAuthentication',
    );
    await expectRejected(
      interceptor,
      xmlsecSignedBy(world, world.alice, { keyReference: 'thumbprint' }),
      'FailedAuthentication',
    );
    await expectRejected(
      interceptor,
      xmlsecSignedBy(world, world.alice, { keyReference: 'bst' }),
      'FailedAuthentication',
    );
    // Bob is not involved and still works.
    await expectAccepted(interceptor, xmlsecSignedBy(world, world.bob, { keyReference: 'ski' }), 'bob');
  });

  it("a crafted certificate with bob's SKI extension registered for another partner blocks nothing silently: bob's SKI messages are refused, not misrouted", async () => {
    const { interceptor } = interceptorFor(world);
    const certPath = join(world.pki.dir, 'crafted-ski.cert.pem');
    const ski = describeCertificate(world.bob.certPem).ski.match(/../g)!.join(':');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(world.pki.dir, 'crafted.key.pem'),
        '-sha256',
        '-days',
        '30',
        '-subj',
        '/CN=crafted',
        '-addext',
        `subjectKeyIdentifier=${ski}`,
        '-out',
        certPath,
      ],
      { stdio: 'pipe' },
    );
    world.store.addCertificatePem('carol', execFileSync('cat', [certPath]).toString('utf8'));
    await expectRejected(
      interceptor,
      xmlsecSignedBy(world, world.bob, { keyReference: 'ski' }),
      'FailedAuthentication',
    );
  });
});
