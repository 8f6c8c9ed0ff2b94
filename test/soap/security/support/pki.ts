/**
 * Throwaway keys and certificates made with the openssl command in a temp folder (nothing committed).
 * Expired and not-yet-valid certificates come from `openssl ca -selfsign` with explicit dates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestIdentity {
  readonly name: string;
  readonly keyPath: string;
  readonly certPath: string;
  readonly keyPem: string;
  readonly certPem: string;
}

export class TestPki {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'wss-pki-'));
  }

  /** A self-signed RSA certificate valid from now for `days` (openssl req adds the SKI extension). */
  selfSigned(name: string, subject = `/CN=${name}/O=Independent Signer`, days = 30): TestIdentity {
    const keyPath = join(this.dir, `${name}.key.pem`);
    const certPath = join(this.dir, `${name}.cert.pem`);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-sha256',
        '-days',
        String(days),
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-subj',
        subject,
      ],
      { stdio: 'pipe' },
    );
    return this.identity(name, keyPath, certPath);
  }

  /** A self-signed certificate with explicit validity dates (YYYYMMDDHHMMSSZ) and no extensions. */
  withDates(name: string, startDate: string, endDate: string): TestIdentity {
    const keyPath = join(this.dir, `${name}.key.pem`);
    const csrPath = join(this.dir, `${name}.csr.pem`);
    const certPath = join(this.dir, `${name}.cert.pem`);
    const caDir = join(this.dir, `ca-${name}`);
    mkdirSync(join(caDir, 'new'), { recursive: true });
    writeFileSync(join(caDir, 'index.txt'), '');
    writeFileSync(join(caDir, 'serial'), '1000\n');
    const config = join(caDir, 'ca.cnf');
    writeFileSync(
      config,
      [
        '[ ca ]',
        'default_ca = local',
        '[ local ]',
        `database = ${caDir}/index.txt`,
        `new_certs_dir = ${caDir}/new`,
        `serial = ${caDir}/serial`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        '[ any ]',
        'commonName = supplied',
        'organizationName = optional',
        '',
      ].join('\n'),
    );
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        csrPath,
        '-subj',
        `/CN=${name}/O=Independent Signer`,
      ],
      { stdio: 'pipe' },
    );
    execFileSync(
      'openssl',
      [
        'ca',
        '-batch',
        '-selfsign',
        '-config',
        config,
        '-keyfile',
        keyPath,
        '-in',
        csrPath,
        '-out',
        certPath,
        '-startdate',
        startDate,
        '-enddate',
        endDate,
        '-notext',
      ],
      { stdio: 'pipe' },
    );
    return this.identity(name, keyPath, certPath);
  }

  private identity(name: string, keyPath: string, certPath: string): TestIdentity {
    return { name, keyPath, certPath, keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8') };
  }

  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function toolAvailable(command: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
