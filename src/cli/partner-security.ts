/**
 * WS-Security administration under `partner-orders partner`: the trust store of partner certificates
 * (add-cert, list-certs, revoke-cert), the per-partner security policy (set-policy) and rate-limit
 * overrides (set-limit, clear-limit).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { digestSecretBox } from '../app';
import type { Database } from '../db/connection';
import {
  CertificateAlreadyRegistered,
  CertificateHeldByAnotherPartner,
  CertificateNotFound,
  CertificateOutsideValidity,
  KnexCredentialStore,
  validityProblem,
  type CertificateSummary,
} from '../db/stores/credential-store';
import { KnexLimitsStore } from '../db/stores/limits-store';
import type { AppConfig } from '../config';
import { CertificateFormatError, type SecurityPolicy, type UsernameTokenMode } from '../soap/security';
import { PartnerNotFound } from '../service/errors';
import { createStores } from '../db/stores';
import { contract as v1Contract } from '../generated/v1';
import { contract as v2Contract } from '../generated/v2';
import {
  EXIT,
  announceCredentialChangeOf,
  runWithDatabase,
  withDatabaseOption,
  type DatabaseFlag,
} from './with-database';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (configuration, database unreachable, unexpected error)
  2  invalid input (unreadable or malformed certificate, certificate expired or not yet valid without
     --force, bad option value)
  3  partner or certificate not found
  4  certificate already registered, or one of its identities (public key, subject key identifier,
     thumbprint, issuer and serial) belongs to another partner`;

/** A bad option value, reported with the invalid-input exit code. */
class UsageError extends Error {}

const credentialsOf = (db: Database, config: AppConfig): KnexCredentialStore =>
  new KnexCredentialStore(db, digestSecretBox(config));

/** Errors of this module that deserve their own exit code; everything else goes to reportFailure. */
function fail(error: unknown): boolean {
  const code =
    error instanceof CertificateFormatError ||
    error instanceof UsageError ||
    error instanceof CertificateOutsideValidity
      ? EXIT.invalidInput
      : error instanceof CertificateAlreadyRegistered || error instanceof CertificateHeldByAnotherPartner
        ? EXIT.conflict
        : error instanceof CertificateNotFound
          ? EXIT.notFound
          : undefined;
  if (code === undefined) return false;
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = code;
  return true;
}

async function guarded(flags: DatabaseFlag, work: (db: Database, config: AppConfig) => Promise<void>): Promise<void> {
  await runWithDatabase(flags, async (db, config) => {
    try {
      await work(db, config);
    } catch (error) {
      if (!fail(error)) throw error;
    }
  });
}

function describeCert(cert: CertificateSummary): string {
  const state =
    cert.revokedAt !== undefined
      ? `revoked ${cert.revokedAt.toISOString()}`
      : cert.notAfter < new Date()
        ? 'expired'
        : 'active';
  return [
    `sha256 ${cert.sha256Thumbprint}  (${state})`,
    `  sha1 ${cert.sha1Thumbprint}  ski ${cert.ski ?? '-'}`,
    `  issuer ${cert.issuer}  serial ${cert.serial}`,
    `  valid ${cert.notBefore.toISOString()} .. ${cert.notAfter.toISOString()}`,
  ].join('\n');
}

/** Reads the certificate file; a missing or unreadable file is invalid input, not a failure of the service. */
function readCertificateFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * A private key where the certificate belongs is a common slip (key.pem and cert.pem side by side) and
 * X509Certificate only says "no start line": say what the file is, and that the key stays with the client.
 */
