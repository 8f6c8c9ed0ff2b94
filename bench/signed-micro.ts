/**
 * In-process cost of one signed request's security work, without HTTP: parse (into the DOM, as the endpoint does for signed messages) and
 * processSecurityHeader, over distinct messages signed like the signed-small scenario's.
 *   tsx bench/signed-micro.ts [count] [messages-dir]
 * With a messages-dir, the signed messages (and key/cert) are kept there and reused by later runs, so a
 * CPU profile of a rerun shows verification only, not signing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parseEnvelope } from '../src/soap/envelope';
import { domNodeOf } from '../src/soap/xml/dom';
import { processSecurityHeader } from '../src/soap/security/security-header';
import { InMemoryReplayCache } from '../src/soap/security/replay-cache';
import { InMemoryCredentialStore } from '../src/soap/security/store';
import { getOrderPayload, orderIdFor } from './data';
import { signMessage } from './sign';

/** This thread's CPU time (not wall time: the machine is shared), in ns. */
function cpuNs(): bigint {
  const { user, system } = process.cpuUsage();
  return BigInt(user + system) * 1000n;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2000);
  const dir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'signed-micro-'));
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const messagesPath = join(dir, `messages-${count}.json`);
  if (!existsSync(certPath)) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-sha256',
        '-days',
        '2',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-subj',
        '/CN=bench',
      ],
      { stdio: 'ignore' },
    );
  }
  if (!existsSync(messagesPath)) {
    const privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
    const certBase64 = new X509Certificate(readFileSync(certPath)).raw.toString('base64');
    const base = Date.now();
    const signed = Array.from({ length: count }, (_, i) =>
      signMessage(privateKey, certBase64, new Date(base - i), getOrderPayload(orderIdFor(1))),
    );
    writeFileSync(messagesPath, JSON.stringify({ base, signed }));
  }
  const saved = JSON.parse(readFileSync(messagesPath, 'utf8')) as { base: number; signed: string[] };
  const messages = saved.signed.map((m) => Buffer.from(m));
  // Verified as of just after signing, so kept messages stay inside the Timestamp window on reruns.
  const now = new Date(saved.base + 1_000);
  const store = new InMemoryCredentialStore()
    .addAccount({
      principal: { id: 'p', name: 'P', roles: [] },
      username: 'p',
      policy: { requireSignature: true, requireTimestamp: true },
    })
    .addCertificatePem('p', readFileSync(certPath, 'utf8'));
  const replayCache = new InMemoryReplayCache();
  const run = async (from: number, to: number): Promise<{ parseUs: number; securityUs: number }> => {
    let parseNs = 0n;
    let securityNs = 0n;
    for (let i = from; i < to; i++) {
      const raw = messages[i]!;
      const t0 = cpuNs();
      const envelope = parseEnvelope(raw, { dom: true });
      const t1 = cpuNs();
      await processSecurityHeader(
        { envelope, nodeOf: domNodeOf, now },
        { store, replayCache, maxAgeSeconds: 300, futureSkewSeconds: 60 },
      );
      const t2 = cpuNs();
      parseNs += t1 - t0;
      securityNs += t2 - t1;
    }
    const n = BigInt(to - from);
    return { parseUs: Number(parseNs / n) / 1000, securityUs: Number(securityNs / n) / 1000 };
  };
  await run(0, count / 2);
  const measured = await run(count / 2, count);
  process.stdout.write(
    `per signed message: parse ${measured.parseUs.toFixed(1)} us, security header ${measured.securityUs.toFixed(1)} us\n`,
  );
}

void main();
