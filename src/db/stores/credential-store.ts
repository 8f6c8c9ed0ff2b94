/**
 * WS-Security's view of partners (src/soap/security/store.ts) over the partners and partner_certificates
 * tables, plus the administrative writes the CLI makes (certificates, policy, digest secret) and the
 * per-partner rate-limit overrides. Digest secrets are sealed with the configured key and bound to the
 * partner id, so a sealed value copied to another partner's row does not open.
 */
import { LRUCache } from 'lru-cache';
import type { Principal } from '../../soap';
import {
  describeCertificate,
  SecretBoxError,
  securityPolicy,
  type AccountCredentials,
  type CertificateRef,
  type CredentialStore,
  type RegisteredCertificate,
  type SecretBox,
  type SecurityPolicy,
  type UsernameTokenMode,
} from '../../soap/security';
import { PartnerNotFound } from '../../service/errors';
import type { Database } from '../connection';
import { isUniqueViolation } from '../errors';
import * as q from '../queries/security';
import { booleanFromDb, instantFromDb, optionalInstantFromDb, optionalStringFromDb, stringFromDb } from '../values';
import { storeCall } from './run';

export class CertificateAlreadyRegistered extends Error {
  constructor(readonly sha256: string) {
    super(`A certificate with SHA-256 thumbprint ${sha256} (or the same issuer and serial) is already registered`);
    this.name = 'CertificateAlreadyRegistered';
  }
}

/** Which identity of a certificate another partner already holds. */
export type CertificateIdentityKind =
  'SHA-256 thumbprint' | 'SHA-1 thumbprint' | 'issuer and serial number' | 'public key' | 'subject key identifier';

/**
 * The certificate shares an identity with one registered for another partner: each of them names one
 * partner, so registering it would let a message meant for one be credited to the other.
 */
export class CertificateHeldByAnotherPartner extends Error {
  constructor(
    readonly holder: string,
    readonly identity: CertificateIdentityKind,
  ) {
    super(
      `The certificate's ${identity} is already registered for partner ${holder}; a certificate identity names one partner`,
    );
    this.name = 'CertificateHeldByAnotherPartner';
  }
}

/** add-cert of a certificate that is not valid now (refused unless the operator insists). */
export class CertificateOutsideValidity extends Error {
  constructor(readonly reason: string) {
    super(`${reason}; register it anyway with --force`);
    this.name = 'CertificateOutsideValidity';
  }
}

/** Why a certificate is not valid at `now`, or undefined when it is. */
export function validityProblem(notBefore: Date, notAfter: Date, now: Date): string | undefined {
  if (now.getTime() > notAfter.getTime()) return `the certificate expired on ${notAfter.toISOString()}`;
  if (now.getTime() < notBefore.getTime()) return `the certificate is not valid before ${notBefore.toISOString()}`;
  return undefined;
}

export class CertificateNotFound extends Error {
  constructor(readonly sha256: string) {
    super(`No active certificate with SHA-256 thumbprint ${sha256} for this partner`);
    this.name = 'CertificateNotFound';
  }
}

export interface CertificateSummary {
  sha256Thumbprint: string;
  sha1Thumbprint: string;
  ski?: string;
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  revokedAt?: Date;
}

const AUTH_MODES: readonly UsernameTokenMode[] = ['text', 'digest', 'both'];

function optionalBoolean(value: unknown): boolean | undefined {
  return value === null || value === undefined ? undefined : booleanFromDb(value);
}

function policyFromRow(row: q.CredentialRow): SecurityPolicy {
  const overrides: { -readonly [K in keyof SecurityPolicy]?: SecurityPolicy[K] } = {};
  const modes = optionalStringFromDb(row.auth_modes, 'partners.auth_modes');
  if (modes !== undefined && (AUTH_MODES as readonly string[]).includes(modes))
    overrides.authModes = modes as UsernameTokenMode;
  const requireTimestamp = optionalBoolean(row.require_timestamp);
  if (requireTimestamp !== undefined) overrides.requireTimestamp = requireTimestamp;
  const requireSignature = optionalBoolean(row.require_signature);
  if (requireSignature !== undefined) overrides.requireSignature = requireSignature;
  const signResponse = optionalBoolean(row.sign_response);
  if (signResponse !== undefined) overrides.signResponse = signResponse;
  const legacy = optionalBoolean(row.allow_legacy_algorithms);
  if (legacy !== undefined) overrides.allowLegacyAlgorithms = legacy;
  const mutualTls = optionalBoolean(row.mutual_tls);
  if (mutualTls !== undefined) overrides.mutualTls = mutualTls;
  return securityPolicy(overrides);
}

