/**
 * Processes the wsse:Security header of one request: finds the single header block meant for us,
 * checks Timestamp, UsernameToken and X.509 signature, enforces the partner's policy and the replay
 * cache, and answers who the caller is. Pure engine code: storage is reached through CredentialStore.
 */
import {
  SOAP11_ACTOR_NEXT,
  SOAP11_ENVELOPE_NS,
  SOAP12_ENVELOPE_NS,
  SOAP12_ROLE_NEXT,
  SOAP12_ROLE_ULTIMATE_RECEIVER,
} from '../constants';
import type { ParsedEnvelope, Principal, SoapHeaderBlock } from '../pipeline';
import type { XmlElement } from '../xml/element';
import { DS_NS, WSSE_NS, WSU_NS } from './constants';
import { childElements, descendantsNamed, indexIds, rejectCommentsAndInstructions, rejectDoctype } from './dom-rules';
import { wssFault } from './faults';
import { replayKey, type ReplayCache } from './replay-cache';
import type { CredentialStore, SecurityPolicy } from './store';
import { identifyClientCertificate } from './client-certificate';
import { checkTimestamp, type CheckedTimestamp, type TimeWindow } from './timestamp';
import { readUsernameToken, verifyUsernameToken } from './username-token';
import type { PasswordCheck } from './verified-passwords';
import { verifyX509Signature, type VerifiedSignature } from './x509-signature';

export interface SecurityProcessorOptions {
  readonly store: CredentialStore;
  readonly replayCache: ReplayCache;
  readonly maxAgeSeconds: number;
  readonly futureSkewSeconds: number;
  /** How PasswordText is checked (default: scrypt every time; see verified-passwords.ts). */
  readonly checkPassword?: PasswordCheck;
  /** Bound on the canonical octets a signature's References digest together (see x509-signature.ts). */
  readonly maxSignedBytes?: number;
}

export interface SecuredRequest {
  readonly envelope: ParsedEnvelope;
  /** The DOM node behind an element view of `envelope` (DOM-parsed envelopes only). */
  readonly nodeOf: (view: XmlElement) => Node | undefined;
  readonly now: Date;
  /** DER of the HTTPS client certificate the TLS handshake verified, if any (see client-certificate.ts). */
  readonly clientCertificate?: Buffer;
}

export interface SecurityOutcome {
  readonly principal: Principal;
  readonly policy: SecurityPolicy;
  /** The header block processed (to mark it understood); none when the TLS client certificate alone authenticated. */
  readonly header?: SoapHeaderBlock;
  readonly signature?: VerifiedSignature;
  readonly timestamp?: CheckedTimestamp;
}

function targetsUs(block: SoapHeaderBlock, version: ParsedEnvelope['version']): boolean {
  if (block.role === undefined || block.role === '') return true;
  return version === '1.1'
    ? block.role === SOAP11_ACTOR_NEXT
    : block.role === SOAP12_ROLE_NEXT || block.role === SOAP12_ROLE_ULTIMATE_RECEIVER;
}

function viewDescendants(root: XmlElement, ns: string, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  const stack = [root];
  while (stack.length) {
    const element = stack.pop()!;
    if (element.ns === ns && element.local === local) found.push(element);
    stack.push(...element.children);
  }
  return found;
}

const KNOWN_CHILDREN = new Set([
  `${WSU_NS} Timestamp`,
  `${WSSE_NS} UsernameToken`,
  `${WSSE_NS} BinarySecurityToken`,
  `${DS_NS} Signature`,
]);

interface SecurityParts {
  timestamp?: XmlElement;
  usernameToken?: XmlElement;
  signature?: XmlElement;
}

function partsOf(security: XmlElement): SecurityParts {
  const parts: SecurityParts = {};
  for (const child of security.children) {
    const key = `${child.ns} ${child.local}`;
    if (!KNOWN_CHILDREN.has(key)) throw wssFault('InvalidSecurity', `unexpected ${child.local} in wsse:Security`);
    const slot =
      child.local === 'Timestamp'
        ? 'timestamp'
        : child.local === 'UsernameToken'
          ? 'usernameToken'
          : child.local === 'Signature'
            ? 'signature'
            : undefined;
    if (!slot) continue;
    if (parts[slot]) throw wssFault('InvalidSecurity', `more than one ${child.local} in wsse:Security`);
    parts[slot] = child;
  }
  return parts;
}

