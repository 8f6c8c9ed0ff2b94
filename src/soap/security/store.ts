/**
 * What WS-Security needs from storage, as interfaces: the engine never sees SQL. The database layer
 * (src/db) implements CredentialStore; InMemoryCredentialStore serves tests and small deployments.
 */
import type { Principal } from '../pipeline';
import { describeCertificate } from './certificate-info';

/** Which UsernameToken password types an account may use. */
export type UsernameTokenMode = 'text' | 'digest' | 'both';

export interface SecurityPolicy {
  /** Accepted UsernameToken password types (default 'both'). */
  readonly authModes: UsernameTokenMode;
  /** A wsu:Timestamp must be present (default true). */
  readonly requireTimestamp: boolean;
  /** The Body (and Timestamp, when present) must be signed with a registered certificate (default false). */
  readonly requireSignature: boolean;
  /** Responses carry a wsu:Timestamp and a signature over Body + Timestamp (default false). */
  readonly signResponse: boolean;
  /** RSA-SHA1 signatures and SHA-1 digests are accepted (default false). */
  readonly allowLegacyAlgorithms: boolean;
  /**
   * A registered certificate presented as the HTTPS client certificate authenticates the account on its
   * own, without a wsse:Security header (default false). See security-header.ts for how it combines.
   */
  readonly mutualTls: boolean;
}

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = Object.freeze({
  authModes: 'both',
  requireTimestamp: true,
  requireSignature: false,
  signResponse: false,
  allowLegacyAlgorithms: false,
  mutualTls: false,
});

/** Fills the defaults in; the DB layer may store only what differs. */
export const securityPolicy = (overrides: Partial<SecurityPolicy> = {}): SecurityPolicy =>
  Object.freeze({ ...DEFAULT_SECURITY_POLICY, ...overrides });

export interface AccountCredentials {
  readonly principal: Principal;
  /** scrypt hash in the format of password-hash.ts; undefined when the account has no text password. */
  readonly passwordHash?: string;
  /** The PasswordDigest secret in clear, already opened by the store (see secret-box.ts). */
  readonly digestSecret?: string;
  readonly policy: SecurityPolicy;
  /** A disabled account fails authentication exactly like an unknown one. */
  readonly disabled?: boolean;
}

/**
 * How a SecurityTokenReference names a certificate. Formats (see certificate-info.ts, which computes them):
 * thumbprints and SKI are lower-case hex; issuer is normalizeDistinguishedName(); serial is decimal.
 */
export interface CertificateRef {
  readonly sha1Thumbprint?: string;
  readonly sha256Thumbprint?: string;
  readonly ski?: string;
  readonly issuer?: string;
  readonly serial?: string;
}

export interface RegisteredCertificate {
  readonly principal: Principal;
  readonly certificatePem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly revokedAt?: Date;
  readonly policy: SecurityPolicy;
  /** The owning account is disabled. */
  readonly disabled?: boolean;
  /**
   * Names of OTHER accounts holding a certificate the same reference names, or one with the same public key
   * or SKI. A certificate identity belongs to one account (add-cert refuses a clash); a lookup that still
   * finds several (data from before that rule) is refused rather than resolved to one of them.
   */
  readonly otherHolders?: readonly string[];
}

export interface CredentialStore {
  findAccountByUsername(username: string): Promise<AccountCredentials | undefined>;
  /** Exactly one of the ref's forms is set (issuer and serial together). */
  findCertificate(ref: CertificateRef): Promise<RegisteredCertificate | undefined>;
}

export interface InMemoryAccount {
  principal: Principal;
  username: string;
  passwordHash?: string;
  digestSecret?: string;
  policy?: Partial<SecurityPolicy>;
  disabled?: boolean;
}

export interface InMemoryCertificate {
  /** The principal id of an account added before. */
  accountId: string;
  certificatePem: string;
  sha1Thumbprint: string;
  sha256Thumbprint: string;
  ski: string;
  issuer: string;
  serial: string;
  /** Lower-case hex SHA-256 of the SubjectPublicKeyInfo (see cli-certs.ts). */
  publicKeySha256?: string;
  notBefore: Date;
  notAfter: Date;
  revokedAt?: Date;
}

export class InMemoryCredentialStore implements CredentialStore {
  private readonly accountsByUsername = new Map<string, InMemoryAccount>();
  private readonly accountsById = new Map<string, InMemoryAccount>();
  private readonly certificates: InMemoryCertificate[] = [];

  addAccount(account: InMemoryAccount): this {
    this.accountsByUsername.set(account.username, account);
    this.accountsById.set(account.principal.id, account);
    return this;
  }

  addCertificate(certificate: InMemoryCertificate): this {
    if (!this.accountsById.has(certificate.accountId)) throw new Error(`unknown account ${certificate.accountId}`);
    this.certificates.push(certificate);
    return this;
  }

  /** Registers a PEM certificate for an account, with every lookup key computed by describeCertificate. */
  addCertificatePem(accountId: string, certificatePem: string): this {
    const facts = describeCertificate(certificatePem);
    return this.addCertificate({
      accountId,
      certificatePem: facts.pem,
      sha1Thumbprint: facts.sha1Thumbprint,
      sha256Thumbprint: facts.sha256Thumbprint,
      ski: facts.ski,
      issuer: facts.issuer,
      serial: facts.serial,
      publicKeySha256: facts.publicKeySha256,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
    });
  }

  revokeCertificate(sha256Thumbprint: string, at = new Date()): void {
    for (const certificate of this.certificates) {
      if (certificate.sha256Thumbprint === sha256Thumbprint) certificate.revokedAt = at;
    }
  }

  async findAccountByUsername(username: string): Promise<AccountCredentials | undefined> {
    const account = this.accountsByUsername.get(username);
    if (!account) return undefined;
    return {
      principal: account.principal,
      passwordHash: account.passwordHash,
      digestSecret: account.digestSecret,
      policy: securityPolicy(account.policy),
      disabled: account.disabled,
    };
  }

  async findCertificate(ref: CertificateRef): Promise<RegisteredCertificate | undefined> {
    const found = this.certificates.find(
      (c) =>
        (ref.sha1Thumbprint !== undefined && c.sha1Thumbprint === ref.sha1Thumbprint) ||
        (ref.sha256Thumbprint !== undefined && c.sha256Thumbprint === ref.sha256Thumbprint) ||
        (ref.ski !== undefined && c.ski === ref.ski) ||
        (ref.issuer !== undefined && ref.serial !== undefined && c.issuer === ref.issuer && c.serial === ref.serial),
    );
    if (!found) return undefined;
    const account = this.accountsById.get(found.accountId)!;
    const sameIdentity = this.certificates.filter(
      (c) =>
        c.accountId !== found.accountId &&
        (c.ski === found.ski ||
          (c.publicKeySha256 !== undefined && c.publicKeySha256 === found.publicKeySha256) ||
          (ref.ski !== undefined && c.ski === ref.ski)),
    );
    const otherHolders = [...new Set(sameIdentity.map((c) => this.accountsById.get(c.accountId)!.username))];
    return {
      otherHolders,
      principal: account.principal,
      certificatePem: found.certificatePem,
      notBefore: found.notBefore,
      notAfter: found.notAfter,
      revokedAt: found.revokedAt,
      policy: securityPolicy(account.policy),
      disabled: account.disabled,
    };
  }
}
