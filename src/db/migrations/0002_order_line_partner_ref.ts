import type { Knex } from 'knex';
import { LENGTH } from '../limits';

export const name = '0002_order_line_partner_ref';

/**
 * Contract v2 lets a partner tag each order line with its own reference (partnerLineRef). Nullable, so
 * every existing line and every v1 submission simply has none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('order_lines', (t) => {
    t.string('partner_line_ref', LENGTH.partnerLineRef).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('order_lines', (t) => {
    t.dropColumn('partner_line_ref');
  });
}
