/**
 * Pre-signs distinct SOAP 1.1 requests for the signed-small scenario with xml-crypto (not with the
 * engine's code): a wsse:Security header holding a wsu:Timestamp (Created = signing time, Expires = +5 min) and
 * the client certificate as a BinarySecurityToken, and an RSA-SHA256 / exc-c14n / SHA-256 ds:Signature
 * over Timestamp and Body whose KeyInfo references the token. Message i has Created = base - i ms, so
 * every message has its own Created and hence its own signature (the server's replay cache accepts
 * each once), and parallel signers given the same base and disjoint index ranges never collide.
 *
 *   node sign.js <key.pem> <cert.pem> <base-epoch-ms> <first-index> <count> <out-file> [<action> <payload-file>]
 * writes them as records for bench/wrk/post.lua (the SOAPAction line, then the message). Without the last
 * two the payload is the bench WSDL's GetOrder; with them, the payload file's text with every `{i}`
 * replaced by the message index (the end-to-end scenarios sign the service's own operations this way).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { GET_ORDER_ACTION, SOAP11_NS, getOrderPayload, orderIdFor } from './data';
import { RECORD_SEPARATOR, recordOf } from './lib/load';

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const X509V3 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
const BASE64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

function unsignedMessage(certificateBase64: string, created: Date, payload: string): string {
  const expires = new Date(created.getTime() + 300_000);
  return (
    `<soap:Envelope xmlns:soap="${SOAP11_NS}" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}">` +
    `<soap:Header><wsse:Security soap:mustUnderstand="1">` +
    `<wsse:BinarySecurityToken wsu:Id="X509-1" ValueType="${X509V3}" EncodingType="${BASE64}">${certificateBase64}</wsse:BinarySecurityToken>` +
    `<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>${created.toISOString()}</wsu:Created><wsu:Expires>${expires.toISOString()}</wsu:Expires></wsu:Timestamp>` +
    `</wsse:Security></soap:Header><soap:Body wsu:Id="Body-1">${payload}</soap:Body></soap:Envelope>`
  );
}

export function signMessage(privateKey: KeyObject, certificateBase64: string, created: Date, payload: string): string {
  const signer = new SignedXml({
    privateKey,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: EXC_C14N,
    idMode: 'wssecurity',
    getKeyInfoContent: () =>
      `<wsse:SecurityTokenReference><wsse:Reference URI="#X509-1" ValueType="${X509V3}"/></wsse:SecurityTokenReference>`,
  });
  for (const id of ['TS-1', 'Body-1']) {
    signer.addReference({
      xpath: `//*[@*[local-name(.)='Id' and namespace-uri(.)='${WSU}']='${id}']`,
      transforms: [EXC_C14N],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
  }
  signer.computeSignature(unsignedMessage(certificateBase64, created, payload), {
    prefix: 'ds',
    location: { reference: `//*[local-name(.)='Security' and namespace-uri(.)='${WSSE}']`, action: 'append' },
  });
  return signer.getSignedXml();
}

if (require.main === module) {
  const [keyPath, certPath, baseText, firstText, countText, outFile, actionArg, payloadFile] = process.argv.slice(2);
  if (outFile === undefined)
    throw new Error('usage: sign.js <key.pem> <cert.pem> <base-epoch-ms> <first-index> <count> <out-file>');
  const privateKey = createPrivateKey(readFileSync(keyPath!, 'utf8'));
  const certificateBase64 = new X509Certificate(readFileSync(certPath!)).raw.toString('base64');
  const count = Number(countText);
  const first = Number(firstText);
  const base = Number(baseText);
  const template = payloadFile === undefined ? getOrderPayload(orderIdFor(1)) : readFileSync(payloadFile, 'utf8');
  const action = actionArg ?? GET_ORDER_ACTION;
  const messages: string[] = [];
  for (let i = first; i < first + count; i++) {
    const payload = template.replaceAll('{i}', String(i));
    messages.push(recordOf({ action, body: signMessage(privateKey, certificateBase64, new Date(base - i), payload) }));
  }
  writeFileSync(outFile, messages.join(RECORD_SEPARATOR));
}
