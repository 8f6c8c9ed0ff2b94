/**
 * MTOM/XOP (W3C SOAP Message Transmission Optimization Mechanism, XML-binary Optimized Packaging) at the
 * edge: a `multipart/related; type="application/xop+xml"` request becomes one SOAP envelope whose
 * `xop:Include` elements are replaced by the base64 text of the parts they name (the XOP infoset
 * reconstruction), so the dispatcher and the codec see an ordinary message; and a reply can be packaged
 * the other way, with canonical base64 element content above a threshold moved into binary parts.
 *
 * The whole package is read under the endpoint's body limit before it is taken apart (the parts are
 * slices of that one Buffer, not copies). Anything malformed (no boundary, no root part, a root that is
 * not application/xop+xml, an xop:Include naming a part that is not there) is a MtomError, answered by the
 * binding as a Sender fault with HTTP 400.
 */
import { randomUUID } from 'node:crypto';
import { SOAP11_MEDIA_TYPE, SOAP12_MEDIA_TYPE } from '../constants';
import type { SoapVersion } from '../schema/model';
import { parseMediaType, type MediaType } from './content-type';

export const XOP_MEDIA_TYPE = 'application/xop+xml';
export const XOP_NS = 'http://www.w3.org/2004/08/xop/include';
const MULTIPART_RELATED = 'multipart/related';

export class MtomError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MtomError';
  }
}

export interface MtomPackage {
  /** The multipart's `type` was application/xop+xml. */
  readonly boundary: string;
  /** Content-ID of the root part (`start`), without angle brackets; undefined: the first part. */
  readonly start: string | undefined;
  /** SOAP version from `start-info` (the root's own Content-Type `type` is checked when the parts are read). */
  readonly version: SoapVersion | undefined;
  /** SOAP 1.2 `action` from start-info or the multipart header, if any. */
  readonly action: string | undefined;
}

/** The MTOM package a Content-Type announces, undefined when it is not multipart/related XOP; throws on a broken one. */
export function mtomPackage(media: MediaType): MtomPackage | undefined {
  if (media.type !== MULTIPART_RELATED) return undefined;
  const type = media.params.get('type');
  if (type === undefined || type.toLowerCase() !== XOP_MEDIA_TYPE) return undefined;
  const boundary = media.params.get('boundary');
  if (boundary === undefined || boundary === '' || boundary.length > 70)
    throw new MtomError('The multipart/related Content-Type has no valid boundary parameter');
  const startInfo = media.params.get('start-info');
  const info = startInfo === undefined ? undefined : parseMediaType(startInfo);
  const version = info === undefined ? undefined : soapVersionOf(info.type);
  const start = media.params.get('start');
  return {
    boundary,
    start: start === undefined ? undefined : stripAngles(start),
    version,
    action: info?.params.get('action') ?? media.params.get('action'),
  };
}

function soapVersionOf(type: string): SoapVersion | undefined {
  const t = type.toLowerCase();
  return t === SOAP11_MEDIA_TYPE ? '1.1' : t === SOAP12_MEDIA_TYPE ? '1.2' : undefined;
}

function stripAngles(id: string): string {
  const t = id.trim();
  return t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1) : t;
}

