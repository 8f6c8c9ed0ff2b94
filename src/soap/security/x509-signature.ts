/**
 * X.509 signature verification (WSS X.509 Token Profile 1.1): XML-DSig core validation on the one DOM
 * the message was parsed into, with xml-crypto's canonicalization and digest/signature algorithms and the
 * anti-wrapping rules the library leaves to us. The key always comes from a REGISTERED certificate; a
 * certificate carried in the message only selects one and must equal it byte for byte.
 *
 * Why not SignedXml.checkSignature: it re-parses the whole text into a second DOM and finds every
 * Reference and its ancestor namespaces with XPath scans of the document (3 per Reference), and we then
 * had to canonicalize our own nodes a second time to bind its verdict to the nodes we dispatch. That was
 * 70% of a signed request's CPU. Here each Reference is resolved through our Id index (Ids already
 * checked unique), so the digested node IS the dispatched node: there is no second copy to bind.
 * Canonicalization (SignedXml.getCanonXml with xml-crypto's algorithm registry, ancestor namespaces by
 * xml-crypto's own findAncestorNsForElement) and the RSA/digest algorithms remain xml-crypto's.
 */
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
// Not re-exported by the package index; it is the function SignedXml itself uses for the same purpose.
import { findAncestorNsForElement } from 'xml-crypto/lib/utils';
import {
  BASE64_BINARY,
  C14N,
  DS_NS,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  THUMBPRINT_SHA1,
  WSSE_NS,
  X509V3_TOKEN,
  X509_SKI,
} from './constants';
import {
  REFERENCE_TRANSFORMS,
  RsaSha384,
  SIGNED_INFO_C14N_METHODS,
  Sha384,
  allowedDigestMethods,
  allowedSignatureMethods,
} from './algorithms';
import { decodeBase64Value } from './base64';
import { parsedDer, parsedPem } from './certificate-cache';
import { normalizeDistinguishedName, normalizeSerial } from './certificate-info';
import { childElements, childElementsNamed, directText, rejectCommentsAndInstructions } from './dom-rules';
import { WssFault, wssFault } from './faults';
import type { CertificateRef, CredentialStore, RegisteredCertificate } from './store';

export const MAX_REFERENCES = 8;
export const MAX_TRANSFORMS = 3;
/** Default bound on the canonical octets all References digest together (SignatureCheckInput.maxSignedBytes). */
export const MAX_SIGNED_BYTES = 8 * 1024 * 1024;
/** Longest accepted DigestValue (SHA-512) and InclusiveNamespaces PrefixList: SignedInfo is checked unauthenticated. */
const MAX_DIGEST_BYTES = 64;
const MAX_INCLUSIVE_PREFIXES = 32;

export interface SignatureCheckInput {
  /** Index of every Id in the one DOM the message was parsed into (see indexIds), already checked unique. */
  readonly ids: Map<string, Element>;
  /** Our wsse:Security header element. */
  readonly security: Element;
  /** The single ds:Signature, a child of `security`. */
  readonly signature: Element;
  readonly store: CredentialStore;
  readonly now: Date;
  /** Bound on the canonical octets digested for all References together (default MAX_SIGNED_BYTES). */
  readonly maxSignedBytes?: number;
}

export interface VerifiedSignature {
  readonly certificate: RegisteredCertificate;
  /** The nodes of the message's DOM the verified References point to. */
  readonly signedElements: ReadonlySet<Element>;
  /** The SignatureValue bytes that verified (the replay fingerprint: one value, whatever its spelling). */
  readonly signatureValue: Buffer;
  /** Algorithms used, for the log. */
  readonly signatureMethod: string;
}

interface ParsedReference {
  readonly id: string;
  readonly transforms: string[];
  /** PrefixList of the last Transform's ec:InclusiveNamespaces (exclusive c14n). */
  readonly inclusivePrefixes: string[];
  readonly digestMethod: string;
  readonly digestValue: Buffer;
}

interface ParsedSignedInfo {
  readonly element: Element;
  readonly c14nMethod: string;
  readonly c14nInclusivePrefixes: string[];
  readonly signatureMethod: string;
  readonly references: ParsedReference[];
  readonly signatureValue: Buffer;
}

