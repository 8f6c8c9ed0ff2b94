import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError, parseSecretBoxKey } from '../../../src/soap/security/secret-box';

describe('security: secret box (digest secrets at rest)', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh IV each time and no clear text in the sealed form', () => {
    const box = new SecretBox(key);
    const a = box.seal('vM3s1hKVMy6zBOn', 'partner-1');
    const b = box.seal('vM3s1hKVMy6zBOn', 'partner-1');
    assert.notEqual(a, b);
    assert.ok(!a.includes('vM3s1hKVMy6zBOn'));
    assert.match(a, /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    assert.equal(box.open(a, 'partner-1'), 'vM3s1hKVMy6zBOn');
  });

  it('refuses a wrong key, a wrong context and a tampered value', () => {
    const sealed = new SecretBox(key).seal('secret', 'partner-1');
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'partner-1'), SecretBoxError);
    assert.throws(() => new SecretBox(key).open(sealed, 'partner-2'), SecretBoxError);
    const parts = sealed.split(':');
    const ciphertext = Buffer.from(parts[3]!, 'base64');
    ciphertext[0] ^= 1;
    parts[3] = ciphertext.toString('base64');
    assert.throws(() => new SecretBox(key).open(parts.join(':'), 'partner-1'), SecretBoxError);
    assert.throws(() => new SecretBox(key).open('plain', 'partner-1'), SecretBoxError);
  });

  it('takes the configured key as hex or base64 of 32 bytes only', () => {
    assert.deepEqual(parseSecretBoxKey(key.toString('hex')), key);
    assert.deepEqual(parseSecretBoxKey(key.toString('base64')), key);
    assert.throws(() => parseSecretBoxKey(randomBytes(16).toString('hex')), SecretBoxError);
  });
});
