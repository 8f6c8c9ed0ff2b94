import { X509Certificate, createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { LENGTH } from '../limits';

export const name = '0003_certificate_identity';

/**
 * A certificate identity (public key, SKI, thumbprints, issuer/serial) belongs to one partner (issue 14):
 * the public key gets its own column, filled here for the certificates registered so far, so add-cert can
 * refuse a certificate carrying another partner's key and lookups can see a clash left in old data. The
 * hash is computed here rather than by the application's code, so this migration keeps meaning what it
 * meant when it was written. And a registered certificate may now authenticate its partner as the HTTPS
 * client certificate: partners.mutual_tls is that policy field (NULL = the default, off).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('partners', (t) => {
    t.boolean('mutual_tls').nullable();
  });
  await knex.schema.alterTable('partner_certificates', (t) => {
    t.string('public_key_sha256', LENGTH.thumbprintSha256).nullable();
    t.index(['public_key_sha256'], 'partner_certificates_public_key_index');
  });
  const rows = (await knex('partner_certificates').select(['id', 'pem'])) as Array<{ id: number; pem: string }>;
  for (const row of rows) {
    const spki = new X509Certificate(row.pem).publicKey.export({ type: 'spki', format: 'der' });
    await knex('partner_certificates')
      .where('id', row.id)
      .update({ public_key_sha256: createHash('sha256').update(spki).digest('hex') });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('partner_certificates', (t) => {
    t.dropIndex(['public_key_sha256'], 'partner_certificates_public_key_index');
    t.dropColumn('public_key_sha256');
  });
  await knex.schema.alterTable('partners', (t) => {
    t.dropColumn('mutual_tls');
  });
}