/** PrefixList of an ec:InclusiveNamespaces child ("#default" names the default namespace). */
function inclusivePrefixesOf(parent: Element | undefined): string[] {
  if (parent === undefined) return [];
  const lists = childElementsNamed(parent, EXC_C14N, 'InclusiveNamespaces');
  if (lists.length > 1) throw wssFault('InvalidSecurity', `several InclusiveNamespaces in ${parent.localName}`);
  if (lists.length === 0) return [];
  const prefixes = (lists[0]!.getAttribute('PrefixList') ?? '').split(/[ \t\r\n]+/).filter((p) => p.length > 0);
  if (prefixes.length > MAX_INCLUSIVE_PREFIXES)
    throw wssFault('InvalidSecurity', `InclusiveNamespaces with ${prefixes.length} prefixes`);
  return prefixes;
}

function exactlyOne(
  parent: Element,
  ns: string,
  local: string,
  code: 'InvalidSecurity' | 'FailedCheck' = 'InvalidSecurity',
): Element {
  const found = childElementsNamed(parent, ns, local);
  if (found.length !== 1)
    throw wssFault(code, `expected exactly one ${local} in ${parent.localName}, found ${found.length}`);
  return found[0]!;
}

function algorithmOf(element: Element): string {
  const algorithm = element.getAttribute('Algorithm');
  if (!algorithm) throw wssFault('InvalidSecurity', `${element.localName} without Algorithm`);
  return algorithm;
}

