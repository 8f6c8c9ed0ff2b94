/**
 * Verified-credential cache for UsernameToken PasswordText. One scrypt run per request (~40 ms of CPU at
 * N=16384) caps a core at ~25 PasswordText requests per second; after a successful check this remembers
 * HMAC-SHA256(per-process secret, [username, stored hash, password]) so the same partner sending the same
 * password is let in for the cost of one HMAC until the entry expires or is invalidated.
 *
 * Why it stays safe (the trade is written up in docs/security.md, "PasswordText cache"):
 * - only successes are remembered: a wrong password always costs a full scrypt run (and the
 *   authentication-failure limiter in front of the security interceptor counts it);
 * - the stored hash is part of the key, so a password change makes every remembered entry of the old
 *   password unreachable at once, even on an instance that missed the invalidation message;
 * - the cache holds keyed hashes only, never a password or anything usable offline without the
 *   process's secret, which never leaves memory;
 * - disabled partners and policy (authModes) are checked on the freshly read partner record after this
 *   check, as before: a hit proves the password, nothing else.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { verifyPassword } from './password-hash';

/** True when `password` is the one `storedHash` was made from; `storedHash` undefined = unknown user. */
export type PasswordCheck = (username: string, password: string, storedHash: string | undefined) => Promise<boolean>;

/** Where verified credentials live: a bounded LRU with a TTL (the ops layer's ReadCache fits). */
export interface VerifiedCredentialStore {
  /** The stored value for `key`, or the loader's result (stored only when the loader resolves). */
  getOrLoad<V>(key: string, loader: () => Promise<V>): Promise<V>;
}

/** Every check runs scrypt. */
export const uncachedPasswordCheck: PasswordCheck = (_username, password, storedHash) =>
  verifyPassword(password, storedHash);

/** Thrown by the loader so that a failed check is not stored; never leaves this module. */
const NOT_VERIFIED = Symbol('password not verified');

export interface CachedPasswordCheckOptions {
  readonly store: VerifiedCredentialStore;
  /** HMAC key; a fresh random one per process by default (entries never leave the process). */
  readonly secret?: Buffer;
}

export function cachedPasswordCheck(options: CachedPasswordCheckOptions): PasswordCheck {
  const secret = options.secret ?? randomBytes(32);
  return async (username, password, storedHash) => {
    // Unknown users keep the dummy-hash scrypt run: their timing must not differ from a wrong password's.
    if (storedHash === undefined) return verifyPassword(password, undefined);
    const key = createHmac('sha256', secret)
      .update(JSON.stringify([username, storedHash, password]))
      .digest('base64url');
    try {
      return await options.store.getOrLoad(key, async () => {
        if (await verifyPassword(password, storedHash)) return true;
        throw NOT_VERIFIED;
      });
    } catch (error) {
      if (error === NOT_VERIFIED) return false;
      throw error;
    }
  };
}
