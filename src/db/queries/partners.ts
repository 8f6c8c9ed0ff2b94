/** Every SQL statement the partner store issues (see queries/catalog.ts for why they are plain functions). */
import type { Knex } from 'knex';
import type { PartnerRecord } from '../../service/store';
import { instantToDb } from '../values';

export interface PartnerRow {
  id: unknown;
  username: unknown;
  display_name: unknown;
  password_hash: unknown;
  roles: unknown;
  disabled: unknown;
  created_at: unknown;
}

const PARTNER_COLUMNS = ['id', 'username', 'display_name', 'password_hash', 'roles', 'disabled', 'created_at'] as const;

/** Roles are stored comma-separated; names never contain commas (the domain uses fixed role names). */
export function rolesToDb(roles: readonly string[]): string {
  for (const role of roles) {
    if (role === '' || role.includes(',')) throw new RangeError(`Invalid role name "${role}"`);
  }
  return [...new Set(roles)].join(',');
}

export function selectPartnerByUsername(knex: Knex, username: string): Knex.QueryBuilder {
  return knex('partners').select(PARTNER_COLUMNS).where('username', username);
}

export function selectPartnerById(knex: Knex, id: string): Knex.QueryBuilder {
  return knex('partners').select(PARTNER_COLUMNS).where('id', id);
}

export function selectAllPartners(knex: Knex): Knex.QueryBuilder {
  return knex('partners').select(PARTNER_COLUMNS).orderBy('username', 'asc');
}

export function insertPartner(knex: Knex, partner: PartnerRecord): Knex.QueryBuilder {
  const at = instantToDb(partner.createdAt);
  return knex('partners').insert({
    id: partner.id,
    username: partner.username,
    display_name: partner.displayName,
    password_hash: partner.passwordHash,
    roles: rolesToDb(partner.roles),
    disabled: partner.disabled,
    created_at: at,
    updated_at: at,
  });
}

export function updatePartner(
  knex: Knex,
  username: string,
  changes: { disabled?: boolean; password_hash?: string; roles?: string },
  now: Date,
): Knex.QueryBuilder {
  return knex('partners')
    .where('username', username)
    .update({ ...changes, updated_at: instantToDb(now) });
}

export function countPartners(knex: Knex): Knex.QueryBuilder {
  return knex('partners').count({ count: '*' });
}
