/**
 * Content-Type and SOAPAction interpretation: which SOAP version a POST claims to be and which action
 * it names. Pure functions over header strings.
 */
import { SOAP11_MEDIA_TYPE, SOAP12_MEDIA_TYPE } from '../constants';
import type { SoapVersion } from '../schema/model';
import { SUPPORTED_CHARSETS, requestCharset } from './charset';

export interface MediaType {
  /** Lower-cased `type/subtype`. */
  readonly type: string;
  /** Parameter names lower-cased; values unquoted. */
  readonly params: ReadonlyMap<string, string>;
}

/** RFC 9110 media type with parameters; quoted-string values may contain ';' and escaped quotes. */
export function parseMediaType(header: string): MediaType {
  const semi = header.indexOf(';');
  const type = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  let i = semi < 0 ? header.length : semi + 1;
  while (i < header.length) {
    const eq = header.indexOf('=', i);
    if (eq < 0) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (j < header.length && (header[j] === ' ' || header[j] === '\t')) j++;
    let value = '';
    if (header[j] === '"') {
      j++;
      while (j < header.length && header[j] !== '"') {
        if (header[j] === '\\' && j + 1 < header.length) j++;
        value += header[j];
        j++;
      }
      const next = header.indexOf(';', j);
      i = next < 0 ? header.length : next + 1;
    } else {
      const next = header.indexOf(';', j);
      value = header.slice(j, next < 0 ? header.length : next).trim();
      i = next < 0 ? header.length : next + 1;
    }
    if (name !== '' && !params.has(name)) params.set(name, value);
  }
  return { type, params };
}

export type SoapContentType =
  | {
      readonly ok: true;
      readonly version: SoapVersion;
      readonly action: string | undefined;
      /** The charset parameter as sent (one decodeRequestBody knows), undefined when absent. */
      readonly charset: string | undefined;
    }
  | {
      readonly ok: false;
      readonly reason: 'media-type' | 'charset';
      readonly message: string;
      readonly guessedVersion: SoapVersion;
    };

/**
 * SOAP 1.1: `text/xml` + SOAPAction header. SOAP 1.2: `application/soap+xml` with an optional `action`
 * parameter. Anything else (including MTOM's multipart/related) is refused, as is a charset that
 * decodeRequestBody does not know.
 */
export function classifySoapContentType(
  contentType: string | undefined,
  soapActionHeader: string | undefined,
): SoapContentType {
  if (contentType === undefined || contentType.trim() === '') {
    return {
      ok: false,
      reason: 'media-type',
      message: 'Missing Content-Type: use text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)',
      guessedVersion: '1.1',
    };
  }
  const media = parseMediaType(contentType);
  let version: SoapVersion;
  if (media.type === SOAP11_MEDIA_TYPE) version = '1.1';
  else if (media.type === SOAP12_MEDIA_TYPE) version = '1.2';
  else {
    return {
      ok: false,
      reason: 'media-type',
      message: `Unsupported Content-Type '${media.type}': use text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)`,
      guessedVersion: media.type.includes('soap+xml') ? '1.2' : '1.1',
    };
  }
  const charset = media.params.get('charset');
  if (charset !== undefined && requestCharset(charset) === undefined) {
    return {
      ok: false,
      reason: 'charset',
      message: `Unsupported charset '${charset}': use ${SUPPORTED_CHARSETS}`,
      guessedVersion: version,
    };
  }
  const action = version === '1.1' ? unquoteSoapAction(soapActionHeader) : media.params.get('action');
  return { ok: true, version, action: action === '' ? undefined : action, charset };
}

/** SOAPAction is a quoted URI (`"urn:x"`); an empty or `""` value means "no action". */
export function unquoteSoapAction(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  const value =
    trimmed.length >= 2 && trimmed[0] === '"' && trimmed[trimmed.length - 1] === '"' ? trimmed.slice(1, -1) : trimmed;
  return value === '' ? undefined : value;
}
