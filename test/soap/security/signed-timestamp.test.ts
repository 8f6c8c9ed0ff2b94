/**
 * Issue 14, finding 3: a signed message without a Timestamp had nothing bounding its life but the replay
 * fingerprint (kept maxAge + skew = 360 s), so it was accepted again at 370 s for a partner with
 * `--require-timestamp false`. The rule now: an X.509 signature is accepted only with a wsu:Timestamp the
 * signature covers (WSS4J's default), whatever the partner policy says about Timestamps; the policy's
 * requireTimestamp governs UsernameToken-only messages.
 */
import assert from 'node:assert/strict';
import {
  buildWorld,
  expectAccepted,
  expectRejected,
  interceptorFor,
  xmlsecSignedBy,
  type SecurityWorld,
} from './support/harness';
import { xmlsec1Available } from './support/signers';

describe('security: a signature requires a signed Timestamp (issue 14, finding 3)', function () {
  this.timeout(60_000);
  let world: SecurityWorld;

  before(async function () {
    if (!xmlsec1Available()) this.skip(); // installed here and in CI
    world = await buildWorld();
    world.store.addAccount({
      principal: { id: 'notsrequired', name: 'notsrequired', roles: [] },
      username: 'notsrequired',
      policy: { requireTimestamp: false },
    });
    const signer = world.pki.selfSigned('notsrequired');
    world.store.addCertificatePem('notsrequired', signer.certPem);
    (world as SecurityWorld & { noTs: typeof signer }).noTs = signer;
  });
  after(() => world?.pki.dispose());

  /** The recipe's template without the wsu:Timestamp, signed over the Body only. */
  function signedWithoutTimestamp(): string {
    const signer = (world as SecurityWorld & { noTs: typeof world.alice }).noTs;
    const signed = xmlsecSignedBy(world, signer, { references: ['Body-1'], payloadText: `no timestamp ${Date.now()}` });
    return signed;
  }

  it('is refused even for a partner whose policy does not require a Timestamp, now and 370 s later', async () => {
    const template = signedWithoutTimestamp();
    // xmlsecSignedBy always writes a Timestamp; drop it (it is not referenced, so the signature stays valid).
    const withoutTimestamp = template.replace(/<wsu:Timestamp wsu:Id="TS-1">.*?<\/wsu:Timestamp>/, '');
    assert.ok(!withoutTimestamp.includes('Timestamp'));
    let now = Date.now();
    const { interceptor } = interceptorFor(world, { clock: () => new Date(now) });
    assert.match(await expectRejected(interceptor, withoutTimestamp, 'InvalidSecurity'), /signed Timestamp/);
    now += 370_000;
    assert.match(await expectRejected(interceptor, withoutTimestamp, 'InvalidSecurity'), /signed Timestamp/);
  });

  it('an unsigned Timestamp next to the signature is refused too; a signed one is accepted once', async () => {
    const { interceptor } = interceptorFor(world);
    await expectRejected(interceptor, signedWithoutTimestamp(), 'InvalidSecurity');
    const signer = (world as SecurityWorld & { noTs: typeof world.alice }).noTs;
    const signed = xmlsecSignedBy(world, signer);
    await expectAccepted(interceptor, signed, 'notsrequired');
    await expectRejected(interceptor, signed, 'InvalidSecurity');
  });

  it('a signed message is a replay for as long as its Timestamp lets it live, then expired', async () => {
    const start = Date.now();
    let now = start;
    const { interceptor } = interceptorFor(world, { clock: () => new Date(now) });
    const signed = xmlsecSignedBy(world, world.alice, { expires: undefined });
    await expectAccepted(interceptor, signed, 'alice');
    for (const later of [1_000, 200_000, 295_000]) {
      now = start + later;
      assert.match(await expectRejected(interceptor, signed, 'InvalidSecurity'), /replayed/);
    }
    now = start + 370_000;
    await expectRejected(interceptor, signed, 'MessageExpired');
  });
});
