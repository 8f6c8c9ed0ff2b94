/**
 * X.509 signature verification (WSS X.509 Token Profile 1.1) with xml-crypto, plus the anti-wrapping
 * rules the library leaves to us. The key always comes from a REGISTERED certificate; a certificate
 * carried in the message only selects one and must equal it byte for byte.
 *
 * Binding between "xml-crypto says valid" and "the node we dispatch": xml-crypto re-parses the text and
 * verifies its own copy. After it answers true we canonicalize OUR node for every verified Reference
 * with the Reference's transforms and require the exact octets xml-crypto digested and the signature
 * covers. The dispatched Body and the single Timestamp must be among those nodes (DOM identity).
 */
import { SignedXml, findAncestorNs } from 'xml-crypto';
import {
  BASE64_BINARY,
  DS_NS,
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
import { describeCertificate, normalizeDistinguishedName, normalizeSerial } from './cli-certs';
import { childElements, childElementsNamed, directText, rejectCommentsAndInstructions } from './dom-rules';
import { wssFault } from './faults';
import type { CertificateRef, CredentialStore, RegisteredCertificate } from './store';

export const MAX_REFERENCES = 8;
export const MAX_TRANSFORMS = 3;

export interface SignatureCheckInput {
  /** The one DOM the message was parsed into. */
  readonly document: Document;
  /** The text `document` was parsed from; xml-crypto parses its own copy of it. */
  readonly xmlText: string;
  /** Index of every Id in `document` (see indexIds), already checked unique. */
  readonly ids: Map<string, Element>;
  /** Our wsse:Security header element. */
  readonly security: Element;
  /** The single ds:Signature, a child of `security`. */
  readonly signature: Element;
  readonly store: CredentialStore;
  readonly now: Date;
}

export interface VerifiedSignature {
  readonly certificate: RegisteredCertificate;
  /** The nodes of `document` the verified References point to. */
  readonly signedElements: ReadonlySet<Element>;
  readonly signatureValue: string;
  /** Algorithms used, for the log. */
  readonly signatureMethod: string;
}

interface ParsedReference {
  readonly id: string;
  readonly transforms: string[];
  readonly digestMethod: string;
}

interface ParsedSignedInfo {
  readonly c14nMethod: string;
  readonly signatureMethod: string;
  readonly references: ParsedReference[];
}

function exactlyOne(parent: Element, ns: string, local: string, code: 'InvalidSecurity' | 'FailedCheck' = 'InvalidSecurity'): Element {
  const found = childElementsNamed(parent, ns, local);
  if (found.length !== 1) throw wssFault(code, `expected exactly one ${local} in ${parent.localName}, found ${found.length}`);
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
  exactlyOne(signature, DS_NS, 'SignatureValue');
  const c14nMethod = algorithmOf(exactlyOne(signedInfo, DS_NS, 'CanonicalizationMethod'));
  const signatureMethodElement = exactlyOne(signedInfo, DS_NS, 'SignatureMethod');
  if (childElements(signatureMethodElement).length > 0) {
    throw wssFault('UnsupportedAlgorithm', 'SignatureMethod parameters (e.g. HMACOutputLength) are not accepted');
  }
  const signatureMethod = algorithmOf(signatureMethodElement);
  const referenceElements = childElementsNamed(signedInfo, DS_NS, 'Reference');
  const stray = childElements(signedInfo).find(
    (el) => el.namespaceURI !== DS_NS || !['CanonicalizationMethod', 'SignatureMethod', 'Reference'].includes(el.localName!),
  );
  if (stray) throw wssFault('InvalidSecurity', `unexpected ${stray.localName} in SignedInfo`);
  if (referenceElements.length === 0 || referenceElements.length > MAX_REFERENCES) {
    throw wssFault('InvalidSecurity', `SignedInfo has ${referenceElements.length} References (1..${MAX_REFERENCES} allowed)`);
  }
  const seen = new Set<string>();
  const references = referenceElements.map((reference): ParsedReference => {
    const uri = reference.getAttribute('URI') ?? '';
    if (!/^#[^#'"\s]+$/.test(uri)) throw wssFault('InvalidSecurity', `Reference URI "${uri}" is not a same-document #id`);
    const id = uri.slice(1);
    if (seen.has(id)) throw wssFault('InvalidSecurity', `two References to #${id}`);
    seen.add(id);
    const transformsElements = childElementsNamed(reference, DS_NS, 'Transforms');
    if (transformsElements.length > 1) throw wssFault('InvalidSecurity', 'Reference with several Transforms');
    const transforms = transformsElements.length
      ? childElements(transformsElements[0]!).map((transform) => {
          if (transform.namespaceURI !== DS_NS || transform.localName !== 'Transform') {
            throw wssFault('InvalidSecurity', `unexpected ${transform.localName} in Transforms`);
          }
          return algorithmOf(transform);
        })
      : [];
    if (transforms.length > MAX_TRANSFORMS) throw wssFault('InvalidSecurity', `Reference with ${transforms.length} Transforms`);
    const unsupported = transforms.find((t) => !REFERENCE_TRANSFORMS.includes(t));
    if (unsupported) throw wssFault('UnsupportedAlgorithm', `transform ${unsupported}`);
    exactlyOne(reference, DS_NS, 'DigestValue');
    const digestMethod = algorithmOf(exactlyOne(reference, DS_NS, 'DigestMethod'));
    return { id, transforms, digestMethod };
  });
  return { c14nMethod, signatureMethod, references };
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
  const compact = text.replace(/\s+/g, '');
  if (!compact || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw wssFault('InvalidSecurityToken', `${what} is not base64`);
  }
  return Buffer.from(compact, 'base64');
}

function fromBinarySecurityToken(token: Element): KeySelection {
  const valueType = token.getAttribute('ValueType');
  const encodingType = token.getAttribute('EncodingType') || BASE64_BINARY;
  if (valueType !== X509V3_TOKEN) throw wssFault('UnsupportedSecurityToken', `BinarySecurityToken ValueType ${valueType}`);
  if (encodingType !== BASE64_BINARY) throw wssFault('UnsupportedSecurityToken', `BinarySecurityToken EncodingType ${encodingType}`);
  const der = decodeBase64Strict(directText(token), 'BinarySecurityToken');
  let facts;
  try {
    facts = describeCertificate(der);
  } catch {
    throw wssFault('InvalidSecurityToken', 'BinarySecurityToken is not an X.509 certificate');
  }
  return { ref: { sha256Thumbprint: facts.sha256Thumbprint }, presented: facts.der, how: 'BinarySecurityToken' };
}

function fromX509Data(x509Data: Element): KeySelection {
  const issuerSerials = childElementsNamed(x509Data, DS_NS, 'X509IssuerSerial');
  const certificates = childElementsNamed(x509Data, DS_NS, 'X509Certificate');
  if (issuerSerials.length > 1 || certificates.length > 1) throw wssFault('InvalidSecurity', 'ambiguous X509Data');
  const presented = certificates.length ? decodeBase64Strict(directText(certificates[0]!), 'X509Certificate') : undefined;
  // zeep's Signature writes an empty X509IssuerSerial next to the certificate; only a filled one selects.
  if (issuerSerials.length === 1 && childElements(issuerSerials[0]!).length > 0) {
    const issuerName = directText(exactlyOne(issuerSerials[0]!, DS_NS, 'X509IssuerName'));
    const serial = normalizeSerial(directText(exactlyOne(issuerSerials[0]!, DS_NS, 'X509SerialNumber')));
    if (!serial) throw wssFault('InvalidSecurityToken', 'X509SerialNumber is not a decimal integer');
    return { ref: { issuer: normalizeDistinguishedName(issuerName), serial }, presented, how: 'IssuerSerial' };
  }
  if (presented) {
    try {
      return { ref: { sha256Thumbprint: describeCertificate(presented).sha256Thumbprint }, presented, how: 'X509Certificate' };
    } catch {
      throw wssFault('InvalidSecurityToken', 'X509Certificate is not an X.509 certificate');
    }
  }
  throw wssFault('UnsupportedSecurityToken', 'X509Data without X509IssuerSerial or X509Certificate');
}

function fromKeyIdentifier(keyIdentifier: Element): KeySelection {
  const valueType = keyIdentifier.getAttribute('ValueType');
  const encodingType = keyIdentifier.getAttribute('EncodingType') || BASE64_BINARY;
  if (encodingType !== BASE64_BINARY) throw wssFault('UnsupportedSecurityToken', `KeyIdentifier EncodingType ${encodingType}`);
  const value = decodeBase64Strict(directText(keyIdentifier), 'KeyIdentifier').toString('hex');
  if (valueType === X509_SKI) return { ref: { ski: value }, how: 'SubjectKeyIdentifier' };
  if (valueType === THUMBPRINT_SHA1) return { ref: { sha1Thumbprint: value }, how: 'ThumbprintSHA1' };
  throw wssFault('UnsupportedSecurityToken', `KeyIdentifier ValueType ${valueType}`);
}

/** KeyInfo -> SecurityTokenReference -> which registered certificate (and what the message presents). */
function selectKey(signature: Element, security: Element, ids: Map<string, Element>): KeySelection {
  const keyInfo = exactlyOne(signature, DS_NS, 'KeyInfo');
  const keyInfoChildren = childElements(keyInfo);
  if (keyInfoChildren.length !== 1) throw wssFault('InvalidSecurity', 'KeyInfo must hold exactly one SecurityTokenReference');
  const str = keyInfoChildren[0]!;
  if (str.namespaceURI !== WSSE_NS || str.localName !== 'SecurityTokenReference') {
    throw wssFault('UnsupportedSecurityToken', `KeyInfo holds ${str.localName}, expected wsse:SecurityTokenReference`);
  }
  const strChildren = childElements(str);
  if (strChildren.length !== 1) throw wssFault('InvalidSecurity', 'SecurityTokenReference must hold exactly one reference');
  const reference = strChildren[0]!;
  if (reference.namespaceURI === WSSE_NS && reference.localName === 'Reference') {
    const uri = reference.getAttribute('URI') ?? '';
    const valueType = reference.getAttribute('ValueType');
    if (valueType && valueType !== X509V3_TOKEN) throw wssFault('UnsupportedSecurityToken', `Reference ValueType ${valueType}`);
    if (!uri.startsWith('#')) throw wssFault('SecurityTokenUnavailable', `token reference ${uri} is not in this message`);
    const token = ids.get(uri.slice(1));
    if (!token || token.parentNode !== security || token.namespaceURI !== WSSE_NS || token.localName !== 'BinarySecurityToken') {
      throw wssFault('SecurityTokenUnavailable', `no BinarySecurityToken ${uri} in the Security header`);
    }
    return fromBinarySecurityToken(token);
  }
  if (reference.namespaceURI === WSSE_NS && reference.localName === 'KeyIdentifier') return fromKeyIdentifier(reference);
  if (reference.namespaceURI === DS_NS && reference.localName === 'X509Data') return fromX509Data(reference);
  throw wssFault('UnsupportedSecurityToken', `SecurityTokenReference with ${reference.localName}`);
}

async function resolveCertificate(selection: KeySelection, store: CredentialStore, now: Date): Promise<RegisteredCertificate> {
  const registered = await store.findCertificate(selection.ref);
  if (!registered || registered.disabled) {
    throw wssFault('FailedAuthentication', `no registered certificate for ${selection.how} ${JSON.stringify(selection.ref)}`);
  }
  const facts = describeCertificate(registered.certificatePem);
  if (selection.presented && !selection.presented.equals(facts.der)) {
    throw wssFault('FailedAuthentication', `the certificate in the message is not the registered one (${selection.how})`);
  }
  const notBefore = Math.max(registered.notBefore.getTime(), facts.notBefore.getTime());
  const notAfter = Math.min(registered.notAfter.getTime(), facts.notAfter.getTime());
  if (now.getTime() < notBefore || now.getTime() > notAfter) {
    throw wssFault('InvalidSecurityToken', `certificate ${facts.sha256Thumbprint} outside its validity period`);
  }
  if (registered.revokedAt && registered.revokedAt.getTime() <= now.getTime()) {
    throw wssFault('InvalidSecurityToken', `certificate ${facts.sha256Thumbprint} revoked`);
  }
  return registered;
}

// --- Verification ----------------------------------------------------------------------------------

function signedXmlFor(certificatePem: string, allowLegacy: boolean): SignedXml {
  const signedXml = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  const signatureAlgorithms = allowedSignatureMethods(allowLegacy);
  const registry = { ...signedXml.SignatureAlgorithms, [new RsaSha384().getAlgorithmName()]: RsaSha384 };
  signedXml.SignatureAlgorithms = Object.fromEntries(
    Object.entries(registry).filter(([name]) => signatureAlgorithms.includes(name)),
  );
  const digestAlgorithms = allowedDigestMethods(allowLegacy);
  const hashes = { ...signedXml.HashAlgorithms, [new Sha384().getAlgorithmName()]: Sha384 };
  signedXml.HashAlgorithms = Object.fromEntries(Object.entries(hashes).filter(([name]) => digestAlgorithms.includes(name)));
  signedXml.CanonicalizationAlgorithms = Object.fromEntries(
    Object.entries(signedXml.CanonicalizationAlgorithms).filter(([name]) => REFERENCE_TRANSFORMS.includes(name)),
  );
  return signedXml;
}

export async function verifyX509Signature(input: SignatureCheckInput): Promise<VerifiedSignature> {
  const { document, signature, security, ids } = input;
  rejectCommentsAndInstructions(signature, 'ds:Signature');
  const signedInfo = readSignedInfo(signature);
  const selection = selectKey(signature, security, ids);
  const certificate = await resolveCertificate(selection, input.store, input.now);
  checkAlgorithms(signedInfo, certificate.policy.allowLegacyAlgorithms);

  const signedXml = signedXmlFor(certificate.certificatePem, certificate.policy.allowLegacyAlgorithms);
  let valid: boolean;
  try {
    signedXml.loadSignature(signature);
    valid = signedXml.checkSignature(input.xmlText);
  } catch (error) {
    throw wssFault('FailedCheck', `signature rejected: ${(error as Error).message}`);
  }
  if (valid !== true) throw wssFault('FailedCheck', 'signature or a reference digest does not verify');

  const verified = signedXml.getReferences();
  if (verified.length !== signedInfo.references.length) throw wssFault('FailedCheck', 'reference count changed in canonical SignedInfo');
  const signedElements = new Set<Element>();
  for (const [index, reference] of verified.entries()) {
    // The library read its References from the canonical form of the very SignedInfo we checked above.
    if (reference.uri !== `#${signedInfo.references[index]!.id}`) throw wssFault('FailedCheck', 'verified References differ from SignedInfo');
    const element = ids.get(reference.uri.slice(1));
    if (!element || reference.signedReference === undefined) throw wssFault('FailedCheck', `reference ${reference.uri} not verified`);
    const ourCanonical = signedXml.getCanonXml(reference.transforms, element, {
      inclusiveNamespacesPrefixList: reference.inclusiveNamespacesPrefixList,
      ancestorNamespaces: findAncestorNs(document, reference.xpath),
    });
    if (ourCanonical !== reference.signedReference) {
      throw wssFault('FailedCheck', `the node ${reference.uri} in our document is not the content that was verified`);
    }
    signedElements.add(element);
  }
  const signatureValue = directText(exactlyOne(signature, DS_NS, 'SignatureValue')).replace(/\s+/g, '');
  return { certificate, signedElements, signatureValue, signatureMethod: signedInfo.signatureMethod };
}
