/**
 * The character encoding of a request body: UTF-8, UTF-16 (LE/BE, with or without a byte order mark) and
 * ISO-8859-1, as the Content-Type's charset, the byte order mark and the XML declaration say (RFC 7303,
 * XML 1.0 appendix F). A non-UTF-8 body is decoded here, at the edge, into UTF-8 bytes whose declaration
 * says UTF-8, so everything behind the binding (parser, signature checks, decoder) sees UTF-8 only.
 *
 * The three sources must agree; a disagreement, or an encoding not in the list, is refused with 415.
 * Bytes that are not valid in the agreed encoding are a malformed message (Sender fault), as invalid
 * UTF-8 already is. A UTF-8 body is returned as the very same Buffer: the common case costs a look at its
 * first bytes and nothing else.
 */

export type RequestCharset = 'utf-8' | 'utf-16' | 'utf-16le' | 'utf-16be' | 'iso-8859-1';

/** How the body's bytes are laid out, from the byte order mark or, without one, from its first character. */
type ByteLayout = 'utf-16le' | 'utf-16be' | 'single-byte';

const CHARSET_NAMES: ReadonlyMap<string, RequestCharset> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['utf-16', 'utf-16'],
  ['utf-16le', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
  // IANA's names for ISO-8859-1
  ['iso-8859-1', 'iso-8859-1'],
  ['iso_8859-1', 'iso-8859-1'],
  ['iso_8859-1:1987', 'iso-8859-1'],
  ['latin1', 'iso-8859-1'],
  ['l1', 'iso-8859-1'],
  ['iso-ir-100', 'iso-8859-1'],
  ['ibm819', 'iso-8859-1'],
  ['cp819', 'iso-8859-1'],
  ['csisolatin1', 'iso-8859-1'],
]);

export const SUPPORTED_CHARSETS = 'UTF-8, UTF-16 (LE/BE) or ISO-8859-1';

/** The charset a Content-Type (or XML declaration) names; undefined when it is not one we decode. */
export function requestCharset(name: string): RequestCharset | undefined {
  return CHARSET_NAMES.get(name.toLowerCase());
}

export type DecodedBody =
  | { readonly ok: true; readonly body: Buffer }
  /** `unsupported-media-type`: 415 (mismatch, unknown encoding); `malformed`: bytes invalid in the encoding. */
  | { readonly ok: false; readonly problem: 'unsupported-media-type' | 'malformed'; readonly message: string };

const LT = 0x3c;
const DECLARATION_START = Buffer.from('<?xml', 'latin1');
/** Longest XML declaration looked at; a real one is well under 100 characters. */
const MAX_DECLARATION = 512;
const ENCODING_PSEUDO_ATTRIBUTE = /\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._:-]*)\1/;