function refusePrivateKey(bytes: Buffer, file: string): void {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return;
  let isKey = /-----BEGIN (?:RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/.test(text);
  if (!isKey && !text.includes('-----BEGIN')) {
    try {
      createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
      isKey = true;
    } catch {
      // not a DER private key either: the certificate parser reports what it is not
    }
  }
  if (isKey) {
    throw new UsageError(
      `${file} holds a private key, not a certificate: give the partner's X.509 certificate (-----BEGIN CERTIFICATE-----, e.g. from openssl req -x509 or the partner's CA); the private key stays with the client that signs`,
    );
  }
}

/** A SHA-256 thumbprint as list-certs prints it, or as openssl prints it (upper case, colon separated). */
function parseSha256Thumbprint(value: string): string {
  const hex = value.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new UsageError(`expected a SHA-256 thumbprint (64 hex digits, as list-certs prints it), got "${value}"`);
  return hex;
}

/** Every operation a partner can call, in any contract version (limits are per operation name). */
const OPERATION_NAMES: ReadonlySet<string> = new Set(
  [v1Contract, v2Contract].flatMap((contract) =>
    contract.portTypes.flatMap((portType) => portType.operations.map((operation) => operation.name)),
  ),
);

/** '*' or an operation name the contracts declare; a typo would be a limit that never applies. */
function parseOperation(value: string): string {
  if (value === '*' || OPERATION_NAMES.has(value)) return value;
  throw new UsageError(
    `--operation: expected '*' or an operation name of the service (${[...OPERATION_NAMES].sort().join(', ')}), got "${value}"`,
  );
}

function parseBooleanFlag(value: string, name: string): boolean | null {
  if (value === 'true' || value === 'yes' || value === 'on') return true;
  if (value === 'false' || value === 'no' || value === 'off') return false;
  if (value === 'default') return null;
  throw new UsageError(`--${name}: expected true, false or default, got "${value}"`);
}

function parseAuthModes(value: string): UsernameTokenMode | null {
  if (value === 'text' || value === 'digest' || value === 'both') return value;
  if (value === 'default') return null;
  throw new UsageError(`--auth-modes: expected text, digest, both or default, got "${value}"`);
}

function parseLimitNumber(value: string | undefined, name: string): number | null {
  if (value === undefined || value === 'default') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name}: expected a positive integer or default, got "${value}"`);
  return n;
}

interface PolicyFlags extends DatabaseFlag {
  authModes?: string;
  requireTimestamp?: string;
  requireSignature?: string;
  signResponse?: string;
  allowLegacyAlgorithms?: string;
  mutualTls?: string;
}

interface LimitFlags extends DatabaseFlag {
  operation: string;
  points?: string;
  duration?: string;
  maxInFlight?: string;
}

export function registerPartnerSecurity(program: Command): void {
  const partner = program.commands.find((c) => c.name() === 'partner');
  if (partner === undefined) throw new Error('registerPartnerSecurity needs the partner command registered first');

  withDatabaseOption(
    partner
      .command('add-cert')
      .argument('<username>', 'the partner the certificate identifies')
      .argument('<pem-file>', 'X.509 certificate, PEM or DER')
      .description('register a partner certificate for X.509 signatures (the message must be signed with its key)')
      .option('--force', 'register a certificate that is expired or not yet valid'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, file: string, flags: DatabaseFlag & { force?: boolean }) => {
      await guarded(flags, async (db, config) => {
        const bytes = readCertificateFile(file);
        refusePrivateKey(bytes, file);
        const cert = await credentialsOf(db, config).addCertificate(username, bytes, {
          allowOutsideValidity: flags.force === true,
        });
        const problem = validityProblem(cert.notBefore, cert.notAfter, new Date());
        if (problem !== undefined) process.stderr.write(`warning: ${problem}; registered because of --force\n`);
        process.stdout.write(`registered certificate for ${username}\n${describeCert(cert)}\n`);
      });
    });

  withDatabaseOption(
    partner
      .command('list-certs')
      .argument('<username>')
      .description("list a partner's certificates")
      .option('--json', 'print JSON'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag & { json?: boolean }) => {
      await guarded(flags, async (db, config) => {
        const certs = await credentialsOf(db, config).listCertificates(username);
        if (flags.json) process.stdout.write(`${JSON.stringify(certs, null, 2)}\n`);
        else
          process.stdout.write(
            certs.length === 0 ? `no certificates for ${username}\n` : `${certs.map(describeCert).join('\n')}\n`,
          );
      });
    });

  withDatabaseOption(
    partner
      .command('revoke-cert')
      .argument('<username>')
      .argument('<sha256-thumbprint>', 'as printed by list-certs')
      .description('revoke a certificate: signatures made with it are refused from now on'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, sha256: string, flags: DatabaseFlag) => {
      await guarded(flags, async (db, config) => {
        const thumbprint = parseSha256Thumbprint(sha256);
        await credentialsOf(db, config).revokeCertificate(username, thumbprint);
        process.stdout.write(`revoked certificate ${thumbprint} of ${username}\n`);
      });
    });

  withDatabaseOption(
    partner
      .command('set-policy')
      .argument('<username>')
      .description("set a partner's WS-Security policy; 'default' returns a field to the service default")
      .option('--auth-modes <mode>', 'UsernameToken password types accepted: text | digest | both | default')
      .option('--require-timestamp <bool>', 'a wsu:Timestamp must be present: true | false | default')
      .option('--require-signature <bool>', 'Body and Timestamp must be signed with a registered certificate')
      .option('--sign-response <bool>', 'sign responses (Body + Timestamp) with the service key')
      .option('--allow-legacy-algorithms <bool>', 'accept RSA-SHA1 / SHA-1')
      .option(
        '--mutual-tls <bool>',
        'a registered certificate presented as the HTTPS client certificate authenticates the partner on its own',
      ),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: PolicyFlags) => {
      await guarded(flags, async (db, config) => {
        const change: { -readonly [K in keyof SecurityPolicy]?: SecurityPolicy[K] | null } = {};
        if (flags.authModes !== undefined) change.authModes = parseAuthModes(flags.authModes);
        if (flags.requireTimestamp !== undefined)
          change.requireTimestamp = parseBooleanFlag(flags.requireTimestamp, 'require-timestamp');
        if (flags.requireSignature !== undefined)
          change.requireSignature = parseBooleanFlag(flags.requireSignature, 'require-signature');
        if (flags.signResponse !== undefined)
          change.signResponse = parseBooleanFlag(flags.signResponse, 'sign-response');
        if (flags.allowLegacyAlgorithms !== undefined)
          change.allowLegacyAlgorithms = parseBooleanFlag(flags.allowLegacyAlgorithms, 'allow-legacy-algorithms');
        if (flags.mutualTls !== undefined) change.mutualTls = parseBooleanFlag(flags.mutualTls, 'mutual-tls');
        const policy = await credentialsOf(db, config).setPolicy(username, change);
        await announceCredentialChangeOf(config);
        process.stdout.write(`policy of ${username}: ${JSON.stringify(policy)}\n`);
      });
    });

  withDatabaseOption(
    partner
      .command('set-limit')
      .argument('<username>')
      .description("override a partner's rate limit, for all operations ('*', the default) or one operation")
      .option('--operation <name>', "operation name, or '*' for the partner-wide limit", '*')
      .option('--points <n>', 'requests per window (or default)')
      .option('--duration <seconds>', 'window length in seconds (or default)')
      .option('--max-in-flight <n>', "concurrent requests (partner-wide '*' only; or default)"),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: LimitFlags) => {
      await guarded(flags, async (db) => {
        const found = await createStores(db).partners.findByUsername(username);
        if (found === undefined) throw new PartnerNotFound(username);
        const setting = {
          operation: parseOperation(flags.operation),
          points: parseLimitNumber(flags.points, 'points'),
          durationSeconds: parseLimitNumber(flags.duration, 'duration'),
          maxInFlight: parseLimitNumber(flags.maxInFlight, 'max-in-flight'),
        };
        if (
          setting.operation !== '*' &&
          (setting.points === null || setting.durationSeconds === null || setting.maxInFlight !== null)
        ) {
          throw new UsageError('a per-operation limit needs --points and --duration and takes no --max-in-flight');
        }
        await new KnexLimitsStore(db).setLimit(found.id, setting);
        process.stdout.write(
          `limit of ${username} for ${setting.operation}: ${JSON.stringify(setting)} (instances pick it up within rateLimits.overrideCacheSeconds)\n`,
        );
      });
    });

  withDatabaseOption(
    partner
      .command('clear-limit')
      .argument('<username>')
      .description("remove a partner's rate-limit override, so the configured defaults apply again")
      .option('--operation <name>', "operation name, or '*' for the partner-wide limit", '*'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (username: string, flags: DatabaseFlag & { operation: string }) => {
      await guarded(flags, async (db) => {
        const operation = parseOperation(flags.operation);
        const found = await createStores(db).partners.findByUsername(username);
        if (found === undefined) throw new PartnerNotFound(username);
        await new KnexLimitsStore(db).clearLimit(found.id, operation);
        process.stdout.write(
          `limit of ${username} for ${operation} cleared: the configured defaults apply (within rateLimits.overrideCacheSeconds)\n`,
        );
      });
    });
}
