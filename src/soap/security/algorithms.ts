/**
 * The algorithms we accept, per policy, and the two xml-crypto lacks (RSA-SHA384, SHA-384), built on
 * node:crypto like xml-crypto's own. Anything not listed here is wsse:UnsupportedAlgorithm.
 */
import { createHash, createSign, createVerify, type BinaryLike, type KeyLike } from 'node:crypto';
import type { HashAlgorithm, SignatureAlgorithm } from 'xml-crypto';
import {
  C14N,
  DIGEST_SHA1,
  DIGEST_SHA256,
  DIGEST_SHA384,
  DIGEST_SHA512,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  RSA_SHA1,
  RSA_SHA256,
  RSA_SHA384,
  RSA_SHA512,
} from './constants';

export const MODERN_SIGNATURE_METHODS: readonly string[] = [RSA_SHA256, RSA_SHA384, RSA_SHA512];
export const LEGACY_SIGNATURE_METHODS: readonly string[] = [RSA_SHA1];
export const MODERN_DIGEST_METHODS: readonly string[] = [DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512];
export const LEGACY_DIGEST_METHODS: readonly string[] = [DIGEST_SHA1];
/** SignedInfo canonicalization: exclusive only (Basic Security Profile R5404). */
export const SIGNED_INFO_C14N_METHODS: readonly string[] = [EXC_C14N];
export const REFERENCE_TRANSFORMS: readonly string[] = [EXC_C14N, C14N, ENVELOPED_SIGNATURE];

export function allowedSignatureMethods(allowLegacy: boolean): readonly string[] {
  return allowLegacy ? [...MODERN_SIGNATURE_METHODS, ...LEGACY_SIGNATURE_METHODS] : MODERN_SIGNATURE_METHODS;
}

export function allowedDigestMethods(allowLegacy: boolean): readonly string[] {
  return allowLegacy ? [...MODERN_DIGEST_METHODS, ...LEGACY_DIGEST_METHODS] : MODERN_DIGEST_METHODS;
}

export class RsaSha384 implements SignatureAlgorithm {
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike): string;
  getSignature(
    signedInfo: BinaryLike,
    privateKey: KeyLike,
    callback?: (err: Error | null, result?: string) => void,
  ): void;
  getSignature(
    signedInfo: BinaryLike,
    privateKey: KeyLike,
    callback?: (err: Error | null, result?: string) => void,
  ): string | void {
    const signature = createSign('RSA-SHA384').update(signedInfo).sign(privateKey, 'base64');
    if (callback) return callback(null, signature);
    return signature;
  }

  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean;
  verifySignature(
    material: string,
    key: KeyLike,
    signatureValue: string,
    callback?: (err: Error | null, result?: boolean) => void,
  ): void;
  verifySignature(
    material: string,
    key: KeyLike,
    signatureValue: string,
    callback?: (err: Error | null, result?: boolean) => void,
  ): boolean | void {
    const valid = createVerify('RSA-SHA384').update(material).verify(key, signatureValue, 'base64');
    if (callback) return callback(null, valid);
    return valid;
  }

  getAlgorithmName(): string {
    return RSA_SHA384;
  }
}

export class Sha384 implements HashAlgorithm {
  getHash(xml: string): string {
    return createHash('sha384').update(xml, 'utf8').digest('base64');
  }

  getAlgorithmName(): string {
    return DIGEST_SHA384;
  }
}
