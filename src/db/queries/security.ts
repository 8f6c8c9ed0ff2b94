/** Every SQL statement the WS-Security credential store and the partner-limits lookup issue. */
import type { Knex } from 'knex';
import { instantToDb } from '../values';

export interface CredentialRow {
  id: unknown;
  username: unknown;
  roles: unknown;
  disabled: unknown;
  password_hash: unknown;
  digest_secret: unknown;
  auth_modes: unknown;
  require_timestamp: unknown;
  require_signature: unknown;
  sign_response: unknown;
  allow_legacy_algorithms: unknown;
  mutual_tls: unknown;
}

const CREDENTIAL_COLUMNS = [
  'id',
  'username',
  'roles',
  'disabled',
  'password_hash',
  'digest_secret',
  'auth_modes',
  'require_timestamp',
  'require_signature',
  'sign_response',
  'allow_legacy_algorithms',
  'mutual_tls',
] as const;

export interface CertificateRow {
  id: unknown;
  partner_id: unknown;
  thumbprint_sha1: unknown;
  thumbprint_sha256: unknown;
  subject_key_identifier: unknown;
  issuer: unknown;
  serial_number: unknown;
  public_key_sha256: unknown;
  pem: unknown;
  not_before: unknown;
  not_after: unknown;
  revoked_at: unknown;
  created_at: unknown;
}

const CERTIFICATE_COLUMNS = [
  'id',
  'partner_id',
  'thumbprint_sha1',
  'thumbprint_sha256',
  'subject_key_identifier',
  'issuer',
  'serial_number',
  'public_key_sha256',
  'pem',
  'not_before',
  'not_after',
  'revoked_at',
  'created_at',
] as const;

export function selectCredentialsByUsername(knex: Knex, username: string): Knex.QueryBuilder {
  return knex('partners').select(CREDENTIAL_COLUMNS).where('username', username);
}

export function selectCredentialsById(knex: Knex, id: string): Knex.QueryBuilder {
  return knex('partners').select(CREDENTIAL_COLUMNS).where('id', id);
}

export type CertificateLookup =
  | { column: 'thumbprint_sha1' | 'thumbprint_sha256' | 'subject_key_identifier'; value: string }
  | { column: 'issuer_serial'; issuer: string; serial: string };

export function selectCertificate(knex: Knex, lookup: CertificateLookup): Knex.QueryBuilder {
  const query = knex('partner_certificates').select(CERTIFICATE_COLUMNS);
  if (lookup.column === 'issuer_serial') return query.where({ issuer: lookup.issuer, serial_number: lookup.serial });
  // Several certificates may share a SKI (re-issued with the same key): prefer the newest unrevoked one.
  return query.where(lookup.column, lookup.value).orderBy([
    { column: 'revoked_at', order: 'asc', nulls: 'first' },
    { column: 'created_at', order: 'desc' },
  ]);
}

/** Every identity of one certificate; each must belong to one partner (see selectIdentityHolders). */
export interface CertificateIdentity {
  sha1: string;
  sha256: string;
  ski: string | null;
  issuer: string;
  serial: string;
  publicKeySha256: string;
}

export interface IdentityHolderRow {
  partner_id: unknown;
  username: unknown;
  thumbprint_sha1: unknown;
  thumbprint_sha256: unknown;
  subject_key_identifier: unknown;
  issuer: unknown;
  serial_number: unknown;
  public_key_sha256: unknown;
}

/** The registered certificates sharing any identity with `identity`, with the username of their holder. */
export function selectIdentityHolders(knex: Knex, identity: CertificateIdentity): Knex.QueryBuilder {
  return knex('partner_certificates as c')
    .join('partners as p', 'p.id', 'c.partner_id')
    .select([
      'c.partner_id',
      'p.username',
      'c.thumbprint_sha1',
      'c.thumbprint_sha256',
      'c.subject_key_identifier',
      'c.issuer',
      'c.serial_number',
      'c.public_key_sha256',
    ])
    .where((q) => {
      q.where('c.thumbprint_sha256', identity.sha256)
        .orWhere('c.thumbprint_sha1', identity.sha1)
        .orWhere((both) => both.where('c.issuer', identity.issuer).andWhere('c.serial_number', identity.serial))
        .orWhere('c.public_key_sha256', identity.publicKeySha256);
      if (identity.ski !== null) q.orWhere('c.subject_key_identifier', identity.ski);
    });
}

export function selectCertificatesOfPartner(knex: Knex, partnerId: string): Knex.QueryBuilder {
  return knex('partner_certificates')
    .select(CERTIFICATE_COLUMNS)
    .where('partner_id', partnerId)
    .orderBy('created_at', 'asc');
}

export interface NewCertificate {
  partnerId: string;
  sha1: string;
  sha256: string;
  ski: string | null;
  issuer: string;
  serial: string;
  publicKeySha256: string;
  pem: string;
  notBefore: Date;
  notAfter: Date;
  createdAt: Date;
}

export function insertCertificate(knex: Knex, cert: NewCertificate): Knex.QueryBuilder {
  return knex('partner_certificates').insert({
    partner_id: cert.partnerId,
    thumbprint_sha1: cert.sha1,
    thumbprint_sha256: cert.sha256,
    subject_key_identifier: cert.ski,
    issuer: cert.issuer,
    serial_number: cert.serial,
    public_key_sha256: cert.publicKeySha256,
    pem: cert.pem,
    not_before: instantToDb(cert.notBefore),
    not_after: instantToDb(cert.notAfter),
    revoked_at: null,
    created_at: instantToDb(cert.createdAt),
  });
}

export function revokeCertificateBySha256(knex: Knex, partnerId: string, sha256: string, at: Date): Knex.QueryBuilder {
  return knex('partner_certificates')
    .where({ partner_id: partnerId, thumbprint_sha256: sha256 })
    .whereNull('revoked_at')
    .update({ revoked_at: instantToDb(at) });
}

export interface PolicyColumns {
  auth_modes?: string | null;
  require_timestamp?: boolean | null;
  require_signature?: boolean | null;
  sign_response?: boolean | null;
  allow_legacy_algorithms?: boolean | null;
  mutual_tls?: boolean | null;
  digest_secret?: string | null;
}

export function updatePartnerSecurity(
  knex: Knex,
  partnerId: string,
  changes: PolicyColumns,
  now: Date,
): Knex.QueryBuilder {
  return knex('partners')
    .where('id', partnerId)
    .update({ ...changes, updated_at: instantToDb(now) });
}

export interface LimitRow {
  operation: unknown;
  points: unknown;
  duration_seconds: unknown;
  max_in_flight: unknown;
}

export function selectLimitsOfPartner(knex: Knex, partnerId: string): Knex.QueryBuilder {
  return knex('partner_limits')
    .select(['operation', 'points', 'duration_seconds', 'max_in_flight'])
    .where('partner_id', partnerId);
}

export function deleteLimit(knex: Knex, partnerId: string, operation: string): Knex.QueryBuilder {
  return knex('partner_limits').where({ partner_id: partnerId, operation }).delete();
}

export function insertLimit(
  knex: Knex,
  partnerId: string,
  operation: string,
  limit: { points: number | null; durationSeconds: number | null; maxInFlight: number | null },
  now: Date,
): Knex.QueryBuilder {
  return knex('partner_limits').insert({
    partner_id: partnerId,
    operation,
    points: limit.points,
    duration_seconds: limit.durationSeconds,
    max_in_flight: limit.maxInFlight,
    updated_at: instantToDb(now),
  });
}
