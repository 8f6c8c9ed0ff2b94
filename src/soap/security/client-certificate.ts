/**
 * Mutual TLS as an authentication mode: the HTTPS client certificate the handshake verified names an
 * account when it is registered for it (the trust store X.509 signatures use, by SHA-256 thumbprint, with
 * the same rule that a certificate identity belongs to one account). Whether it authenticates on its own
 * is the account policy's mutualTls; how it combines with a wsse:Security header is security-header.ts's.
 */
import type { Principal } from '../pipeline';
import { parsedDer } from './certificate-cache';
import { wssFault } from './faults';
import type { CredentialStore, SecurityPolicy } from './store';

export interface ClientCertificateIdentity {
  readonly principal: Principal;
  readonly policy: SecurityPolicy;
}

/**
 * The account a verified TLS client certificate is registered for, or undefined when it is registered for
 * none (the handshake's CA trust alone identifies nobody). A registered certificate that is revoked, out
 * of its validity period, of a disabled account or held by several accounts is a fault, not a fallback.
 */
export async function identifyClientCertificate(
  der: Buffer,
  store: CredentialStore,
  now: Date,
): Promise<ClientCertificateIdentity | undefined> {
  let sha256Thumbprint: string;
  try {
    sha256Thumbprint = parsedDer(der).facts.sha256Thumbprint;
  } catch {
    throw wssFault('InvalidSecurityToken', 'the TLS client certificate is not an X.509 certificate');
  }
  const registered = await store.findCertificate({ sha256Thumbprint });
  if (registered === undefined) return undefined;
  if (registered.otherHolders !== undefined && registered.otherHolders.length > 0) {
    throw wssFault(
      'FailedAuthentication',
      `TLS client certificate ${sha256Thumbprint} is registered for several accounts`,
    );
  }
  if (registered.disabled)
    throw wssFault('FailedAuthentication', `TLS client certificate ${sha256Thumbprint} belongs to a disabled account`);
  if (registered.revokedAt !== undefined && registered.revokedAt.getTime() <= now.getTime()) {
    throw wssFault('InvalidSecurityToken', `TLS client certificate ${sha256Thumbprint} revoked`);
  }
  if (now.getTime() < registered.notBefore.getTime() || now.getTime() > registered.notAfter.getTime()) {
    throw wssFault('InvalidSecurityToken', `TLS client certificate ${sha256Thumbprint} outside its validity period`);
  }
  return { principal: registered.principal, policy: registered.policy };
}
