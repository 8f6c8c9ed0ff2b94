/**
 * Independent signers and verifiers for the tests: zeep (python3-zeep + python3-xmlsec) and the
 * xmlsec1 command. Our own code never produces the signed requests the suite checks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestIdentity, TestPki } from './pki';

const PYTHON = '/usr/bin/python3';
const ZEEP_SCRIPT = join(__dirname, '..', '..', '..', 'fixtures', 'security', 'zeep_wsse.py');

export const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
export const S12 = 'http://www.w3.org/2003/05/soap-envelope';
export const DS = 'http://www.w3.org/2000/09/xmldsig#';
export const WSA = 'http://www.w3.org/2005/08/addressing';
/** WS-Addressing header blocks a template may sign through their wsu:Id. */
const WSA_HEADERS = ['Action', 'To', 'MessageID', 'ReplyTo'];

export function zeepAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import zeep.wsse.signature, xmlsec'], { stdio: 'pipe' }).status === 0;
}

export function xmlsec1Available(): boolean {
  return spawnSync('xmlsec1', ['--version'], { stdio: 'pipe' }).status === 0;
}

export interface ZeepSignOptions {
  signature?: 'binary' | 'issuerserial';
  signer?: TestIdentity;
  algorithm?: 'sha256' | 'sha1';
  timestamp?: boolean;
  username?: string;
  password?: string;
  digest?: boolean;
}

export function zeepSign(envelope: string, options: ZeepSignOptions): string {
  const json = JSON.stringify({
    action: 'sign',
    signature: options.signature ?? null,
    key: options.signer?.keyPath,
    cert: options.signer?.certPath,
    algorithm: options.algorithm ?? 'sha256',
    timestamp: options.timestamp ?? true,
    username: options.username,
    password: options.password,
    digest: options.digest ?? false,
  });
  return execFileSync(PYTHON, [ZEEP_SCRIPT, json], { input: envelope, stdio: ['pipe', 'pipe', 'pipe'] }).toString(
    'utf8',
  );
}

export function zeepVerify(envelope: string, certPath: string): boolean {
  const result = spawnSync(PYTHON, [ZEEP_SCRIPT, JSON.stringify({ action: 'verify', cert: certPath })], {
    input: envelope,
  });
  return result.status === 0 && result.stdout.toString() === 'verified';
}

/** `idElements` ("namespace:local") name further elements whose Id attribute a Reference may point to. */
export function xmlsec1Sign(
  pki: TestPki,
  template: string,
  signer: TestIdentity,
  idElements: readonly string[] = [],
): string {
  const input = pki.file(`template-${process.hrtime.bigint()}.xml`, template);
  return execFileSync(
    'xmlsec1',
    [
      '--sign',
      '--privkey-pem',
      signer.keyPath,
      '--id-attr:Id',
      `${S11}:Body`,
      '--id-attr:Id',
      `${S12}:Body`,
      '--id-attr:Id',
      `${WSU}:Timestamp`,
      '--id-attr:Id',
      `${WSSE}:UsernameToken`,
      ...idElements.flatMap((name) => ['--id-attr:Id', name]),
      ...WSA_HEADERS.flatMap((local) => ['--id-attr:Id', `${WSA}:${local}`]),
      input,
    ],
    { stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 },
  ).toString('utf8');
}