interface DomContext {
  document: Document;
  security: Element;
  signature: Element;
  body: Element;
  timestamp?: Element;
}

/** Resolves our views to DOM nodes and checks the document-wide rules a signature depends on. */
function domContext(
  request: SecuredRequest,
  security: XmlElement,
  signature: XmlElement,
  timestamp?: XmlElement,
): DomContext {
  const { envelope } = request;
  const document = envelope.dom as Document | undefined;
  const securityNode = request.nodeOf(security);
  const signatureNode = request.nodeOf(signature);
  const bodyNode = request.nodeOf(envelope.body);
  if (!document || !securityNode || !signatureNode || !bodyNode) {
    throw wssFault('InvalidSecurity', 'a signed message was not parsed into the DOM');
  }
  rejectDoctype(document);
  const root = document.documentElement!;
  const soapNs = envelope.version === '1.1' ? SOAP11_ENVELOPE_NS : SOAP12_ENVELOPE_NS;
  const bodies = childElements(root).filter((el) => el.namespaceURI === soapNs && el.localName === 'Body');
  if (bodies.length !== 1 || bodies[0] !== bodyNode)
    throw wssFault('InvalidSecurity', "the dispatched Body is not the Envelope's only Body");
  const signatures = descendantsNamed(root, DS_NS, 'Signature');
  if (signatures.length !== 1 || signatures[0] !== signatureNode || signatureNode.parentNode !== securityNode) {
    throw wssFault(
      'InvalidSecurity',
      `expected exactly one ds:Signature, in our wsse:Security; found ${signatures.length}`,
    );
  }
  rejectCommentsAndInstructions(securityNode as Element, 'wsse:Security');
  const timestampNode = timestamp ? request.nodeOf(timestamp) : undefined;
  if (timestamp && !timestampNode) throw wssFault('InvalidSecurity', 'Timestamp not in the DOM');
  return {
    document,
    security: securityNode as Element,
    signature: signatureNode as Element,
    body: bodyNode as Element,
    timestamp: timestampNode as Element | undefined,
  };
}

/**
 * A signed element in the SOAP Header (outside our wsse:Security) must be a header block itself, and the
 * only block of its name: interceptors read header blocks (wsa:Action, wsa:To, ...) by name among the
 * Header's children, so a signed block moved into a wrapper, or an unsigned twin beside it, would let
 * them act on a node the signature does not cover.
 */
function isWithin(ancestor: Node, node: Node): boolean {
  for (let at: Node | null = node; at; at = at.parentNode) if (at === ancestor) return true;
  return false;
}

function checkSignedHeaderBlocks(dom: DomContext, signed: ReadonlySet<Element>): void {
  const header = dom.security.parentNode;
  if (!header) return;
  for (const element of signed) {
    if (element === dom.body || isWithin(dom.security, element) || !isWithin(header, element)) continue;
    if (element.parentNode !== header) {
      throw wssFault('InvalidSecurity', `the signed ${element.localName} is not a header block of its own`);
    }
    const twins = childElements(header).filter(
      (el) => el.namespaceURI === element.namespaceURI && el.localName === element.localName,
    );
    if (twins.length !== 1)
      throw wssFault('InvalidSecurity', `the signed header block ${element.localName} appears ${twins.length} times`);
  }
}

