/**
 * `partner-orders partner add|list|disable|enable|set-password|grant-admin`: manage trading partners.
 */
import type { Command } from 'commander';
import { digestSecretBox } from '../app';
import type { Database } from '../db/connection';
import { createStores } from '../db/stores';
import { KnexCredentialStore } from '../db/stores/credential-store';
import type { AppConfig } from '../config';
import { ValidationError } from '../service/errors';
import { PartnerService, type PartnerView } from '../service/partners';
import { EXIT_CODES_HELP, announceCredentialChangeOf, runWithDatabase, withDatabaseOption, type DatabaseFlag } from './with-database';

interface PasswordFlags extends DatabaseFlag {
  password?: string;
  passwordStdin?: boolean;
}

interface AddFlags extends PasswordFlags {
  name?: string;
  admin?: boolean;
}

interface ListFlags extends DatabaseFlag {
  json?: boolean;
}

const PASSWORD_HELP = 'the password; prefer --password-stdin, as arguments are visible to other local users (default: generated and printed)';

export function registerPartner(program: Command): Command {
  const partner = program
    .command('partner')
    .description('manage trading partners (accounts that call the service)')
    .addHelpText('after', EXIT_CODES_HELP);

  withDatabaseOption(
    partner
      .command('add')
      .argument('<username>', 'login name: letters, digits, ".", "_" or "-", at most 64 characters')
      .description('create a partner; prints its password once')
      .option('--name <displayName>', 'display name (default: the username)')
      .option('--admin', 'grant the admin role (may call the admin port)')
      .option('--password <password>', PASSWORD_HELP)
      .option('--password-stdin', 'read the password from the first line of standard input'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: AddFlags) => {
      await runWithDatabase(flags, async (db, config) => {
        const password = await passwordFrom(flags);
        const added = await new PartnerService(createStores(db).partners).addPartner({ username, displayName: flags.name, password, admin: flags.admin });
        await keepDigestSecretInStep(db, config, username, added.password);
        process.stdout.write(`created partner ${describe(added.partner)}\n`);
        if (password === undefined) process.stdout.write(`password: ${added.password}\n`);
      });
    });

  withDatabaseOption(partner.command('list').description('list partners').option('--json', 'print JSON instead of a table'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: ListFlags) => {
      await runWithDatabase(flags, async (db) => {
        const partners = await new PartnerService(createStores(db).partners).list();
        process.stdout.write(flags.json ? `${JSON.stringify(partners, null, 2)}\n` : table(partners));
      });
    });

  withDatabaseOption(partner.command('disable').argument('<username>').description('disable a partner: its calls fail authentication'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag) => {
      await runWithDatabase(flags, async (db, config) => {
        process.stdout.write(`disabled partner ${describe(await new PartnerService(createStores(db).partners).disable(username))}\n`);
        await announceCredentialChangeOf(config);
      });
    });

  withDatabaseOption(partner.command('enable').argument('<username>').description('enable a disabled partner again'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag) => {
      await runWithDatabase(flags, async (db, config) => {
        process.stdout.write(`enabled partner ${describe(await new PartnerService(createStores(db).partners).enable(username))}\n`);
        await announceCredentialChangeOf(config);
      });
    });

  withDatabaseOption(
    partner
      .command('set-password')
      .argument('<username>')
      .description("replace a partner's password; prints the new one when generated")
      .option('--password <password>', PASSWORD_HELP)
      .option('--password-stdin', 'read the password from the first line of standard input'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: PasswordFlags) => {
      await runWithDatabase(flags, async (db, config) => {
        const password = await passwordFrom(flags);
        const result = await new PartnerService(createStores(db).partners).setPassword(username, password);
        await keepDigestSecretInStep(db, config, username, result.password);
        await announceCredentialChangeOf(config);
        process.stdout.write(`password changed for partner ${describe(result.partner)}\n`);
        if (password === undefined) process.stdout.write(`password: ${result.password}\n`);
      });
    });

  withDatabaseOption(partner.command('grant-admin').argument('<username>').description('grant the admin role'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag) => {
      await runWithDatabase(flags, async (db) => {
        process.stdout.write(`partner ${describe(await new PartnerService(createStores(db).partners).grantAdmin(username))}\n`);
      });
    });

  return partner;
}

/**
 * PasswordDigest needs the password itself, sealed at rest: it is replaced together with the scrypt hash,
 * so an old password never keeps working through the other token type.
 */
async function keepDigestSecretInStep(db: Database, config: AppConfig, username: string, password: string): Promise<void> {
  await new KnexCredentialStore(db, digestSecretBox(config)).setDigestSecret(username, password);
}

async function passwordFrom(flags: PasswordFlags): Promise<string | undefined> {
  if (flags.password !== undefined && flags.passwordStdin) {
    throw ValidationError.single('password', 'give either --password or --password-stdin, not both');
  }
  if (!flags.passwordStdin) return flags.password;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const firstLine = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (firstLine === '') throw ValidationError.single('password', 'standard input held no password');
  return firstLine;
}

function describe(partner: PartnerView): string {
  const roles = partner.roles.length > 0 ? partner.roles.join(',') : '-';
  return `${partner.username} (id ${partner.id}, roles ${roles}${partner.disabled ? ', disabled' : ''})`;
}

function table(partners: readonly PartnerView[]): string {
  if (partners.length === 0) return 'no partners\n';
  const rows = [
    ['USERNAME', 'NAME', 'ROLES', 'STATUS', 'CREATED'],
    ...partners.map((p) => [p.username, p.displayName, p.roles.join(',') || '-', p.disabled ? 'disabled' : 'active', p.createdAt.toISOString()]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}
