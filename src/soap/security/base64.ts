/**
 * xs:base64Binary as WS-Security values carry it (SignatureValue, DigestValue, BinarySecurityToken,
 * X509Certificate, KeyIdentifier, Nonce): XML whitespace may separate the characters, nothing else is
 * tolerated. Node's Buffer.from(text, 'base64') is lenient (base64url, missing padding, stray characters
 * skipped, unused bits ignored), so many spellings decode to one value; a replay key or a comparison made
 * on a spelling could then be dodged by re-spelling. Here exactly one spelling (modulo whitespace) of a
 * value is accepted: the one Buffer#toString('base64') writes back.
 */
import { wssFault, type WssFaultCode } from './faults';

const XML_WHITESPACE = /[ \t\r\n]+/g;
const ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/** The canonical decoding, or undefined when `text` is not a canonical xs:base64Binary value. */
export function decodeCanonicalBase64(text: string): Buffer | undefined {
  const compact = text.replace(XML_WHITESPACE, '');
  if (compact.length % 4 !== 0 || !ALPHABET.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  // Non-zero bits in the last character before the padding decode to the same bytes: refused too.
  return bytes.toString('base64') === compact ? bytes : undefined;
}

/** decodeCanonicalBase64 that answers a WS-Security fault (with `code`) for junk or an empty value. */
export function decodeBase64Value(text: string, what: string, code: WssFaultCode): Buffer {
  const bytes = decodeCanonicalBase64(text);
  if (bytes === undefined) throw wssFault(code, `${what} is not canonical base64Binary`);
  if (bytes.length === 0) throw wssFault(code, `${what} is empty`);
  return bytes;
}
