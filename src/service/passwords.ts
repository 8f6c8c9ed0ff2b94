/**
 * Partner passwords. Hashing and verification are the WS-Security layer's (scrypt from node:crypto, salted,
 * self-describing "scrypt$N$r$p$salt$hash", constant-time compare, a dummy hash for unknown users so the
 * time shape is the same): partners stored here must verify there, so there is exactly one implementation.
 */
import { randomBytes } from 'node:crypto';
import { ValidationError } from './errors';

export { hashPassword, verifyPassword } from '../soap/security';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** A random password of 24 base64url characters (144 bits), easy to paste into a config or a curl line. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Rejects passwords too short to resist guessing or too long to hash cheaply. */
export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw ValidationError.single('password', `must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (password.trim() !== password) throw ValidationError.single('password', 'must not start or end with white space');
}