export async function processSecurityHeader(
  request: SecuredRequest,
  options: SecurityProcessorOptions,
): Promise<SecurityOutcome> {
  const { envelope, now } = request;
  const window: TimeWindow = {
    now,
    maxAgeSeconds: options.maxAgeSeconds,
    futureSkewSeconds: options.futureSkewSeconds,
  };
  const ours = envelope.headers.filter(
    (block) => block.element.ns === WSSE_NS && block.element.local === 'Security' && targetsUs(block, envelope.version),
  );
  // A registered client certificate names its account whatever the message says; it authenticates on its
  // own only when that account's policy allows mutual TLS (requireSignature still demands a signature).
  const tls =
    request.clientCertificate === undefined
      ? undefined
      : await identifyClientCertificate(request.clientCertificate, options.store, now);
  if (ours.length === 0) {
    if (tls === undefined || !tls.policy.mutualTls) throw wssFault('FailedAuthentication', 'no wsse:Security header');
    if (tls.policy.requireSignature) throw wssFault('InvalidSecurity', 'the partner policy requires a signature');
    return { principal: { ...tls.principal, authenticatedBy: 'TLS' }, policy: tls.policy };
  }
  if (ours.length > 1) throw wssFault('InvalidSecurity', `${ours.length} wsse:Security headers for this receiver`);
  const header = ours[0]!;
  const parts = partsOf(header.element);

  const allTimestamps = envelope.headers.flatMap((block) => viewDescendants(block.element, WSU_NS, 'Timestamp'));
  if (allTimestamps.length > 1)
    throw wssFault('InvalidSecurity', `${allTimestamps.length} wsu:Timestamp elements in the headers`);
  const timestamp = parts.timestamp ? checkTimestamp(parts.timestamp, window) : undefined;

  let signature: VerifiedSignature | undefined;
  if (parts.signature) {
    const dom = domContext(request, header.element, parts.signature, parts.timestamp);
    const ids = indexIds(dom.document);
    signature = await verifyX509Signature({
      ids,
      security: dom.security,
      signature: dom.signature,
      store: options.store,
      now,
      maxSignedBytes: options.maxSignedBytes,
    });
    if (!signature.signedElements.has(dom.body)) throw wssFault('InvalidSecurity', 'the dispatched Body is not signed');
    // Without a signed Timestamp nothing bounds how long a signed message stays acceptable, and the replay
    // fingerprint is kept only as long as a Timestamp allows (WSS4J refuses such messages by default too).
    if (!dom.timestamp || !signature.signedElements.has(dom.timestamp)) {
      throw wssFault('InvalidSecurity', 'a signature requires a signed Timestamp');
    }
    checkSignedHeaderBlocks(dom, signature.signedElements);
  }

  let usernameAuth: { principal: Principal; policy: SecurityPolicy; how: string; nonce?: Buffer } | undefined;
  if (parts.usernameToken) {
    const fields = readUsernameToken(parts.usernameToken);
    const account = await options.store.findAccountByUsername(fields.username);
    if (!(await verifyUsernameToken(fields, account, window, options.checkPassword)) || !account) {
      throw wssFault('FailedAuthentication', `UsernameToken for "${fields.username}" not accepted`);
    }
    usernameAuth = {
      principal: account.principal,
      policy: account.policy,
      how: fields.passwordType === 'digest' ? 'UsernameToken/PasswordDigest' : 'UsernameToken/PasswordText',
      nonce: fields.nonce,
    };
  }

  if (!signature && !usernameAuth) throw wssFault('FailedAuthentication', 'neither a UsernameToken nor a signature');
  if (signature && usernameAuth && signature.certificate.principal.id !== usernameAuth.principal.id) {
    throw wssFault('FailedAuthentication', 'the certificate and the UsernameToken name different partners');
  }
  const identity = usernameAuth ?? {
    principal: signature!.certificate.principal,
    policy: signature!.certificate.policy,
  };
  if (tls !== undefined && tls.principal.id !== identity.principal.id) {
    throw wssFault('FailedAuthentication', 'the TLS client certificate and the message name different partners');
  }
  const policy = identity.policy;
  if (policy.requireTimestamp && !timestamp)
    throw wssFault('InvalidSecurity', 'the partner policy requires a Timestamp');
  if (policy.requireSignature && !signature)
    throw wssFault('InvalidSecurity', 'the partner policy requires a signature');

  // Replay checks last, so a rejected message never burns a nonce or a fingerprint.
  const ttlMs = (options.maxAgeSeconds + options.futureSkewSeconds) * 1000;
  if (usernameAuth?.nonce && !(await options.replayCache.remember(replayKey('nonce', usernameAuth.nonce), ttlMs))) {
    throw wssFault('InvalidSecurity', 'UsernameToken nonce replayed');
  }
  if (signature) {
    // Keyed on the verified signature bytes alone: they fix the SignedInfo, hence every signed node.
    const key = replayKey('signed', signature.signatureValue);
    if (!(await options.replayCache.remember(key, ttlMs))) throw wssFault('InvalidSecurity', 'signed message replayed');
  }

  const how = [signature ? 'X509' : undefined, usernameAuth?.how, tls ? 'TLS' : undefined].filter(Boolean).join('+');
  return {
    principal: { ...identity.principal, authenticatedBy: how },
    policy,
    header,
    signature,
    timestamp,
  };
}
