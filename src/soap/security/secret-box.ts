/**
 * Digest-capable secrets at rest: PasswordDigest needs the partner's password itself, so it is stored
 * encrypted (AES-256-GCM, node:crypto) with a key from configuration, never in clear.
 *
 * Sealed format: v1:<iv base64>:<auth tag base64>:<ciphertext base64> (12-byte IV, 16-byte tag).
 * The optional `context` (e.g. the partner id) is bound as additional authenticated data, so a sealed
 * value copied to another row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** Accepts the key as 64 hex characters or base64 of 32 bytes. */
export function parseSecretBoxKey(configured: string): Buffer {
  const trimmed = configured.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new SecretBoxError('the secret-box key must be 32 bytes (64 hex chars or base64)');
  return key;
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer | string) {
    this.key = typeof key === 'string' ? parseSecretBoxKey(key) : Buffer.from(key);
    if (this.key.length !== 32) throw new SecretBoxError('the secret-box key must be 32 bytes');
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(
      ':',
    );
  }

  open(sealed: string, context = ''): string {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed secret');
    const iv = Buffer.from(parts[1]!, 'base64');
    const tag = Buffer.from(parts[2]!, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed secret does not open with this key (wrong key, context or tampered)');
    }
  }
}
