/**
 * Parsed facts and public keys of certificates, remembered by their exact text. Parsing an X.509
 * certificate twice per signed request (the one the message carries, the registered one) was 9% of a
 * signed request's CPU; a certificate's bytes determine everything cached here, so a hit can never be
 * stale. Validity against the clock and revocation are still decided per request from the store.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { describeCertificate, type CertificateFacts } from './cli-certs';

export interface ParsedCertificate {
  readonly facts: CertificateFacts;
  readonly publicKey: KeyObject;
}

// Bounded: certificates arrive in messages, and a sender must not be able to grow our memory.
const byPem = new LRUCache<string, ParsedCertificate>({ max: 1_000 });
const byDer = new LRUCache<string, ParsedCertificate>({ max: 1_000 });

function parse(input: string | Buffer): ParsedCertificate {
  const facts = describeCertificate(input);
  return { facts, publicKey: createPublicKey(facts.pem) };
}

/** A registered certificate's PEM text: facts and key (throws CertificateFormatError like describeCertificate). */
export function parsedPem(pem: string): ParsedCertificate {
  let parsed = byPem.get(pem);
  if (parsed === undefined) {
    parsed = parse(pem);
    byPem.set(pem, parsed);
  }
  return parsed;
}

/** DER bytes a message presents (BinarySecurityToken, X509Certificate). */
export function parsedDer(der: Buffer): ParsedCertificate {
  const key = der.toString('base64');
  let parsed = byDer.get(key);
  if (parsed === undefined) {
    parsed = parse(der);
    byDer.set(key, parsed);
  }
  return parsed;
}
