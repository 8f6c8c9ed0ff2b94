/**
 * Password hashes for UsernameToken PasswordText, with scrypt from node:crypto.
 *
 * Stored format (one string, self-describing so parameters can be raised later):
 *   scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>
 * e.g. scrypt$16384$8$1$Jx...==$Qm...==  (16-byte salt, 32-byte hash).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 16384, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Upper bounds on parameters read from storage, so a corrupt row cannot make us allocate gigabytes. */
const MAX_N = 1 << 20;
const MAX_RP = 64;

const scryptAsync = (password: string | Buffer, salt: Buffer, keyLength: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password,
      salt,
      keyLength,
      { ...options, maxmem: 256 * options.N! * options.r! + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });

export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(password, salt, HASH_BYTES, parameters);
  return ['scrypt', parameters.N, parameters.r, parameters.p, salt.toString('base64'), hash.toString('base64')].join(
    '$',
  );
}

interface ParsedHash {
  parameters: ScryptParameters;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const validN = Number.isInteger(N) && N > 1 && N <= MAX_N && (N & (N - 1)) === 0;
  const validRp = [r, p].every((v) => Number.isInteger(v) && v >= 1 && v <= MAX_RP);
  if (!validN || !validRp) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { parameters: { N, r, p }, salt, hash };
}

/** A fixed hash with default parameters; verifying against it costs what a real verification costs. */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(24).toString('base64')));

/**
 * Constant-time check of `password` against a stored hash. With `stored` undefined (unknown user)
 * it still runs one scrypt over a dummy hash so the response time has the same shape, and answers false.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const real = stored === undefined ? undefined : parseHash(stored);
  const parsed = real ?? parseHash(await dummy())!;
  const candidate = await scryptAsync(password, parsed.salt, parsed.hash.length, parsed.parameters);
  const matches = candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
  return matches && real !== undefined;
}