const utf16le = new TextDecoder('utf-16le', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

function byteLayout(raw: Buffer): { readonly layout: ByteLayout; readonly bom: boolean } {
  const b0 = raw[0];
  const b1 = raw[1];
  if (b0 === 0xff && b1 === 0xfe) return { layout: 'utf-16le', bom: true };
  if (b0 === 0xfe && b1 === 0xff) return { layout: 'utf-16be', bom: true };
  if (b0 === 0xef && b1 === 0xbb && raw[2] === 0xbf) return { layout: 'single-byte', bom: true };
  // Without a mark, a document starts with '<' or white space: one zero byte in the first code unit is UTF-16.
  if (raw.length >= 2 && b0 !== 0 && b1 === 0) return { layout: 'utf-16le', bom: false };
  if (raw.length >= 2 && b0 === 0 && b1 !== 0) return { layout: 'utf-16be', bom: false };
  return { layout: 'single-byte', bom: false };
}

/** The encoding named by the XML declaration of a single-byte body, read without decoding the body. */
function declaredEncodingOfBytes(raw: Buffer, offset: number): string | undefined {
  if (raw.length < offset + 6 || raw[offset] !== LT || raw.compare(DECLARATION_START, 0, 5, offset, offset + 5) !== 0)
    return undefined;
  const end = raw.indexOf('?>', offset + 5, 'latin1');
  if (end < 0 || end - offset > MAX_DECLARATION) return undefined;
  return ENCODING_PSEUDO_ATTRIBUTE.exec(raw.toString('latin1', offset + 5, end))?.[2];
}

function declaredEncodingOfText(
  text: string,
): { readonly name: string; readonly start: number; readonly end: number } | undefined {
  if (!text.startsWith('<?xml')) return undefined;
  const end = text.indexOf('?>', 5);
  if (end < 0 || end > MAX_DECLARATION) return undefined;
  const match = ENCODING_PSEUDO_ATTRIBUTE.exec(text.slice(5, end));
  if (match === null) return undefined;
  const name = match[2] ?? '';
  const start = 5 + match.index + match[0].length - 1 - name.length;
  return { name, start, end: start + name.length };
}

const LABEL: Readonly<Record<ByteLayout | RequestCharset, string>> = {
  'utf-8': 'UTF-8',
  'utf-16': 'UTF-16',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'iso-8859-1': 'ISO-8859-1',
  'single-byte': 'UTF-8',
};

function refused(message: string): DecodedBody {
  return { ok: false, problem: 'unsupported-media-type', message };
}

/** Does the declaration's (or a charset's) name fit a body laid out as `layout`? */
function fitsUtf16(name: RequestCharset, layout: 'utf-16le' | 'utf-16be'): boolean {
  return name === 'utf-16' || name === layout;
}

/**
 * The body as UTF-8 bytes. `charset` is the Content-Type's charset parameter as sent (undefined: none).
 */
export function decodeRequestBody(raw: Buffer, charset: string | undefined): DecodedBody {
  const announced = charset === undefined ? undefined : requestCharset(charset);
  if (charset !== undefined && announced === undefined)
    return refused(`Unsupported charset '${charset}': use ${SUPPORTED_CHARSETS}`);
  if (raw.length === 0) return { ok: true, body: raw };
  const { layout, bom } = byteLayout(raw);

  if (layout === 'single-byte') {
    if (announced !== undefined && announced !== 'utf-8' && announced !== 'iso-8859-1') {
      return refused(
        `Charset mismatch: the Content-Type says ${LABEL[announced]} but the body is not UTF-16 (no byte order mark, no UTF-16 '<')`,
      );
    }
    const declaredName = declaredEncodingOfBytes(raw, bom ? 3 : 0);
    const declared = declaredName === undefined ? undefined : requestCharset(declaredName);
    if (declaredName !== undefined && declared === undefined)
      return refused(`Unsupported encoding '${declaredName}' in the XML declaration: use ${SUPPORTED_CHARSETS}`);
    // Only an 8-bit encoding can be read byte by byte; a UTF-8 mark means UTF-8.
    const declaredSingleByte = declared === 'utf-8' || declared === 'iso-8859-1' ? declared : undefined;
    const effective = announced ?? (bom ? 'utf-8' : (declaredSingleByte ?? 'utf-8'));
    if (bom && effective !== 'utf-8')
      return refused(
        `Charset mismatch: the Content-Type says ${LABEL[effective]} but the body starts with a UTF-8 byte order mark`,
      );
    if (declared !== undefined && declared !== effective) {
      const source =
        announced !== undefined ? 'the Content-Type says' : bom ? 'the byte order mark says' : 'the body is';
      return refused(
        `Charset mismatch: the XML declaration says ${declaredName ?? ''} but ${source} ${LABEL[effective]}`,
      );
    }
    if (effective === 'utf-8') return { ok: true, body: raw };
    return { ok: true, body: reencode(raw.toString('latin1')) };
  }

  if (announced !== undefined && !fitsUtf16(announced, layout)) {
    return refused(
      `Charset mismatch: the Content-Type says ${LABEL[announced]} but the body is ${LABEL[layout]}${bom ? ' (byte order mark)' : ''}`,
    );
  }
  let text: string;
  try {
    // The decoder drops the byte order mark.
    text = (layout === 'utf-16le' ? utf16le : utf16be).decode(raw);
  } catch {
    return { ok: false, problem: 'malformed', message: `The request body is not valid ${LABEL[layout]}` };
  }
  const declaration = declaredEncodingOfText(text);
  if (declaration !== undefined) {
    const declared = requestCharset(declaration.name);
    if (declared === undefined)
      return refused(`Unsupported encoding '${declaration.name}' in the XML declaration: use ${SUPPORTED_CHARSETS}`);
    if (!fitsUtf16(declared, layout))
      return refused(`Charset mismatch: the XML declaration says ${declaration.name} but the body is ${LABEL[layout]}`);
  }
  return { ok: true, body: reencode(text) };
}

/** UTF-8 bytes of a decoded body; the parser behind this binding reads UTF-8, and so must the declaration it reads. */
function reencode(text: string): Buffer {
  const declaration = declaredEncodingOfText(text);
  if (declaration === undefined) return Buffer.from(text, 'utf8');
  return Buffer.from(text.slice(0, declaration.start) + 'UTF-8' + text.slice(declaration.end), 'utf8');
}
