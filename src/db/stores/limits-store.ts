/**
 * Per-partner rate-limit overrides (table partner_limits). The row with operation '*' holds the
 * partner-wide window and in-flight cap; other rows hold per-operation windows. NULL fields keep the
 * configured defaults. The shape matches what the rate limiter (src/ops/rate-limit.ts) looks up.
 */
import type { Database } from '../connection';
import { isTransientConflict, isUniqueViolation } from '../errors';
import * as q from '../queries/security';
import { integerFromDb, stringFromDb } from '../values';
import { storeCall } from './run';

export interface PartnerLimitOverrides {
  partner?: { points?: number; durationSeconds?: number; maxInFlight?: number };
  operations?: Record<string, { points: number; durationSeconds: number }>;
}

export interface LimitSetting {
  /** '*' for the partner-wide limit, else an operation name. */
  operation: string;
  points: number | null;
  durationSeconds: number | null;
  maxInFlight: number | null;
}

const optionalInteger = (value: unknown, column: string): number | undefined =>
  value === null || value === undefined ? undefined : integerFromDb(value, column);

export class KnexLimitsStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Undefined when the partner has no overrides. */
  limitsFor(partnerId: string): Promise<PartnerLimitOverrides | undefined> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectLimitsOfPartner(this.db.knex, partnerId)) as q.LimitRow[];
      if (rows.length === 0) return undefined;
      const overrides: PartnerLimitOverrides = {};
      for (const row of rows) {
        const operation = stringFromDb(row.operation, 'partner_limits.operation');
        const points = optionalInteger(row.points, 'partner_limits.points');
        const durationSeconds = optionalInteger(row.duration_seconds, 'partner_limits.duration_seconds');
        if (operation === '*') {
          const partner: NonNullable<PartnerLimitOverrides['partner']> = {};
          if (points !== undefined) partner.points = points;
          if (durationSeconds !== undefined) partner.durationSeconds = durationSeconds;
          const maxInFlight = optionalInteger(row.max_in_flight, 'partner_limits.max_in_flight');
          if (maxInFlight !== undefined) partner.maxInFlight = maxInFlight;
          overrides.partner = partner;
        } else if (points !== undefined && durationSeconds !== undefined) {
          (overrides.operations ??= {})[operation] = { points, durationSeconds };
        }
      }
      return overrides;
    });
  }

  /**
   * Replaces one override row (delete + insert in one transaction, portable across the four databases).
   * Two writers of the same row can both delete nothing and then collide on the primary key (PostgreSQL,
   * READ COMMITTED): the loser simply runs again, now deleting the winner's row, so the last write wins.
   */
  setLimit(partnerId: string, setting: LimitSetting): Promise<void> {
    return storeCall(
      this.db,
      () =>
        this.db.knex.transaction(async (trx) => {
          await q.deleteLimit(trx, partnerId, setting.operation);
          await q.insertLimit(trx, partnerId, setting.operation, setting, this.now());
        }),
      { isRetryable: (error) => isTransientConflict(error) || isUniqueViolation(error) },
    );
  }

  clearLimit(partnerId: string, operation: string): Promise<void> {
    return storeCall(this.db, async () => {
      await q.deleteLimit(this.db.knex, partnerId, operation);
    });
  }
}