export function xmlsec1Verify(
  pki: TestPki,
  signed: string,
  certPath: string,
  soapNs = S11,
): { ok: boolean; output: string } {
  const input = pki.file(`verify-${process.hrtime.bigint()}.xml`, signed);
  const result = spawnSync(
    'xmlsec1',
    [
      '--verify',
      '--pubkey-cert-pem',
      certPath,
      '--id-attr:Id',
      `${soapNs}:Body`,
      '--id-attr:Id',
      `${WSU}:Timestamp`,
      input,
    ],
    { stdio: 'pipe' },
  );
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export interface TemplateOptions {
  certificateDerBase64?: string;
  keyReference: 'bst' | 'ski' | 'thumbprint' | 'issuerserial';
  ski?: string;
  sha1Thumbprint?: string;
  issuerName?: string;
  serial?: string;
  /** Ids to reference, in order (default TS-1 and Body-1). */
  references?: string[];
  signatureMethod?: string;
  digestMethod?: string;
  created: string;
  expires?: string;
  payloadText?: string;
  /** Extra XML placed inside wsse:Security before the Signature. */
  extraSecurityXml?: string;
  /** Extra header blocks placed in soap:Header after wsse:Security (e.g. WS-Addressing headers with wsu:Id). */
  extraHeaderXml?: string;
  /** SOAP 1.2 envelope instead of 1.1. */
  soap12?: boolean;
  /** exc-c14n InclusiveNamespaces PrefixList on SignedInfo and every Reference, as WSS4J writes it. */
  inclusivePrefixes?: string;
  /** Further elements ("namespace:local") whose wsu:Id References may name (xmlsec1Sign's idElements). */
  idElements?: string[];
}

/** The xmlsec1 template of the recipe, with the STR form chosen by the test. */
export function xmlsecTemplate(options: TemplateOptions): string {
  const signatureMethod = options.signatureMethod ?? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  const digestMethod = options.digestMethod ?? 'http://www.w3.org/2001/04/xmlenc#sha256';
  const inclusive = options.inclusivePrefixes
    ? `<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="${options.inclusivePrefixes}"/>`
    : '';
  const references = (options.references ?? ['TS-1', 'Body-1'])
    .map(
      (id) =>
        `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">${inclusive}</ds:Transform></ds:Transforms>` +
        `<ds:DigestMethod Algorithm="${digestMethod}"/><ds:DigestValue></ds:DigestValue></ds:Reference>`,
    )
    .join('');
  const x509Token = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
  const base64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
  const bst =
    options.keyReference === 'bst'
      ? `<wsse:BinarySecurityToken wsu:Id="X509-1" ValueType="${x509Token}" EncodingType="${base64}">${options.certificateDerBase64}</wsse:BinarySecurityToken>`
      : '';
  const str = {
    bst: `<wsse:Reference URI="#X509-1" ValueType="${x509Token}"/>`,
    ski: `<wsse:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier" EncodingType="${base64}">${options.ski}</wsse:KeyIdentifier>`,
    thumbprint: `<wsse:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1" EncodingType="${base64}">${options.sha1Thumbprint}</wsse:KeyIdentifier>`,
    issuerserial: `<ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>${options.issuerName}</ds:X509IssuerName><ds:X509SerialNumber>${options.serial}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data>`,
  }[options.keyReference];
  const expires = options.expires ? `<wsu:Expires>${options.expires}</wsu:Expires>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="${options.soap12 ? S12 : S11}" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" xmlns:ds="${DS}">
<soap:Header><wsse:Security soap:mustUnderstand="1">${bst}<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>${options.created}</wsu:Created>${expires}</wsu:Timestamp>${options.extraSecurityXml ?? ''}<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">${inclusive}</ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="${signatureMethod}"/>${references}</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><wsse:SecurityTokenReference>${str}</wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature></wsse:Security>${options.extraHeaderXml ?? ''}</soap:Header>
<soap:Body wsu:Id="Body-1"><e:EchoPrimitivesRequest xmlns:e="urn:example:echo"><stringValue>${options.payloadText ?? 'signed by xmlsec1'}</stringValue></e:EchoPrimitivesRequest></soap:Body>
</soap:Envelope>
`;
}

export function opensslIssuerRfc2253(certPath: string): string {
  return execFileSync('openssl', ['x509', '-in', certPath, '-noout', '-issuer', '-nameopt', 'RFC2253'])
    .toString('utf8')
    .trim()
    .replace(/^issuer=/, '');
}
