/**
 * Issue 14, finding 1: a captured signed message re-sent with its SignatureValue (or another security
 * value) spelled differently must be a replay or a refusal, never a fresh message. Replays are keyed on
 * the decoded bytes that were verified; base64 junk (base64url, missing padding, stray characters,
 * surplus padding, unused bits set) is refused in every security value; whitespace is allowed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { decodeCanonicalBase64 } from '../../../src/soap/security/base64';
import { RedisReplayCache } from '../../../src/soap/security/replay-cache';
import {
  PASSWORDS,
  buildWorld,
  expectAccepted,
  expectRejected,
  interceptorFor,
  plainEnvelope,
  xmlsecSignedBy,
  type SecurityWorld,
} from './support/harness';
import { xmlsec1Available, zeepAvailable, zeepSign } from './support/signers';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Replaces the text of the first `<prefix:local>` element. */
function respell(xml: string, local: string, change: (text: string) => string): string {
  const pattern = new RegExp(`(<(?:\\w+:)?${local}\\b[^>]*>)([^<]*)(</(?:\\w+:)?${local}>)`);
  const match = pattern.exec(xml);
  assert.ok(match, `no ${local} in the message`);
  return xml.replace(pattern, (_all, open: string, text: string, close: string) => `${open}${change(text)}${close}`);
}

/** Sets the unused low bits of the last data character before '=' padding (same bytes, other spelling). */
function withUnusedBitsSet(text: string): string {
  const compact = text.replace(/\s+/g, '');
  const padding = compact.length - compact.replace(/=+$/, '').length;
  assert.ok(padding > 0, 'the value has no padding, so no unused bits');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const at = compact.length - padding - 1;
  const index = alphabet.indexOf(compact[at]!);
  return compact.slice(0, at) + alphabet[index | (padding === 2 ? 0b1111 : 0b11)] + compact.slice(at + 1);
}

