import { PartnerAlreadyExists, PartnerNotFound } from '../../service/errors';
import type { PartnerRecord, PartnerStore } from '../../service/store';
import type { Database } from '../connection';
import { isUniqueViolation } from '../errors';
import * as q from '../queries/partners';
import { booleanFromDb, instantFromDb, integerFromDb, stringFromDb } from '../values';
import { storeCall } from './run';

function partnerFromRow(row: q.PartnerRow): PartnerRecord {
  const roles = stringFromDb(row.roles, 'partners.roles');
  return {
    id: stringFromDb(row.id, 'partners.id'),
    username: stringFromDb(row.username, 'partners.username'),
    displayName: stringFromDb(row.display_name, 'partners.display_name'),
    passwordHash: stringFromDb(row.password_hash, 'partners.password_hash'),
    roles: roles === '' ? [] : roles.split(','),
    disabled: booleanFromDb(row.disabled),
    createdAt: instantFromDb(row.created_at, 'partners.created_at'),
  };
}

export class KnexPartnerStore implements PartnerStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  findByUsername(username: string): Promise<PartnerRecord | undefined> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectPartnerByUsername(this.db.knex, username)) as q.PartnerRow[];
      return rows[0] === undefined ? undefined : partnerFromRow(rows[0]);
    });
  }

  findById(id: string): Promise<PartnerRecord | undefined> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectPartnerById(this.db.knex, id)) as q.PartnerRow[];
      return rows[0] === undefined ? undefined : partnerFromRow(rows[0]);
    });
  }

  create(partner: PartnerRecord): Promise<PartnerRecord> {
    return storeCall(this.db, async () => {
      try {
        await q.insertPartner(this.db.knex, partner);
      } catch (error) {
        if (isUniqueViolation(error)) throw new PartnerAlreadyExists(partner.username);
        throw error;
      }
      return this.require(partner.username);
    });
  }

  list(): Promise<PartnerRecord[]> {
    return storeCall(this.db, async () =>
      ((await q.selectAllPartners(this.db.knex)) as q.PartnerRow[]).map(partnerFromRow),
    );
  }

  setDisabled(username: string, disabled: boolean): Promise<PartnerRecord> {
    return this.change(username, () => ({ disabled }));
  }

  setPasswordHash(username: string, passwordHash: string): Promise<PartnerRecord> {
    return this.change(username, () => ({ password_hash: passwordHash }));
  }

  grantRole(username: string, role: string): Promise<PartnerRecord> {
    return this.changeRoles(username, (roles) => (roles.includes(role) ? undefined : [...roles, role]));
  }

  revokeRole(username: string, role: string): Promise<PartnerRecord> {
    return this.changeRoles(username, (roles) => (roles.includes(role) ? roles.filter((r) => r !== role) : undefined));
  }

  /**
   * Read-modify-write of the role list inside one transaction with the row locked by a no-op update;
   * `change` returns the new list, or undefined when nothing changes.
   */
  private changeRoles(
    username: string,
    change: (roles: readonly string[]) => readonly string[] | undefined,
  ): Promise<PartnerRecord> {
    return storeCall(this.db, async () => {
      await this.db.knex.transaction(async (trx) => {
        // Touching updated_at first takes the row's write lock, so two concurrent role changes cannot lose one.
        const touched = (await q.updatePartner(trx, username, {}, this.now())) as unknown as number;
        if (touched === 0) throw new PartnerNotFound(username);
        const rows = (await q.selectPartnerByUsername(trx, username)) as q.PartnerRow[];
        if (rows[0] === undefined) throw new PartnerNotFound(username);
        const roles = change(partnerFromRow(rows[0]).roles);
        if (roles !== undefined) await q.updatePartner(trx, username, { roles: q.rolesToDb([...roles]) }, this.now());
      });
      return this.require(username);
    });
  }

  count(): Promise<number> {
    return storeCall(this.db, async () => {
      const rows = (await q.countPartners(this.db.knex)) as Array<{ count: unknown }>;
      return integerFromDb(rows[0]?.count, 'count(*)');
    });
  }

  private change(
    username: string,
    changes: () => { disabled?: boolean; password_hash?: string },
  ): Promise<PartnerRecord> {
    return storeCall(this.db, async () => {
      const updated = (await q.updatePartner(this.db.knex, username, changes(), this.now())) as unknown as number;
      if (updated === 0) throw new PartnerNotFound(username);
      return this.require(username);
    });
  }

  private async require(username: string): Promise<PartnerRecord> {
    const rows = (await q.selectPartnerByUsername(this.db.knex, username)) as q.PartnerRow[];
    if (rows[0] === undefined) throw new PartnerNotFound(username);
    return partnerFromRow(rows[0]);
  }
}