function principalFromRow(row: q.CredentialRow): Principal {
  const roles = stringFromDb(row.roles, 'partners.roles');
  return {
    id: stringFromDb(row.id, 'partners.id'),
    name: stringFromDb(row.username, 'partners.username'),
    roles: roles === '' ? [] : roles.split(','),
  };
}

function summaryFromRow(row: q.CertificateRow): CertificateSummary {
  return {
    sha256Thumbprint: stringFromDb(row.thumbprint_sha256, 'partner_certificates.thumbprint_sha256'),
    sha1Thumbprint: stringFromDb(row.thumbprint_sha1, 'partner_certificates.thumbprint_sha1'),
    ski: optionalStringFromDb(row.subject_key_identifier, 'partner_certificates.subject_key_identifier'),
    issuer: stringFromDb(row.issuer, 'partner_certificates.issuer'),
    serial: stringFromDb(row.serial_number, 'partner_certificates.serial_number'),
    notBefore: instantFromDb(row.not_before, 'partner_certificates.not_before'),
    notAfter: instantFromDb(row.not_after, 'partner_certificates.not_after'),
    revokedAt: optionalInstantFromDb(row.revoked_at, 'partner_certificates.revoked_at'),
  };
}

function lookupOf(ref: CertificateRef): q.CertificateLookup | undefined {
  if (ref.sha256Thumbprint !== undefined) return { column: 'thumbprint_sha256', value: ref.sha256Thumbprint };
  if (ref.sha1Thumbprint !== undefined) return { column: 'thumbprint_sha1', value: ref.sha1Thumbprint };
  if (ref.ski !== undefined) return { column: 'subject_key_identifier', value: ref.ski };
  if (ref.issuer !== undefined && ref.serial !== undefined)
    return { column: 'issuer_serial', issuer: ref.issuer, serial: ref.serial };
  return undefined;
}

/** Opened digest secrets kept per store (one entry per partner in practice). */
const OPENED_SECRETS = 10_000;

/** The identities `row` shares with `identity`, most specific first. */
function sharedIdentities(row: q.IdentityHolderRow, identity: q.CertificateIdentity): CertificateIdentityKind[] {
  const shared: CertificateIdentityKind[] = [];
  if (row.thumbprint_sha256 === identity.sha256) shared.push('SHA-256 thumbprint');
  if (row.thumbprint_sha1 === identity.sha1) shared.push('SHA-1 thumbprint');
  if (row.issuer === identity.issuer && row.serial_number === identity.serial) shared.push('issuer and serial number');
  if (row.public_key_sha256 === identity.publicKeySha256) shared.push('public key');
  if (identity.ski !== null && row.subject_key_identifier === identity.ski) shared.push('subject key identifier');
  return shared;
}

function identityOfRow(row: q.CertificateRow): q.CertificateIdentity {
  return {
    sha1: stringFromDb(row.thumbprint_sha1, 'partner_certificates.thumbprint_sha1'),
    sha256: stringFromDb(row.thumbprint_sha256, 'partner_certificates.thumbprint_sha256'),
    ski: optionalStringFromDb(row.subject_key_identifier, 'partner_certificates.subject_key_identifier') ?? null,
    issuer: stringFromDb(row.issuer, 'partner_certificates.issuer'),
    serial: stringFromDb(row.serial_number, 'partner_certificates.serial_number'),
    publicKeySha256: stringFromDb(row.public_key_sha256, 'partner_certificates.public_key_sha256'),
  };
}

export class KnexCredentialStore implements CredentialStore {
  /**
   * Digest secrets already opened, keyed by partner id and the sealed value itself: opening one (AES-256-GCM,
   * a cipher set up per call) cost ~3% of the service's CPU when done on every PasswordDigest request. An
   * entry can never be stale: a changed secret is a different sealed value, so it misses and the old entry
   * ages out of the LRU; the plaintext was held for every request anyway.
   */
  private readonly openedSecrets = new LRUCache<string, string>({ max: OPENED_SECRETS });

