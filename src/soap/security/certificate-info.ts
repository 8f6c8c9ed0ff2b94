/**
 * Certificate facts in the exact formats the trust-store lookups use (pure functions; whoever registers,
 * lists or revokes certificates, and the stores, call them):
 *   sha1Thumbprint / sha256Thumbprint: lower-case hex of the hash of the DER certificate;
 *   ski: lower-case hex of the SubjectKeyIdentifier extension, else RFC 3280 method 1
 *        (SHA-1 of the subjectPublicKey BIT STRING contents);
 *   issuer: normalizeDistinguishedName(issuer), so "CN=a, O=b" (Java), "O=b,CN=a" (xmlsec) and
 *           "CN=a\nO=b" (node) compare equal;
 *   serial: decimal, as XML-DSig X509SerialNumber writes it.
 */
import { X509Certificate, createHash } from 'node:crypto';

export interface CertificateFacts {
  /** The certificate re-encoded as a canonical PEM (64-column base64). */
  readonly pem: string;
  readonly der: Buffer;
  readonly subject: string;
  readonly issuer: string;
  readonly serial: string;
  readonly sha1Thumbprint: string;
  readonly sha256Thumbprint: string;
  readonly ski: string;
  /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo: the key itself, whatever certificate carries it. */
  readonly publicKeySha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export class CertificateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateFormatError';
  }
}

export function derToPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Parses one PEM certificate (or DER bytes) with node:crypto's X509Certificate. */
export function describeCertificate(input: string | Buffer): CertificateFacts {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(input);
  } catch (error) {
    throw new CertificateFormatError(`not an X.509 certificate: ${(error as Error).message}`);
  }
  const der = certificate.raw;
  return {
    pem: derToPem(der),
    der,
    subject: certificate.subject,
    issuer: normalizeDistinguishedName(certificate.issuer),
    serial: BigInt(`0x${certificate.serialNumber}`).toString(10),
    sha1Thumbprint: createHash('sha1').update(der).digest('hex'),
    sha256Thumbprint: createHash('sha256').update(der).digest('hex'),
    ski: subjectKeyIdentifier(certificate),
    publicKeySha256: createHash('sha256')
      .update(certificate.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
  };
}

// --- Distinguished names ------------------------------------------------------------------------

const ATTRIBUTE_ALIASES: Record<string, string> = {
  '2.5.4.3': 'cn',
  '2.5.4.6': 'c',
  '2.5.4.7': 'l',
  '2.5.4.8': 'st',
  s: 'st',
  '2.5.4.9': 'street',
  '2.5.4.10': 'o',
  '2.5.4.11': 'ou',
  '2.5.4.5': 'serialnumber',
  '0.9.2342.19200300.100.1.25': 'dc',
  '0.9.2342.19200300.100.1.1': 'uid',
  '1.2.840.113549.1.9.1': 'emailaddress',
  e: 'emailaddress',
  email: 'emailaddress',
};

/** Splits at unescaped separators outside quotes. */
function splitUnescaped(text: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (!quoted && separators.includes(ch)) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(raw: string): string {
  let value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  const bytes: number[] = [];
  const out: string[] = [];
  const flush = () => {
    if (bytes.length) out.push(Buffer.from(bytes.splice(0)).toString('utf8'));
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch === '\\' && i + 1 < value.length) {
      flush();
      out.push(value[i + 1]!);
      i++;
    } else {
      flush();
      out.push(ch);
    }
  }
  flush();
  return out.join('');
}

/**
 * One canonical text for a DN written by node, OpenSSL/xmlsec (RFC 2253, reversed order), Java or .NET:
 * attribute types lower-cased and de-aliased, values unescaped, trimmed, whitespace collapsed and
 * lower-cased (caseIgnoreMatch), pairs sorted, joined by ','. Order-insensitive on purpose: writers
 * disagree on RDN order, and an issuer never repeats the same type=value pair with a different meaning.
 */
export function normalizeDistinguishedName(dn: string): string {
  const pairs = splitUnescaped(dn, ',;+\n')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [typePart, ...rest] = splitUnescaped(part, '=');
      const rawType = (typePart ?? '')
        .trim()
        .toLowerCase()
        .replace(/^oid\./, '');
      const type = ATTRIBUTE_ALIASES[rawType] ?? rawType;
      const value = unescapeValue(rest.join('=')).replace(/\s+/g, ' ').trim().toLowerCase();
      return `${type}=${value.replace(/([\\,=+])/g, '\\$1')}`;
    });
  return pairs.sort().join(',');
}

/** Decimal form of an X509SerialNumber as written in a message (decimal; tolerates leading zeros). */
export function normalizeSerial(serial: string): string | undefined {
  const trimmed = serial.trim();
  return /^[0-9]{1,100}$/.test(trimmed) ? BigInt(trimmed).toString(10) : undefined;
}

// --- Subject Key Identifier -------------------------------------------------------------------
// node:crypto exposes neither the SKI extension nor the raw subjectPublicKey, so we walk the DER
// structure (TLV only; no cryptography here).

interface Tlv {
  tag: number;
  /** Offset of the value within the buffer. */
  start: number;
  end: number;
}

function readTlv(buffer: Buffer, offset: number): Tlv {
  if (offset + 2 > buffer.length) throw new CertificateFormatError('truncated DER');
  const tag = buffer[offset]!;
  let length = buffer[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > buffer.length) throw new CertificateFormatError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buffer[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > buffer.length) throw new CertificateFormatError('truncated DER');
  return { tag, start, end };
}

function children(buffer: Buffer, parent: Tlv): Tlv[] {
  const result: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end;) {
    const child = readTlv(buffer, offset);
    result.push(child);
    offset = child.end;
  }
  return result;
}

const SKI_OID = Buffer.from([0x55, 0x1d, 0x0e]); // 2.5.29.14

function skiExtension(der: Buffer): Buffer | undefined {
  const certificate = readTlv(der, 0);
  const tbs = children(der, certificate)[0];
  if (!tbs) return undefined;
  const extensionsWrapper = children(der, tbs).find((field) => field.tag === 0xa3);
  if (!extensionsWrapper) return undefined;
  const extensionList = children(der, extensionsWrapper)[0];
  if (!extensionList) return undefined;
  for (const extension of children(der, extensionList)) {
    const parts = children(der, extension);
    const oid = parts[0];
    if (!oid || oid.tag !== 0x06 || !der.subarray(oid.start, oid.end).equals(SKI_OID)) continue;
    const wrapped = parts[parts.length - 1]!;
    const keyIdentifier = readTlv(der, wrapped.start);
    if (keyIdentifier.tag !== 0x04) throw new CertificateFormatError('bad SubjectKeyIdentifier');
    return der.subarray(keyIdentifier.start, keyIdentifier.end);
  }
  return undefined;
}

/** RFC 3280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING without its unused-bits octet. */
export function skiFromPublicKey(certificate: X509Certificate): Buffer {
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  const [, bitString] = children(spki, readTlv(spki, 0));
  if (!bitString || bitString.tag !== 0x03) throw new CertificateFormatError('bad SubjectPublicKeyInfo');
  return createHash('sha1')
    .update(spki.subarray(bitString.start + 1, bitString.end))
    .digest();
}

export function subjectKeyIdentifier(certificate: X509Certificate): string {
  return (skiExtension(certificate.raw) ?? skiFromPublicKey(certificate)).toString('hex');
}