/** Spellings Node's lenient decoder maps to the same bytes as `value`. */
function junkSpellings(value: string): Record<string, string> {
  const compact = value.replace(/\s+/g, '');
  const spellings: Record<string, string> = {
    'without padding': compact.replace(/=+$/, ''),
    'with a trailing !': `${compact}!`,
    'with a . inserted': `${compact.slice(0, 20)}.${compact.slice(20)}`,
    'with == appended': `${compact}==`,
  };
  if (/[+/]/.test(compact)) spellings['in base64url'] = compact.replace(/\+/g, '-').replace(/\//g, '_');
  if (/=$/.test(compact)) spellings['with unused bits set'] = withUnusedBitsSet(compact);
  for (const [how, text] of Object.entries(spellings)) {
    assert.ok(
      Buffer.from(text, 'base64').equals(Buffer.from(compact, 'base64')),
      `${how} decodes leniently to the same bytes`,
    );
  }
  return spellings;
}

describe('security: replays by re-spelling base64 values (issue 14, finding 1)', function () {
  this.timeout(120_000);
  let world: SecurityWorld;

  before(async function () {
    if (!zeepAvailable() || !xmlsec1Available()) this.skip(); // both installed here and in CI
    world = await buildWorld();
  });
  after(() => world?.pki.dispose());

  it('decodeCanonicalBase64 accepts whitespace between characters and nothing else', () => {
    assert.deepEqual(decodeCanonicalBase64(' QU\nJD\r\n\tRA== '), Buffer.from('ABCD'));
    for (const junk of [
      'QUJDRA',
      'QUJDRA=',
      'QUJDRA===',
      'QUJDRB==',
      'QUJD!RA==',
      'QU.JDRA==',
      'QUJ-',
      'QUJDRA==QUJD',
    ]) {
      assert.equal(decodeCanonicalBase64(junk), undefined, junk);
    }
  });

  it('every junk spelling of a captured SignatureValue is refused, before and after the original was accepted', async () => {
    const { interceptor } = interceptorFor(world);
    const original = xmlsecSignedBy(world, world.alice);
    const signatureValue = /<ds:SignatureValue>([^<]+)</.exec(original)![1]!;
    const spellings = junkSpellings(signatureValue);
    assert.ok(Object.keys(spellings).length >= 5);
    for (const [how, text] of Object.entries(spellings)) {
      const why = await expectRejected(
        interceptor,
        respell(original, 'SignatureValue', () => text),
        'InvalidSecurity',
      );
      assert.match(why, /SignatureValue is not canonical base64Binary/, how);
    }
    // None of them burned the fingerprint of the real message, which is accepted once ...
    await expectAccepted(interceptor, original, 'alice');
    // ... and is a replay however its SignatureValue is wrapped (xs:base64Binary allows whitespace).
    const wrapped = respell(original, 'SignatureValue', (text) => text.replace(/(.{64})/g, '$1\n '));
    assert.notEqual(wrapped, original);
    assert.match(await expectRejected(interceptor, wrapped, 'InvalidSecurity'), /replayed/);
    for (const text of Object.values(spellings)) {
      await expectRejected(
        interceptor,
        respell(original, 'SignatureValue', () => text),
        'InvalidSecurity',
      );
    }
  });

  it('two instances sharing Redis: no spelling is accepted by the second instance', async function () {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000 });
    try {
      await probe.connect();
    } catch {
      probe.disconnect();
      this.skip(); // Redis runs here and in CI
    }
    const prefix = `wss-test-${randomBytes(6).toString('hex')}:`;
    try {
      const one = interceptorFor(world, { replayCache: new RedisReplayCache(probe, prefix) }).interceptor;
      const two = interceptorFor(world, { replayCache: new RedisReplayCache(probe, prefix) }).interceptor;
      const original = xmlsecSignedBy(world, world.alice, { keyReference: 'ski' });
      await expectAccepted(one, original, 'alice');
      await expectRejected(two, original, 'InvalidSecurity');
      const signatureValue = /<ds:SignatureValue>([^<]+)</.exec(original)![1]!;
      const wrapped = respell(original, 'SignatureValue', (text) => ` ${text.slice(0, 100)}\n${text.slice(100)} `);
      await expectRejected(two, wrapped, 'InvalidSecurity');
      for (const text of Object.values(junkSpellings(signatureValue))) {
        await expectRejected(
          two,
          respell(original, 'SignatureValue', () => text),
          'InvalidSecurity',
        );
        await expectRejected(
          one,
          respell(original, 'SignatureValue', () => text),
          'InvalidSecurity',
        );
      }
    } finally {
      const keys = await probe.keys(`${prefix}*`);
      if (keys.length > 0) await probe.del(...keys);
      probe.disconnect();
    }
  });

  it('junk in a DigestValue, BinarySecurityToken, KeyIdentifier or X509Certificate is refused as such', async () => {
    const { interceptor } = interceptorFor(world);
    const signed = xmlsecSignedBy(world, world.alice);
    const digest = /<ds:DigestValue>([^<]+)</.exec(signed)![1]!;
    assert.match(
      await expectRejected(
        interceptor,
        respell(signed, 'DigestValue', () => digest.replace(/=$/, '')),
        'InvalidSecurity',
      ),
      /DigestValue is not canonical/,
    );
    assert.match(
      await expectRejected(
        interceptor,
        respell(signed, 'BinarySecurityToken', (text) => `${text}!`),
        'InvalidSecurityToken',
      ),
      /BinarySecurityToken is not canonical/,
    );
    const bySki = xmlsecSignedBy(world, world.alice, { keyReference: 'ski' });
    assert.match(
      await expectRejected(
        interceptor,
        respell(bySki, 'KeyIdentifier', (text) => `${text}==`),
        'InvalidSecurityToken',
      ),
      /KeyIdentifier is not canonical/,
    );
  });

  it('a UsernameToken Nonce spelled with unused bits set is refused, not replayed', async () => {
    const { interceptor } = interceptorFor(world);
    const message = zeepSign(plainEnvelope(), { username: 'alice', password: PASSWORDS.alice, digest: true });
    const respelled = respell(message, 'Nonce', withUnusedBitsSet);
    assert.notEqual(respelled, message);
    assert.match(await expectRejected(interceptor, respelled, 'InvalidSecurityToken'), /Nonce is not canonical/);
    await expectAccepted(interceptor, message, 'alice');
    await expectRejected(
      interceptor,
      respell(message, 'Nonce', (text) => `\n${text}\n`),
      'InvalidSecurity',
    );
  });
});