/** Reads SignedInfo from our DOM and applies the shape rules (bounded, #id only, no duplicates). */
function readSignedInfo(signature: Element): ParsedSignedInfo {
  const signedInfo = exactlyOne(signature, DS_NS, 'SignedInfo');
  const signatureValue = decodeBase64Value(
    directText(exactlyOne(signature, DS_NS, 'SignatureValue')),
    'SignatureValue',
    'InvalidSecurity',
  );
  const c14nElement = exactlyOne(signedInfo, DS_NS, 'CanonicalizationMethod');
  const c14nMethod = algorithmOf(c14nElement);
  const signatureMethodElement = exactlyOne(signedInfo, DS_NS, 'SignatureMethod');
  if (childElements(signatureMethodElement).length > 0) {
    throw wssFault('UnsupportedAlgorithm', 'SignatureMethod parameters (e.g. HMACOutputLength) are not accepted');
  }
  const signatureMethod = algorithmOf(signatureMethodElement);
  const referenceElements = childElementsNamed(signedInfo, DS_NS, 'Reference');
  const stray = childElements(signedInfo).find(
    (el) =>
      el.namespaceURI !== DS_NS || !['CanonicalizationMethod', 'SignatureMethod', 'Reference'].includes(el.localName!),
  );
  if (stray) throw wssFault('InvalidSecurity', `unexpected ${stray.localName} in SignedInfo`);
  if (referenceElements.length === 0 || referenceElements.length > MAX_REFERENCES) {
    throw wssFault(
      'InvalidSecurity',
      `SignedInfo has ${referenceElements.length} References (1..${MAX_REFERENCES} allowed)`,
    );
  }
  const seen = new Set<string>();
  const references = referenceElements.map((reference): ParsedReference => {
    const uri = reference.getAttribute('URI') ?? '';
    if (!/^#[^#'"\s]+$/.test(uri))
      throw wssFault('InvalidSecurity', `Reference URI "${uri}" is not a same-document #id`);
    const id = uri.slice(1);
    if (seen.has(id)) throw wssFault('InvalidSecurity', `two References to #${id}`);
    seen.add(id);
    const transformsElements = childElementsNamed(reference, DS_NS, 'Transforms');
    if (transformsElements.length > 1) throw wssFault('InvalidSecurity', 'Reference with several Transforms');
    const transformElements = transformsElements.length ? childElements(transformsElements[0]!) : [];
    const transforms = transformElements.map((transform) => {
      if (transform.namespaceURI !== DS_NS || transform.localName !== 'Transform') {
        throw wssFault('InvalidSecurity', `unexpected ${transform.localName} in Transforms`);
      }
      return algorithmOf(transform);
    });
    if (transforms.length > MAX_TRANSFORMS)
      throw wssFault('InvalidSecurity', `Reference with ${transforms.length} Transforms`);
    const unsupported = transforms.find((t) => !REFERENCE_TRANSFORMS.includes(t));
    if (unsupported) throw wssFault('UnsupportedAlgorithm', `transform ${unsupported}`);
    const digestValue = decodeBase64Value(
      directText(exactlyOne(reference, DS_NS, 'DigestValue')),
      'DigestValue',
      'InvalidSecurity',
    );
    if (digestValue.length > MAX_DIGEST_BYTES)
      throw wssFault('InvalidSecurity', `DigestValue of ${digestValue.length} bytes`);
    const digestMethod = algorithmOf(exactlyOne(reference, DS_NS, 'DigestMethod'));
    return {
      id,
      transforms,
      inclusivePrefixes: inclusivePrefixesOf(transformElements.at(-1)),
      digestMethod,
      digestValue,
    };
  });
  return {
    element: signedInfo,
    c14nMethod,
    c14nInclusivePrefixes: inclusivePrefixesOf(c14nElement),
    signatureMethod,
    references,
    signatureValue,
  };
}

function checkAlgorithms(signedInfo: ParsedSignedInfo, allowLegacy: boolean): void {
  if (!SIGNED_INFO_C14N_METHODS.includes(signedInfo.c14nMethod)) {
    throw wssFault('UnsupportedAlgorithm', `canonicalization ${signedInfo.c14nMethod}`);
  }
  if (!allowedSignatureMethods(allowLegacy).includes(signedInfo.signatureMethod)) {
    throw wssFault('UnsupportedAlgorithm', `signature method ${signedInfo.signatureMethod}`);
  }
  const digests = allowedDigestMethods(allowLegacy);
  const badDigest = signedInfo.references.find((r) => !digests.includes(r.digestMethod));
  if (badDigest) throw wssFault('UnsupportedAlgorithm', `digest method ${badDigest.digestMethod}`);
}

// --- Key resolution --------------------------------------------------------------------------------

interface KeySelection {
  readonly ref: CertificateRef;
  /** DER of a certificate the message itself carries; must equal the registered one. */
  readonly presented?: Buffer;
  readonly how: string;
}

function decodeBase64Strict(text: string, what: string): Buffer {
  return decodeBase64Value(text, what, 'InvalidSecurityToken');
}

function fromBinarySecurityToken(token: Element): KeySelection {
  const valueType = token.getAttribute('ValueType');
  const encodingType = token.getAttribute('EncodingType') || BASE64_BINARY;
  if (valueType !== X509V3_TOKEN)
    throw wssFault('UnsupportedSecurityToken', `BinarySecurityToken ValueType ${valueType}`);
  if (encodingType !== BASE64_BINARY)
    throw wssFault('UnsupportedSecurityToken', `BinarySecurityToken EncodingType ${encodingType}`);
  const der = decodeBase64Strict(directText(token), 'BinarySecurityToken');
  let facts;
  try {
    facts = parsedDer(der).facts;
  } catch {
    throw wssFault('InvalidSecurityToken', 'BinarySecurityToken is not an X.509 certificate');
  }
  return { ref: { sha256Thumbprint: facts.sha256Thumbprint }, presented: facts.der, how: 'BinarySecurityToken' };
}

function fromX509Data(x509Data: Element): KeySelection {
  const issuerSerials = childElementsNamed(x509Data, DS_NS, 'X509IssuerSerial');
  const certificates = childElementsNamed(x509Data, DS_NS, 'X509Certificate');
  if (issuerSerials.length > 1 || certificates.length > 1) throw wssFault('InvalidSecurity', 'ambiguous X509Data');
  const presented = certificates.length
    ? decodeBase64Strict(directText(certificates[0]!), 'X509Certificate')
    : undefined;
  // zeep's Signature writes an empty X509IssuerSerial next to the certificate; only a filled one selects.
  if (issuerSerials.length === 1 && childElements(issuerSerials[0]!).length > 0) {
    const issuerName = directText(exactlyOne(issuerSerials[0]!, DS_NS, 'X509IssuerName'));
    const serial = normalizeSerial(directText(exactlyOne(issuerSerials[0]!, DS_NS, 'X509SerialNumber')));
    if (!serial) throw wssFault('InvalidSecurityToken', 'X509SerialNumber is not a decimal integer');
    return { ref: { issuer: normalizeDistinguishedName(issuerName), serial }, presented, how: 'IssuerSerial' };
  }
  if (presented) {
    try {
      return {
        ref: { sha256Thumbprint: parsedDer(presented).facts.sha256Thumbprint },
        presented,
        how: 'X509Certificate',
      };
    } catch {
      throw wssFault('InvalidSecurityToken', 'X509Certificate is not an X.509 certificate');
    }
  }
  throw wssFault('UnsupportedSecurityToken', 'X509Data without X509IssuerSerial or X509Certificate');
}

function fromKeyIdentifier(keyIdentifier: Element): KeySelection {
  const valueType = keyIdentifier.getAttribute('ValueType');
  const encodingType = keyIdentifier.getAttribute('EncodingType') || BASE64_BINARY;
  if (encodingType !== BASE64_BINARY)
    throw wssFault('UnsupportedSecurityToken', `KeyIdentifier EncodingType ${encodingType}`);
  const value = decodeBase64Strict(directText(keyIdentifier), 'KeyIdentifier').toString('hex');
  if (valueType === X509_SKI) return { ref: { ski: value }, how: 'SubjectKeyIdentifier' };
  if (valueType === THUMBPRINT_SHA1) return { ref: { sha1Thumbprint: value }, how: 'ThumbprintSHA1' };
  throw wssFault('UnsupportedSecurityToken', `KeyIdentifier ValueType ${valueType}`);
}

/** KeyInfo -> SecurityTokenReference -> which registered certificate (and what the message presents). */
function selectKey(signature: Element, security: Element, ids: Map<string, Element>): KeySelection {
  const keyInfo = exactlyOne(signature, DS_NS, 'KeyInfo');
  const keyInfoChildren = childElements(keyInfo);
  if (keyInfoChildren.length !== 1)
    throw wssFault('InvalidSecurity', 'KeyInfo must hold exactly one SecurityTokenReference');
  const str = keyInfoChildren[0]!;
  if (str.namespaceURI !== WSSE_NS || str.localName !== 'SecurityTokenReference') {
    throw wssFault('UnsupportedSecurityToken', `KeyInfo holds ${str.localName}, expected wsse:SecurityTokenReference`);
  }
  const strChildren = childElements(str);
  if (strChildren.length !== 1)
    throw wssFault('InvalidSecurity', 'SecurityTokenReference must hold exactly one reference');
  const reference = strChildren[0]!;
  if (reference.namespaceURI === WSSE_NS && reference.localName === 'Reference') {
    const uri = reference.getAttribute('URI') ?? '';
    const valueType = reference.getAttribute('ValueType');
    if (valueType && valueType !== X509V3_TOKEN)
      throw wssFault('UnsupportedSecurityToken', `Reference ValueType ${valueType}`);
    if (!uri.startsWith('#'))
      throw wssFault('SecurityTokenUnavailable', `token reference ${uri} is not in this message`);
    const token = ids.get(uri.slice(1));
    if (
      !token ||
      token.parentNode !== security ||
      token.namespaceURI !== WSSE_NS ||
      token.localName !== 'BinarySecurityToken'
    ) {
      throw wssFault('SecurityTokenUnavailable', `no BinarySecurityToken ${uri} in the Security header`);
    }
    return fromBinarySecurityToken(token);
  }
  if (reference.namespaceURI === WSSE_NS && reference.localName === 'KeyIdentifier')
    return fromKeyIdentifier(reference);
  if (reference.namespaceURI === DS_NS && reference.localName === 'X509Data') return fromX509Data(reference);
  throw wssFault('UnsupportedSecurityToken', `SecurityTokenReference with ${reference.localName}`);
}

interface ResolvedCertificate {
  readonly registered: RegisteredCertificate;
  readonly publicKey: KeyObject;
}

async function resolveCertificate(
  selection: KeySelection,
  store: CredentialStore,
  now: Date,
): Promise<ResolvedCertificate> {
  const registered = await store.findCertificate(selection.ref);
  if (!registered || registered.disabled) {
    throw wssFault(
      'FailedAuthentication',
      `no registered certificate for ${selection.how} ${JSON.stringify(selection.ref)}`,
    );
  }
  if (registered.otherHolders !== undefined && registered.otherHolders.length > 0) {
    throw wssFault(
      'FailedAuthentication',
      `${selection.how} ${JSON.stringify(selection.ref)} names a certificate identity held by several partners`,
    );
  }
  const { facts, publicKey } = parsedPem(registered.certificatePem);
  if (selection.presented && !selection.presented.equals(facts.der)) {
    throw wssFault(
      'FailedAuthentication',
      `the certificate in the message is not the registered one (${selection.how})`,
    );
  }
  const notBefore = Math.max(registered.notBefore.getTime(), facts.notBefore.getTime());
  const notAfter = Math.min(registered.notAfter.getTime(), facts.notAfter.getTime());
  if (now.getTime() < notBefore || now.getTime() > notAfter) {
    throw wssFault('InvalidSecurityToken', `certificate ${facts.sha256Thumbprint} outside its validity period`);
  }
  if (registered.revokedAt && registered.revokedAt.getTime() <= now.getTime()) {
    throw wssFault('InvalidSecurityToken', `certificate ${facts.sha256Thumbprint} revoked`);
  }
  return { registered, publicKey };
}

// --- Verification ----------------------------------------------------------------------------------

/**
 * A SignedXml whose registries hold only what the policy allows: it canonicalizes and supplies the
 * digest and signature algorithm implementations. Built once per policy flag; it keeps no per-message
 * state (getCanonXml reads signatureNode only for the enveloped-signature transform, and that case gets
 * a fresh instance, see canonicalizerFor).
 */
function signedXmlFor(allowLegacy: boolean): SignedXml {
  const signedXml = new SignedXml({ getCertFromKeyInfo: () => null });
  const signatureAlgorithms = allowedSignatureMethods(allowLegacy);
  const registry = { ...signedXml.SignatureAlgorithms, [new RsaSha384().getAlgorithmName()]: RsaSha384 };
  signedXml.SignatureAlgorithms = Object.fromEntries(
    Object.entries(registry).filter(([name]) => signatureAlgorithms.includes(name)),
  );
  const digestAlgorithms = allowedDigestMethods(allowLegacy);
  const hashes = { ...signedXml.HashAlgorithms, [new Sha384().getAlgorithmName()]: Sha384 };
  signedXml.HashAlgorithms = Object.fromEntries(
    Object.entries(hashes).filter(([name]) => digestAlgorithms.includes(name)),
  );
  signedXml.CanonicalizationAlgorithms = Object.fromEntries(
    Object.entries(signedXml.CanonicalizationAlgorithms).filter(([name]) => REFERENCE_TRANSFORMS.includes(name)),
  );
  return signedXml;
}

const SHARED = { modern: signedXmlFor(false), legacy: signedXmlFor(true) };

function canonicalizerFor(signedInfo: ParsedSignedInfo, signature: Element, allowLegacy: boolean): SignedXml {
  if (!signedInfo.references.some((r) => r.transforms.includes(ENVELOPED_SIGNATURE))) {
    return allowLegacy ? SHARED.legacy : SHARED.modern;
  }
  // The enveloped-signature transform removes "the" signature, which SignedXml knows from loadSignature.
  const signedXml = signedXmlFor(allowLegacy);
  signedXml.loadSignature(signature);
  return signedXml;
}

/** The octets a Reference's digest covers: its transforms, then C14N when they end on a node-set (XML-DSig 4.4.3.2). */
function referenceTransforms(reference: ParsedReference): string[] {
  const transforms = [...reference.transforms];
  if (transforms.length === 0 || transforms[transforms.length - 1] === ENVELOPED_SIGNATURE) transforms.push(C14N);
  return transforms;
}

/**
 * Canonical octets of `node` after `transforms`, by xml-crypto. getCanonXml deep-clones the node first
 * because some transforms change their input; xmldom's clone cost 2-4x the canonicalization itself (51
 * vs 13 us for a SignedInfo). A single C14N or exclusive C14N transform only reads the node, except
 * that exclusive C14N declares InclusiveNamespaces prefixes on it (given, or found in a
 * CanonicalizationMethod child): those cases, and every other transform chain, still go through
 * getCanonXml. Both paths give the same octets (test/soap/security/canonicalize.test.ts).
 */
export function canonicalize(
  signedXml: SignedXml,
  transforms: readonly string[],
  node: Element,
  inclusivePrefixes: readonly string[],
): string {
  const options = {
    inclusiveNamespacesPrefixList: [...inclusivePrefixes],
    ancestorNamespaces: findAncestorNsForElement(node),
    defaultNsForPrefix: SignedXml.defaultNsForPrefix,
  };
  const only = transforms.length === 1 ? transforms[0]! : undefined;
  if ((only === EXC_C14N || only === C14N) && inclusivePrefixes.length === 0 && !namesInclusiveNamespaces(node)) {
    const Algorithm = signedXml.CanonicalizationAlgorithms[only as keyof typeof signedXml.CanonicalizationAlgorithms];
    if (Algorithm) return new Algorithm().process(node, options) as string;
  }
  return signedXml.getCanonXml([...transforms], node, options);
}

/** What makes xml-crypto's exclusive C14N add attributes to its input (see canonicalize). */
function namesInclusiveNamespaces(node: Element): boolean {
  for (const child of childElements(node)) {
    if (
      child.localName === 'CanonicalizationMethod' &&
      childElements(child).some((c) => c.localName === 'InclusiveNamespaces')
    )
      return true;
  }
  return false;
}

function sameDigest(computedBase64: string, expected: Buffer): boolean {
  const computed = Buffer.from(computedBase64, 'base64');
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/**
 * The elements the References point to, in SignedInfo order. A referenced element inside another one is
 * refused: its octets would be canonicalized and digested again for each enclosing Reference (8 nested
 * References over a 930 KB Body were 8 digests of it), and no WS-Security profile signs nested parts.
 */
function referencedElements(signedInfo: ParsedSignedInfo, ids: Map<string, Element>): Element[] {
  const elements = signedInfo.references.map((reference) => {
    const element = ids.get(reference.id);
    if (!element) throw wssFault('FailedCheck', `reference #${reference.id} points to no element`);
    return element;
  });
  const referenced = new Set(elements);
  for (const element of elements) {
    for (let ancestor = element.parentNode; ancestor; ancestor = ancestor.parentNode) {
      if (referenced.has(ancestor as Element))
        throw wssFault('InvalidSecurity', 'a referenced element lies inside another referenced element');
    }
  }
  return elements;
}

/**
 * XML-DSig core validation in the order that keeps unauthenticated work small: the shape of SignedInfo,
 * the registered key, then the signature over the canonical SignedInfo (a few KB), and only once that
 * verified, the References' digests (the bulk of the octets), bounded by maxSignedBytes.
 */
export async function verifyX509Signature(input: SignatureCheckInput): Promise<VerifiedSignature> {
  const { signature, security, ids } = input;
  rejectCommentsAndInstructions(signature, 'ds:Signature');
  const signedInfo = readSignedInfo(signature);
  const selection = selectKey(signature, security, ids);
  const { registered: certificate, publicKey } = await resolveCertificate(selection, input.store, input.now);
  const allowLegacy = certificate.policy.allowLegacyAlgorithms;
  checkAlgorithms(signedInfo, allowLegacy);
  const elements = referencedElements(signedInfo, ids);
  const signedXml = canonicalizerFor(signedInfo, signature, allowLegacy);
  const maxSignedBytes = input.maxSignedBytes ?? MAX_SIGNED_BYTES;

  const signedElements = new Set<Element>();
  try {
    // Signature validation (XML-DSig 3.2.2) over the canonical form of the SignedInfo we just read.
    const canonicalSignedInfo = canonicalize(
      signedXml,
      [signedInfo.c14nMethod],
      signedInfo.element,
      signedInfo.c14nInclusivePrefixes,
    );
    const Algorithm =
      signedXml.SignatureAlgorithms[signedInfo.signatureMethod as keyof typeof signedXml.SignatureAlgorithms];
    if (!Algorithm) throw wssFault('UnsupportedAlgorithm', `signature method ${signedInfo.signatureMethod}`);
    if (
      new Algorithm().verifySignature(canonicalSignedInfo, publicKey, signedInfo.signatureValue.toString('base64')) !==
      true
    ) {
      throw wssFault('FailedCheck', 'the signature value does not verify');
    }
    // Reference validation (XML-DSig 3.2.1): the digest of OUR node, found through the unique-Id index.
    let signedBytes = 0;
    signedInfo.references.forEach((reference, index) => {
      const element = elements[index]!;
      const canonical = canonicalize(signedXml, referenceTransforms(reference), element, reference.inclusivePrefixes);
      signedBytes += Buffer.byteLength(canonical, 'utf8');
      if (signedBytes > maxSignedBytes)
        throw wssFault('InvalidSecurity', `the References cover more than ${maxSignedBytes} canonical bytes`);
      const Hash = signedXml.HashAlgorithms[reference.digestMethod as keyof typeof signedXml.HashAlgorithms];
      if (!Hash) throw wssFault('UnsupportedAlgorithm', `digest method ${reference.digestMethod}`);
      if (!sameDigest(new Hash().getHash(canonical), reference.digestValue)) {
        throw wssFault('FailedCheck', `the digest of #${reference.id} does not verify`);
      }
      signedElements.add(element);
    });
  } catch (error) {
    if (error instanceof WssFault) throw error;
    throw wssFault('FailedCheck', `signature rejected: ${(error as Error).message}`);
  }
  return {
    certificate,
    signedElements,
    signatureValue: signedInfo.signatureValue,
    signatureMethod: signedInfo.signatureMethod,
  };
}
