/**
 * `partner-orders partner add|list|disable|enable|set-password|grant-admin|revoke-admin|retire`: manage trading
 * partners.
 */
import type { Command } from 'commander';
import { digestSecretBox } from '../app';
import type { Database } from '../db/connection';
import { createStores } from '../db/stores';
import { KnexCredentialStore } from '../db/stores/credential-store';
import type { AppConfig } from '../config';
import { DEFAULT_SECURITY_POLICY, type SecurityPolicy } from '../soap/security';
import { ValidationError } from '../service/errors';
import { PartnerService, type PartnerView } from '../service/partners';
import {
  EXIT_CODES_HELP,
  announceCredentialChangeOf,
  runWithDatabase,
  withDatabaseOption,
  type DatabaseFlag,
} from './with-database';

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

const PASSWORD_HELP =
  'the password; prefer --password-stdin, as arguments are visible to other local users (default: generated and printed)';

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
        const added = await new PartnerService(createStores(db).partners).addPartner({
          username,
          displayName: flags.name,
          password,
          admin: flags.admin,
        });
        await keepDigestSecretInStep(db, config, username, added.password);
        process.stdout.write(`created partner ${describe(added.partner)}\n`);
        if (password === undefined) process.stdout.write(`password: ${added.password}\n`);
      });
    });

  withDatabaseOption(
    partner.command('list').description('list partners').option('--json', 'print JSON instead of a table'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: ListFlags) => {
      await runWithDatabase(flags, async (db, config) => {
        const partners = await new PartnerService(createStores(db).partners).list();
        const credentials = new KnexCredentialStore(db, digestSecretBox(config));
        const listed: ListedPartner[] = [];
        for (const p of partners) {
          const policy = (await credentials.findAccountByUsername(p.username))?.policy ?? DEFAULT_SECURITY_POLICY;
          listed.push({ ...p, securityPolicy: policy });
        }
        process.stdout.write(flags.json ? `${JSON.stringify(listed, null, 2)}\n` : table(listed));
      });
    });

  withDatabaseOption(
    partner.command('disable').argument('<username>').description('disable a partner: its calls fail authentication'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag) => {
      await runWithDatabase(flags, async (db, config) => {
        process.stdout.write(
          `disabled partner ${describe(await new PartnerService(createStores(db).partners).disable(username))}\n`,
        );
        await announceCredentialChangeOf(config);
      });
    });

  withDatabaseOption(partner.command('enable').argument('<username>').description('enable a disabled partner again'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag) => {
      await runWithDatabase(flags, async (db, config) => {
        process.stdout.write(
          `enabled partner ${describe(await new PartnerService(createStores(db).partners).enable(username))}\n`,
        );
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
        process.stdout.write(
          `partner ${describe(await new PartnerService(createStores(db).partners).grantAdmin(username))}\n`,
        );
      });
    });

  withDatabaseOption(
    partner.command('revoke-admin').argument('<username>').description('remove the admin role (undoes grant-admin)'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag) => {
      await runWithDatabase(flags, async (db) => {
        process.stdout.write(
          `partner ${describe(await new PartnerService(createStores(db).partners).revokeAdmin(username))}\n`,
        );
      });
    });

  withDatabaseOption(
    partner
      .command('retire')
      .argument('<username>')
      .description(
        'retire a partner for good: disabled, roles removed, password replaced, PasswordDigest secret dropped, certificates revoked; its orders and history stay',
      ),
  )
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}

There is no delete: orders, their history and audit entries refer to the partner, and an order is never
lost. A retired partner stays listed (status "disabled", no roles). To bring it back: partner enable,
then partner set-password (and add-cert / grant-admin as needed).`,
    )
    .action(async (username: string, flags: DatabaseFlag) => {
      await runWithDatabase(flags, async (db, config) => {
        const partners = new PartnerService(createStores(db).partners);
        const credentials = new KnexCredentialStore(db, digestSecretBox(config));
        // Disabled first: from this moment no call authenticates, whatever step below might still fail.
        await partners.disable(username);
        await partners.revokeAdmin(username);
        await partners.setPassword(username); // a random password nobody sees
        await credentials.setDigestSecret(username, undefined);
        const certificates = (await credentials.listCertificates(username)).filter((c) => c.revokedAt === undefined);
        for (const certificate of certificates)
          await credentials.revokeCertificate(username, certificate.sha256Thumbprint);
        const retired = await partners.disable(username);
        process.stdout.write(
          `retired partner ${describe(retired)}: password replaced, digest secret dropped, ${certificates.length} certificate(s) revoked; orders kept\n`,
        );
        await announceCredentialChangeOf(config);
      });
    });

  return partner;
}

/**
 * PasswordDigest needs the password itself, sealed at rest: it is replaced together with the scrypt hash,
 * so an old password never keeps working through the other token type.
 */
async function keepDigestSecretInStep(
  db: Database,
  config: AppConfig,
  username: string,
  password: string,
): Promise<void> {
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

interface ListedPartner extends PartnerView {
  securityPolicy: SecurityPolicy;
}

/** The policy in a few words: accepted password types, then what is required or done beyond them. */
function policySummary(policy: SecurityPolicy): string {
  const parts: string[] = [policy.authModes === 'both' ? 'text+digest' : policy.authModes];
  parts.push(policy.requireTimestamp ? 'timestamp' : 'no-timestamp');
  if (policy.requireSignature) parts.push('signature');
  if (policy.signResponse) parts.push('signed-response');
  if (policy.allowLegacyAlgorithms) parts.push('legacy-algorithms');
  return parts.join(',');
}

function table(partners: readonly ListedPartner[]): string {
  if (partners.length === 0) return 'no partners\n';
  const rows = [
    ['USERNAME', 'NAME', 'ROLES', 'STATUS', 'SECURITY POLICY', 'CREATED'],
    ...partners.map((p) => [
      p.username,
      p.displayName,
      p.roles.join(',') || '-',
      p.disabled ? 'disabled' : 'active',
      policySummary(p.securityPolicy),
      p.createdAt.toISOString(),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