  constructor(
    private readonly db: Database,
    /** Opens digest secrets; without it no partner can use PasswordDigest. */
    private readonly secrets: SecretBox | undefined,
    private readonly now: () => Date = () => new Date(),
    /** Told when a stored digest secret does not open (e.g. SECRETS_KEY was changed). */
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  findAccountByUsername(username: string): Promise<AccountCredentials | undefined> {
    return this.credentialsOf(username);
  }

  private credentialsOf(username: string): Promise<AccountCredentials | undefined> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectCredentialsByUsername(this.db.knex, username)) as q.CredentialRow[];
      const row = rows[0];
      if (row === undefined) return undefined;
      const principal = principalFromRow(row);
      const sealed = optionalStringFromDb(row.digest_secret, 'partners.digest_secret');
      return {
        principal,
        passwordHash: stringFromDb(row.password_hash, 'partners.password_hash'),
        digestSecret: this.openDigestSecret(sealed, principal),
        policy: policyFromRow(row),
        disabled: booleanFromDb(row.disabled),
      };
    });
  }

  findCertificate(ref: CertificateRef): Promise<RegisteredCertificate | undefined> {
    const lookup = lookupOf(ref);
    if (lookup === undefined) return Promise.resolve(undefined);
    return storeCall(this.db, async () => {
      const certs = (await q.selectCertificate(this.db.knex, lookup)) as q.CertificateRow[];
      const cert = certs[0];
      if (cert === undefined) return undefined;
      const owners = (await q.selectCredentialsById(
        this.db.knex,
        stringFromDb(cert.partner_id, 'partner_certificates.partner_id'),
      )) as q.CredentialRow[];
      const owner = owners[0];
      if (owner === undefined) return undefined;
      const summary = summaryFromRow(cert);
      const holders = (await q.selectIdentityHolders(this.db.knex, identityOfRow(cert))) as q.IdentityHolderRow[];
      const otherHolders = [
        ...new Set(
          holders
            .filter((row) => row.partner_id !== cert.partner_id)
            .map((row) => stringFromDb(row.username, 'partners.username')),
        ),
      ];
      return {
        otherHolders,
        principal: principalFromRow(owner),
        certificatePem: stringFromDb(cert.pem, 'partner_certificates.pem'),
        notBefore: summary.notBefore,
        notAfter: summary.notAfter,
        revokedAt: summary.revokedAt,
        policy: policyFromRow(owner),
        disabled: booleanFromDb(owner.disabled),
      };
    });
  }

  policyFor(principal: Principal): Promise<SecurityPolicy> {
    return this.storedPolicyOf(principal.id);
  }

  private storedPolicyOf(partnerId: string): Promise<SecurityPolicy> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectCredentialsById(this.db.knex, partnerId)) as q.CredentialRow[];
      return rows[0] === undefined ? securityPolicy() : policyFromRow(rows[0]);
    });
  }

  /**
   * A secret that does not open only disables PasswordDigest for that partner: PasswordText and
   * certificates keep working, and the operator learns why from the log.
   */
  private openDigestSecret(sealed: string | undefined, principal: Principal): string | undefined {
    if (sealed === undefined || this.secrets === undefined) return undefined;
    const key = `${principal.id}\u0000${sealed}`;
    const known = this.openedSecrets.get(key);
    if (known !== undefined) return known;
    try {
      const secret = this.secrets.open(sealed, principal.id);
      this.openedSecrets.set(key, secret);
      return secret;
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      this.warn(
        `digest secret of partner ${principal.name} does not open with the configured SECRETS_KEY; PasswordDigest is refused for it until the secret is set again`,
      );
      return undefined;
    }
  }

  // ---- administration (CLI) ----------------------------------------------------------------

  /**
   * PEM text or DER bytes. A certificate outside its validity period is refused (CertificateOutsideValidity)
   * unless `allowOutsideValidity`: signatures made with it would be refused until it is valid anyway.
   */
  async addCertificate(
    username: string,
    certificate: string | Buffer,
    options: { allowOutsideValidity?: boolean } = {},
  ): Promise<CertificateSummary> {
    const facts = describeCertificate(certificate);
    const problem = validityProblem(facts.notBefore, facts.notAfter, this.now());
    if (problem !== undefined && options.allowOutsideValidity !== true) throw new CertificateOutsideValidity(problem);
    const partnerId = await this.partnerIdOf(username);
    const identity: q.CertificateIdentity = {
      sha1: facts.sha1Thumbprint,
      sha256: facts.sha256Thumbprint,
      ski: facts.ski,
      issuer: facts.issuer,
      serial: facts.serial,
      publicKeySha256: facts.publicKeySha256,
    };
    return storeCall(this.db, async () => {
      await this.db.knex.transaction(async (trx) => {
        // The same partner may hold several certificates for one key (renewals); another partner may not.
        for (const row of (await q.selectIdentityHolders(trx, identity)) as q.IdentityHolderRow[]) {
          const shared = sharedIdentities(row, identity);
          if (row.partner_id !== partnerId && shared.length > 0) {
            throw new CertificateHeldByAnotherPartner(stringFromDb(row.username, 'partners.username'), shared[0]!);
          }
          if (shared.some((kind) => kind !== 'public key' && kind !== 'subject key identifier')) {
            throw new CertificateAlreadyRegistered(facts.sha256Thumbprint);
          }
        }
        try {
          await q.insertCertificate(trx, {
            partnerId,
            ...identity,
            ski: facts.ski,
            pem: facts.pem,
            notBefore: facts.notBefore,
            notAfter: facts.notAfter,
            createdAt: this.now(),
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw new CertificateAlreadyRegistered(facts.sha256Thumbprint);
          throw error;
        }
      });
      return {
        sha256Thumbprint: facts.sha256Thumbprint,
        sha1Thumbprint: facts.sha1Thumbprint,
        ski: facts.ski,
        issuer: facts.issuer,
        serial: facts.serial,
        notBefore: facts.notBefore,
        notAfter: facts.notAfter,
      };
    });
  }

  async listCertificates(username: string): Promise<CertificateSummary[]> {
    const partnerId = await this.partnerIdOf(username);
    return storeCall(this.db, async () =>
      ((await q.selectCertificatesOfPartner(this.db.knex, partnerId)) as q.CertificateRow[]).map(summaryFromRow),
    );
  }

  async revokeCertificate(username: string, sha256: string): Promise<void> {
    const partnerId = await this.partnerIdOf(username);
    const changed = await storeCall(this.db, async () =>
      Number(await q.revokeCertificateBySha256(this.db.knex, partnerId, sha256.toLowerCase(), this.now())),
    );
    if (changed === 0) throw new CertificateNotFound(sha256);
  }

  /** `null` for a field resets it to the service default. */
  async setPolicy(
    username: string,
    policy: { [K in keyof SecurityPolicy]?: SecurityPolicy[K] | null },
  ): Promise<SecurityPolicy> {
    const partnerId = await this.partnerIdOf(username);
    const columns: q.PolicyColumns = {};
    if (policy.authModes !== undefined) columns.auth_modes = policy.authModes;
    if (policy.requireTimestamp !== undefined) columns.require_timestamp = policy.requireTimestamp;
    if (policy.requireSignature !== undefined) columns.require_signature = policy.requireSignature;
    if (policy.signResponse !== undefined) columns.sign_response = policy.signResponse;
    if (policy.allowLegacyAlgorithms !== undefined) columns.allow_legacy_algorithms = policy.allowLegacyAlgorithms;
    if (policy.mutualTls !== undefined) columns.mutual_tls = policy.mutualTls;
    await storeCall(this.db, async () => q.updatePartnerSecurity(this.db.knex, partnerId, columns, this.now()));
    return this.storedPolicyOf(partnerId);
  }

  /** Stores (sealed) the secret a partner uses for PasswordDigest; `undefined` removes it. */
  async setDigestSecret(username: string, secret: string | undefined): Promise<void> {
    if (secret !== undefined && this.secrets === undefined) {
      throw new Error('security.secretKey (SECRETS_KEY) is not configured: digest secrets cannot be stored');
    }
    const partnerId = await this.partnerIdOf(username);
    const sealed = secret === undefined ? null : this.secrets!.seal(secret, partnerId);
    await storeCall(this.db, async () =>
      q.updatePartnerSecurity(this.db.knex, partnerId, { digest_secret: sealed }, this.now()),
    );
  }

  private async partnerIdOf(username: string): Promise<string> {
    const rows = await storeCall(
      this.db,
      async () => (await q.selectCredentialsByUsername(this.db.knex, username)) as q.CredentialRow[],
    );
    if (rows[0] === undefined) throw new PartnerNotFound(username);
    return stringFromDb(rows[0].id, 'partners.id');
  }
}
