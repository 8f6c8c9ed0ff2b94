/**
 * Signed responses: a wsse:Security header with a fresh wsu:Timestamp, the service certificate as a
 * BinarySecurityToken, and a ds:Signature (RSA-SHA256, exc-c14n, SHA-256) over Body and Timestamp whose
 * KeyInfo points at the token (wsse:Reference), the form WSS4J, WCF, zeep and xmlsec1 verify.
 */
import { randomUUID } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS } from '../constants';
import { BASE64_BINARY, DIGEST_SHA256, EXC_C14N, RSA_SHA256, WSSE_NS, WSU_NS, X509V3_TOKEN } from './constants';
import { describeCertificate } from './certificate-info';
import { childElements } from './dom-rules';

export interface ServiceKey {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export interface ResponseSigningOptions {
  readonly now: Date;
  /** Lifetime written into Expires. */
  readonly ttlSeconds: number;
}

const utcText = (date: Date) => date.toISOString();

function parseStrict(xml: string): Document {
  const errors: string[] = [];
  const document = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (m: string) => errors.push(m),
      fatalError: (m: string) => errors.push(m),
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length || !document.documentElement)
    throw new Error(`cannot sign a malformed response: ${errors[0] ?? 'empty'}`);
  return document;
}

export function signResponseEnvelope(xml: string, key: ServiceKey, options: ResponseSigningOptions): string {
  const document = parseStrict(xml);
  const envelope = document.documentElement!;
  const soapNs = envelope.namespaceURI;
  if (envelope.localName !== 'Envelope' || (soapNs !== SOAP11_ENVELOPE_NS && soapNs !== SOAP12_ENVELOPE_NS)) {
    throw new Error('the response is not a SOAP envelope');
  }
  const prefix = envelope.prefix ? `${envelope.prefix}:` : '';
  const body = childElements(envelope).find((el) => el.namespaceURI === soapNs && el.localName === 'Body');
  if (!body) throw new Error('the response envelope has no Body');
  let header = childElements(envelope).find((el) => el.namespaceURI === soapNs && el.localName === 'Header');
  if (!header) {
    header = document.createElementNS(soapNs, `${prefix}Header`);
    envelope.insertBefore(header, body);
  }

  const suffix = randomUUID();
  const timestampId = `TS-${suffix}`;
  const tokenId = `X509-${suffix}`;
  const bodyId = body.getAttributeNS(WSU_NS, 'Id') || `Body-${suffix}`;

  const security = document.createElementNS(WSSE_NS, 'wsse:Security');
  security.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wsse', WSSE_NS);
  security.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wsu', WSU_NS);
  security.setAttributeNS(soapNs, `${prefix}mustUnderstand`, soapNs === SOAP12_ENVELOPE_NS ? 'true' : '1');
  header.insertBefore(security, header.firstChild);

  const timestamp = document.createElementNS(WSU_NS, 'wsu:Timestamp');
  timestamp.setAttributeNS(WSU_NS, 'wsu:Id', timestampId);
  const created = document.createElementNS(WSU_NS, 'wsu:Created');
  created.appendChild(document.createTextNode(utcText(options.now)));
  const expires = document.createElementNS(WSU_NS, 'wsu:Expires');
  expires.appendChild(document.createTextNode(utcText(new Date(options.now.getTime() + options.ttlSeconds * 1000))));
  timestamp.appendChild(created);
  timestamp.appendChild(expires);
  security.appendChild(timestamp);

  const token = document.createElementNS(WSSE_NS, 'wsse:BinarySecurityToken');
  token.setAttributeNS(WSU_NS, 'wsu:Id', tokenId);
  token.setAttribute('ValueType', X509V3_TOKEN);
  token.setAttribute('EncodingType', BASE64_BINARY);
  token.appendChild(document.createTextNode(describeCertificate(key.certificatePem).der.toString('base64')));
  security.appendChild(token);

  if (!body.getAttributeNS(WSU_NS, 'Id')) {
    body.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wsu', WSU_NS);
    body.setAttributeNS(WSU_NS, 'wsu:Id', bodyId);
  }

  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    idMode: 'wssecurity',
    getKeyInfoContent: () =>
      `<wsse:SecurityTokenReference><wsse:Reference URI="#${tokenId}" ValueType="${X509V3_TOKEN}"/></wsse:SecurityTokenReference>`,
  });
  for (const id of [timestampId, bodyId]) {
    signer.addReference({
      xpath: `//*[@*[local-name(.)='Id' and namespace-uri(.)='${WSU_NS}']='${id}']`,
      transforms: [EXC_C14N],
      digestAlgorithm: DIGEST_SHA256,
    });
  }
  signer.computeSignature(new XMLSerializer().serializeToString(document), {
    prefix: 'ds',
    location: { reference: `//*[local-name(.)='Security' and namespace-uri(.)='${WSSE_NS}']`, action: 'append' },
  });
  return signer.getSignedXml();
}