interface Part {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The parts between `--boundary` delimiters (RFC 2046 section 5.1.1); the preamble and epilogue are ignored. */
function splitParts(raw: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  let at = raw.indexOf(delimiter);
  if (at < 0) throw new MtomError('The multipart body contains no part delimited by its boundary');
  const parts: Part[] = [];
  for (;;) {
    let cursor = at + delimiter.length;
    if (raw[cursor] === 0x2d && raw[cursor + 1] === 0x2d) return parts; // closing delimiter
    // transport padding, then CRLF
    while (raw[cursor] === 0x20 || raw[cursor] === 0x09) cursor++;
    if (raw.compare(CRLF, 0, 2, cursor, cursor + 2) !== 0) throw new MtomError('Malformed multipart delimiter line');
    cursor += 2;
    const next = raw.indexOf(Buffer.concat([CRLF, delimiter]), cursor);
    if (next < 0) throw new MtomError('The multipart body ends without its closing boundary');
    const headerEnd = raw.indexOf(HEADER_END, cursor);
    let headers: Map<string, string>;
    let bodyStart: number;
    if (raw.compare(CRLF, 0, 2, cursor, cursor + 2) === 0) {
      headers = new Map();
      bodyStart = cursor + 2;
    } else {
      if (headerEnd < 0 || headerEnd > next) throw new MtomError('A multipart part has no header/body separator');
      headers = parseHeaders(raw.toString('latin1', cursor, headerEnd));
      bodyStart = headerEnd + 4;
    }
    parts.push({ headers, body: raw.subarray(bodyStart, next) });
    at = next + 2;
  }
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MtomError(`Malformed part header '${line.slice(0, 60)}'`);
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function partContent(part: Part): Buffer {
  const encoding = (part.headers.get('content-transfer-encoding') ?? 'binary').toLowerCase();
  if (encoding === 'binary' || encoding === '8bit' || encoding === '7bit') return part.body;
  if (encoding === 'base64') return Buffer.from(part.body.toString('latin1'), 'base64');
  throw new MtomError(`Unsupported Content-Transfer-Encoding '${encoding}' in a multipart part`);
}

export interface XopRoot {
  /** The root part's bytes (the SOAP envelope with xop:Include elements), not yet decoded. */
  readonly envelope: Buffer;
  /** The root part's charset parameter. */
  readonly charset: string | undefined;
  /** The SOAP version the root part's `type` parameter names. */
  readonly version: SoapVersion;
  readonly action: string | undefined;
  /** Attachments by Content-ID (without angle brackets). */
  readonly attachments: ReadonlyMap<string, Buffer>;
}

/** Takes the package apart: the root part and the attachments by Content-ID. */
export function readXopPackage(raw: Buffer, pkg: MtomPackage): XopRoot {
  const parts = splitParts(raw, pkg.boundary);
  if (parts.length === 0) throw new MtomError('The multipart body has no parts');
  const root =
    pkg.start === undefined
      ? parts[0]
      : parts.find((p) => stripAngles(p.headers.get('content-id') ?? '') === pkg.start);
  if (root === undefined)
    throw new MtomError(`The multipart body has no root part with Content-ID <${pkg.start ?? ''}>`);
  const rootType = parseMediaType(root.headers.get('content-type') ?? '');
  if (rootType.type !== XOP_MEDIA_TYPE)
    throw new MtomError(`The root part is '${rootType.type || 'untyped'}', not ${XOP_MEDIA_TYPE}`);
  const rootVersion = soapVersionOf(rootType.params.get('type') ?? '');
  const version = rootVersion ?? pkg.version;
  if (version === undefined)
    throw new MtomError(
      `The root part's type parameter names no SOAP media type (${SOAP11_MEDIA_TYPE} or ${SOAP12_MEDIA_TYPE})`,
    );
  const attachments = new Map<string, Buffer>();
  for (const part of parts) {
    if (part === root) continue;
    const id = part.headers.get('content-id');
    if (id !== undefined) attachments.set(stripAngles(id), partContent(part));
  }
  return {
    envelope: partContent(root),
    charset: rootType.params.get('charset'),
    version,
    action: rootType.params.get('action') ?? pkg.action,
    attachments,
  };
}

/** `<p:Include ... href="cid:..."/>` or with an empty end tag; the prefix must be bound to the XOP namespace. */
const INCLUDE = /<(?:([A-Za-z_][\w.-]*):)?Include\b([^>]*?)(?:\/>|>\s*<\/(?:[A-Za-z_][\w.-]*:)?Include\s*>)/g;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/**
 * The envelope (UTF-8 text) with every xop:Include replaced by the base64 text of the part it names; an
 * include naming no part is an error, a part no include names is ignored.
 */
export function inlineXopIncludes(envelope: string, attachments: ReadonlyMap<string, Buffer>): string {
  if (envelope.indexOf(XOP_NS) < 0) return envelope;
  const xopPrefixes = new Set<string>();
  for (const m of envelope.matchAll(
    /\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(["'])http:\/\/www\.w3\.org\/2004\/08\/xop\/include\2/g,
  ))
    xopPrefixes.add(m[1] ?? '');
  return envelope.replace(INCLUDE, (whole: string, prefix: string | undefined, attrs: string) => {
    const declaresOwn = /\sxmlns(?::[\w.-]+)?\s*=\s*(["'])http:\/\/www\.w3\.org\/2004\/08\/xop\/include\1/.test(attrs);
    if (!declaresOwn && !xopPrefixes.has(prefix ?? '')) return whole;
    const href = HREF.exec(attrs);
    const target = href === null ? undefined : (href[1] ?? href[2]);
    if (target === undefined || !target.toLowerCase().startsWith('cid:'))
      throw new MtomError('An xop:Include has no cid: href');
    let id: string;
    try {
      id = decodeURIComponent(target.slice(4));
    } catch {
      throw new MtomError(`An xop:Include href is not a valid cid: URL (${target.slice(0, 80)})`);
    }
    const content = attachments.get(id);
    if (content === undefined)
      throw new MtomError(`An xop:Include refers to cid:${id.slice(0, 80)}, which is not a part of the message`);
    return content.toString('base64');
  });
}

// ------------------------------------------------------------------------------------------ replies

/** Canonical base64 element content (no white space), at least `min` characters long. */
function base64Content(min: number): RegExp {
  return new RegExp(`>([A-Za-z0-9+/]{${Math.max(4, min)},}={0,2})<`, 'g');
}

export interface MtomReply {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Packages a SOAP reply as MTOM: element content that is canonical base64 of at least `thresholdBytes`
 * bytes goes into a binary part and is replaced by an xop:Include; the root part carries the rest.
 * XOP's reconstruction gives the receiver exactly the same text back, so the choice is lossless.
 */
export function mtomReply(xml: string, version: SoapVersion, thresholdBytes: number): MtomReply {
  const boundary = `MIMEBoundary_${randomUUID()}`;
  const rootId = `root.message@partner-orders`;
  const soapType = version === '1.1' ? SOAP11_MEDIA_TYPE : SOAP12_MEDIA_TYPE;
  const attachments: Buffer[] = [];
  const chunks: Buffer[] = [];
  const minChars = Math.ceil(thresholdBytes / 3) * 4;
  const root = xml.replace(base64Content(minChars), (whole: string, text: string) => {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.toString('base64') !== text) return whole;
    attachments.push(bytes);
    return `><xop:Include xmlns:xop="${XOP_NS}" href="cid:${attachments.length}.attachment@partner-orders"/><`;
  });
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Type: ${XOP_MEDIA_TYPE}; charset=utf-8; type="${soapType}"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${rootId}>\r\n\r\n${root}`,
      'utf8',
    ),
  );
  attachments.forEach((bytes, i) => {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${i + 1}.attachment@partner-orders>\r\n\r\n`,
        'latin1',
      ),
    );
    chunks.push(bytes);
  });
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
  return {
    contentType: `multipart/related; type="${XOP_MEDIA_TYPE}"; boundary="${boundary}"; start="<${rootId}>"; start-info="${soapType}"`,
    body: Buffer.concat(chunks),
  };
}
