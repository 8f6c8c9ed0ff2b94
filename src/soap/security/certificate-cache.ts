/**
 * Parsed facts and public keys of certificates, remembered by their exact text. Parsing an X.509
 * certificate twice per signed request (the one the message carries, the registered one) was 9% of a
 * signed request's CPU; a certificate's bytes determine everything cached here, so a hit can never be
 * stale. Validity against the clock and revocation are still decided per request from the store.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { describeCertificate, type CertificateFacts } from './certificate-info';

export interface ParsedCertificate {
  readonly facts: CertificateFacts;
  readonly publicKey: KeyObject;
}

// Bounded: certificates arrive in messages, and a sender must not be able to grow our memory.
const byPem = new LRUCache<string, ParsedCertificate>({ max: 1_000 });
const byDer = new LRUCache<string, ParsedCertificate>({ max: 1_000 });

function remembered(
  cache: LRUCache<string, ParsedCertificate>,
  key: string,
  input: string | Buffer,
): ParsedCertificate {
  let parsed = cache.get(key);
  if (parsed === undefined) {
    const facts = describeCertificate(input);
    parsed = { facts, publicKey: createPublicKey(facts.pem) };
    cache.set(key, parsed);
  }
  return parsed;
}

/** A registered certificate's PEM text: facts and key (throws CertificateFormatError like describeCertificate). */
export function parsedPem(pem: string): ParsedCertificate {
  return remembered(byPem, pem, pem);
}

/** DER bytes a message presents (BinarySecurityToken, X509Certificate). */
export function parsedDer(der: Buffer): ParsedCertificate {
  return remembered(byDer, der.toString('base64'), der);
}
