import type { Knex } from 'knex';
import { dialectOfKnex } from '../dialect';
import { LENGTH } from '../limits';
import { dateColumn, moneyColumn, tableDefaults, timestampColumn } from '../schema-types';

export const name = '0001_initial_schema';

/**
 * Unique keys are declared as UNIQUE constraints: knex would otherwise emit a filtered unique index
 * (WHERE col IS NOT NULL) on SQL Server, which parameterised lookups may not use and which needs
 * specific SET options for every writer. On the other databases a constraint is a unique index anyway.
 */
function uniqueKey(indexName: string): { indexName: string; useConstraint: true } {
  return { indexName, useConstraint: true };
}

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOfKnex(knex);

  await knex.schema.createTable('partners', (t) => {
    tableDefaults(t, dialect);
    t.string('id', LENGTH.id).primary();
    t.string('username', LENGTH.username).notNullable();
    t.string('display_name', LENGTH.displayName).notNullable();
    // Comma-separated role names ("admin"; empty for none): a handful of fixed roles, read with the partner.
    t.string('roles', LENGTH.roles).notNullable().defaultTo('');
    t.boolean('disabled').notNullable().defaultTo(false);
    // scrypt hash in a self-describing packed form (algorithm, parameters, salt, hash).
    t.string('password_hash', LENGTH.passwordHash).notNullable();
    // Secret for WS-Security PasswordDigest, encrypted at rest (AES-GCM iv, tag and ciphertext packed in
    // one string by the security layer). Null: digest authentication is impossible for this partner.
    t.string('digest_secret', LENGTH.digestSecret).nullable();
    // WS-Security policy overrides. NULL means "the service default" (src/soap/security/store.ts), so a
    // changed default reaches every partner that never had an explicit setting.
    t.string('auth_modes', LENGTH.authModes).nullable();
    t.boolean('require_timestamp').nullable();
    t.boolean('require_signature').nullable();
    t.boolean('sign_response').nullable();
    t.boolean('allow_legacy_algorithms').nullable();
    timestampColumn(t, 'created_at').notNullable();
    timestampColumn(t, 'updated_at').notNullable();
    t.unique(['username'], uniqueKey('partners_username_unique'));
    t.check("auth_modes is null or auth_modes in ('text', 'digest', 'both')", undefined, 'partners_auth_modes_check');
  });

  await knex.schema.createTable('partner_certificates', (t) => {
    tableDefaults(t, dialect);
    t.increments('id').primary();
    t.string('partner_id', LENGTH.id).notNullable().references('id').inTable('partners').onDelete('CASCADE');
    t.string('thumbprint_sha1', LENGTH.thumbprintSha1).notNullable();
    t.string('thumbprint_sha256', LENGTH.thumbprintSha256).notNullable();
    t.string('subject_key_identifier', LENGTH.subjectKeyIdentifier).nullable();
    t.string('issuer', LENGTH.issuer).notNullable();
    t.string('serial_number', LENGTH.serial).notNullable();
    t.text('pem').notNullable();
    timestampColumn(t, 'not_before').notNullable();
    timestampColumn(t, 'not_after').notNullable();
    timestampColumn(t, 'revoked_at').nullable();
    timestampColumn(t, 'created_at').notNullable();
    t.unique(['thumbprint_sha1'], uniqueKey('partner_certificates_sha1_unique'));
    t.unique(['thumbprint_sha256'], uniqueKey('partner_certificates_sha256_unique'));
    t.unique(['issuer', 'serial_number'], uniqueKey('partner_certificates_issuer_serial_unique'));
    t.index(['subject_key_identifier'], 'partner_certificates_ski_index');
    t.index(['partner_id'], 'partner_certificates_partner_index');
  });

  await knex.schema.createTable('partner_limits', (t) => {
    tableDefaults(t, dialect);
    t.string('partner_id', LENGTH.id).notNullable().references('id').inTable('partners').onDelete('CASCADE');
    // '*' is the partner-wide limit (all operations together); a NULL would behave differently in keys
    // across the databases. NULL values keep the configured default for that field.
    t.string('operation', LENGTH.operation).notNullable();
    t.integer('points').nullable();
    t.integer('duration_seconds').nullable();
    // Only meaningful on the '*' row: concurrent requests in flight.
    t.integer('max_in_flight').nullable();
    timestampColumn(t, 'updated_at').notNullable();
    t.primary(['partner_id', 'operation'], 'partner_limits_pkey');
    t.check(
      "(points is null or points >= 0) and (duration_seconds is null or duration_seconds > 0) and (max_in_flight is null or max_in_flight > 0) and (operation = '*' or (points is not null and duration_seconds is not null and max_in_flight is null))",
      undefined,
      'partner_limits_values_check',
    );
  });

  await knex.schema.createTable('products', (t) => {
    tableDefaults(t, dialect);
    t.string('sku', LENGTH.sku).primary();
    t.string('name', LENGTH.productName).notNullable();
    t.string('description', LENGTH.description).nullable();
    t.string('category', LENGTH.category).notNullable();
    moneyColumn(t, 'unit_price', dialect).notNullable();
    t.string('currency', LENGTH.currency).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    timestampColumn(t, 'created_at').notNullable();
    timestampColumn(t, 'updated_at').notNullable();
    // Search by category pages by sku: (category, sku) serves both the filter and the keyset order.
    t.index(['category', 'sku'], 'products_category_sku_index');
  });

  await knex.schema.createTable('stock', (t) => {
    tableDefaults(t, dialect);
    t.string('sku', LENGTH.sku).primary().references('sku').inTable('products').onDelete('CASCADE');
    t.integer('on_hand').notNullable().defaultTo(0);
    t.integer('reserved').notNullable().defaultTo(0);
    timestampColumn(t, 'updated_at').notNullable();
    // The stores keep these true with conditional updates; the CHECK is the last line of defence.
    t.check('reserved >= 0 and on_hand >= 0 and reserved <= on_hand', undefined, 'stock_bounds_check');
  });

  await knex.schema.createTable('stock_adjustments', (t) => {
    tableDefaults(t, dialect);
    t.increments('id').primary();
    t.string('sku', LENGTH.sku).notNullable().references('sku').inTable('products').onDelete('CASCADE');
    t.integer('delta').notNullable();
    t.string('reason', LENGTH.reason).notNullable();
    t.string('actor', LENGTH.actor).notNullable();
    t.string('message_id', LENGTH.messageId).nullable();
    timestampColumn(t, 'at').notNullable();
    t.index(['sku', 'at'], 'stock_adjustments_sku_at_index');
  });

  await knex.schema.createTable('orders', (t) => {
    tableDefaults(t, dialect);
    t.string('id', LENGTH.id).primary();
    t.string('partner_id', LENGTH.id).notNullable().references('id').inTable('partners');
    t.string('partner_order_ref', LENGTH.partnerOrderRef).notNullable();
    t.string('content_hash', LENGTH.contentHash).notNullable();
    t.string('status', LENGTH.status).notNullable();
    t.string('currency', LENGTH.currency).notNullable();
    moneyColumn(t, 'total', dialect).notNullable();
    t.integer('line_count').notNullable();
    t.string('ship_to_name', LENGTH.addressName).notNullable();
    t.string('ship_to_line1', LENGTH.addressLine).notNullable();
    t.string('ship_to_line2', LENGTH.addressLine).nullable();
    t.string('ship_to_city', LENGTH.city).notNullable();
    t.string('ship_to_region', LENGTH.region).nullable();
    t.string('ship_to_postal_code', LENGTH.postalCode).notNullable();
    t.string('ship_to_country_code', LENGTH.countryCode).notNullable();
    dateColumn(t, 'requested_delivery_date').nullable();
    t.string('note', LENGTH.note).nullable();
    t.string('shipment_carrier', LENGTH.carrier).nullable();
    t.string('shipment_tracking_number', LENGTH.trackingNumber).nullable();
    timestampColumn(t, 'shipped_at').nullable();
    t.string('cancellation_reason', LENGTH.reason).nullable();
    timestampColumn(t, 'cancelled_at').nullable();
    timestampColumn(t, 'created_at').notNullable();
    timestampColumn(t, 'updated_at').notNullable();
    // Idempotent submission: the database, not a read-then-insert, guarantees one order per reference.
    t.unique(['partner_id', 'partner_order_ref'], uniqueKey('orders_partner_ref_unique'));
    // Newest-first keyset paging (created_at desc, id desc) is a backward scan of this index on every
    // database, so it needs no DESC declaration (which knex cannot express portably).
    t.index(['partner_id', 'created_at', 'id'], 'orders_partner_created_index');
    t.index(['partner_id', 'status', 'created_at', 'id'], 'orders_partner_status_created_index');
    t.check("status in ('ACCEPTED', 'CANCELLED', 'SHIPPED')", undefined, 'orders_status_check');
  });

  await knex.schema.createTable('order_lines', (t) => {
    tableDefaults(t, dialect);
    t.string('order_id', LENGTH.id).notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.integer('line_number').notNullable();
    t.string('sku', LENGTH.sku).notNullable().references('sku').inTable('products');
    t.integer('quantity').notNullable();
    moneyColumn(t, 'unit_price', dialect).notNullable();
    moneyColumn(t, 'line_total', dialect).notNullable();
    t.primary(['order_id', 'line_number'], 'order_lines_pkey');
    t.index(['sku'], 'order_lines_sku_index');
    t.check('quantity > 0', undefined, 'order_lines_quantity_check');
  });

  await knex.schema.createTable('order_history', (t) => {
    tableDefaults(t, dialect);
    t.string('order_id', LENGTH.id).notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.string('action', LENGTH.action).notNullable();
    t.string('from_status', LENGTH.status).nullable();
    t.string('to_status', LENGTH.status).notNullable();
    timestampColumn(t, 'at').notNullable();
    t.string('actor', LENGTH.actor).notNullable();
    t.string('message_id', LENGTH.messageId).notNullable();
    t.string('detail', LENGTH.detail).nullable();
    t.primary(['order_id', 'seq'], 'order_history_pkey');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'order_history',
    'order_lines',
    'orders',
    'stock_adjustments',
    'stock',
    'products',
    'partner_limits',
    'partner_certificates',
    'partners',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
