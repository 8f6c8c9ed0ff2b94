/**
 * Checks applied to every incoming XML document before (and while) it is parsed. A violation raises
 * XmlRejectedError with a machine-readable reason; the runtime turns it into a Sender/Client fault.
 *
 * SOAP forbids DTDs and processing instructions, so rejecting them outright also closes the door on
 * XXE and entity-expansion attacks (billion laughs). Depth and element-count limits keep hostile
 * documents from exhausting the stack or memory.
 */

export type XmlRejectReason =
  | 'invalid-utf8'
  | 'unsupported-encoding'
  | 'invalid-character'
  | 'doctype'
  | 'processing-instruction'
  | 'too-deep'
  | 'too-many-elements'
  | 'undeclared-prefix'
  | 'undefined-entity'
  | 'malformed';

export class XmlRejectedError extends Error {
  constructor(
    readonly reason: XmlRejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'XmlRejectedError';
  }
}

export interface XmlLimits {
  /** Maximum element nesting depth (the root element is depth 1). */
  readonly maxDepth: number;
  /** Maximum number of elements in the document. */
  readonly maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = Object.freeze({ maxDepth: 64, maxElements: 200_000 });

export function resolveLimits(limits?: Partial<XmlLimits>): XmlLimits {
  if (!limits) return DEFAULT_XML_LIMITS;
  return {
    maxDepth: limits.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth,
    maxElements: limits.maxElements ?? DEFAULT_XML_LIMITS.maxElements,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** C0 controls other than tab/LF/CR and the two non-characters XML 1.0 excludes. */
const INVALID_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/**
 * Decodes the raw bytes as strict UTF-8 (a leading BOM is dropped), rejects characters XML 1.0
 * cannot carry and normalizes line ends (XML 1.0 section 2.11).
 */
export function decodeXmlText(raw: Buffer | Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new XmlRejectedError('invalid-utf8', 'the message is not valid UTF-8');
  }
  return normalizeXmlText(text);
}

/** Same checks for text that is already a string (a leading U+FEFF is dropped). */
export function normalizeXmlText(text: string): string {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bad = INVALID_XML_CHAR.exec(text);
  if (bad) {
    throw new XmlRejectedError(
      'invalid-character',
      `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} is not allowed in XML`,
    );
  }
  if (text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
  return text;
}

/** True when a code point may appear in an XML 1.0 document (used for character references). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
