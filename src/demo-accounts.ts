/**
 * Published demo credentials (the banner, the portal, the docs show them outside production) are shown
 * only while they still work: an operator may change a demo partner's password or disable it at any
 * time, and a printed password that no longer works sends a newcomer's first call into a fault.
 */
import { verifyPassword, type CredentialStore } from './soap/security';

export interface PublishedAccount {
  readonly username: string;
  readonly password: string;
}

/** The accounts whose password is still accepted as PasswordText and that are not disabled. */
export async function workingAccounts(
  store: CredentialStore,
  accounts: readonly PublishedAccount[],
): Promise<PublishedAccount[]> {
  const working: PublishedAccount[] = [];
  for (const account of accounts) {
    const credentials = await store.findAccountByUsername(account.username);
    if (credentials === undefined || credentials.disabled === true) continue;
    if (await verifyPassword(account.password, credentials.passwordHash)) working.push(account);
  }
  return working;
}

/**
 * workingAccounts() for the portal: asked on every page load, answered from a short cache so a page
 * reload cannot be turned into a stream of scrypt computations.
 */
export function cachedWorkingAccount(
  store: CredentialStore,
  account: PublishedAccount,
  ttlMs = 2_000,
  now: () => number = Date.now,
): () => Promise<PublishedAccount | undefined> {
  let cached: { at: number; value: Promise<PublishedAccount | undefined> } | undefined;
  return () => {
    const at = now();
    if (cached === undefined || at - cached.at >= ttlMs) {
      const value = workingAccounts(store, [account]).then((list) => list[0]);
      value.catch(() => {
        cached = undefined;
      });
      cached = { at, value };
    }
    return cached.value;
  };
}
