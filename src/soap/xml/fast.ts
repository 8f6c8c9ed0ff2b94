/**
 * The fast path for unsigned traffic: one strict, single-pass parse from text straight into
 * XmlElement views with namespaces resolved.
 *
 * Why not fast-xml-parser: measured on a 40 KB order (200 lines) it needs ~2.5 ms to parse plus
 * ~0.9 ms for XMLValidator (it repairs malformed input silently otherwise), and it has no depth,
 * DOCTYPE or PI policy of its own, so we would still need a full scan of our own. This parser does the
 * well-formedness checks, the guard policy (src/soap/xml/guard.ts) and namespace resolution in the
 * same pass, roughly ten times faster (see bench/codec-micro.ts).
 *
 * Supported: XML 1.0 documents in UTF-8 without DTD, with the five predefined entities, character
 * references, CDATA sections (read as text) and comments (ignored). Namespaces per "Namespaces in XML".
 */
import type { XmlAttribute, XmlElement } from './element';
import { escapeAttribute, escapeText } from './escape';
import { XmlRejectedError, decodeXmlText, isXmlChar, normalizeXmlText, resolveLimits, type XmlLimits } from './guard';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * The namespace bindings declared on one tag (prefix '' = default namespace), chained to the enclosing
 * scope. Plain objects on purpose: scopes chained through prototypes (Object.create) were measured to
 * survive young-generation collections, and with them the URI strings sliced from the document, so every
 * request's text was copied out of the young generation and kept until a full collection.
 */
class NsScope {
  readonly prefixes: string[] = [];
  readonly uris: string[] = [];

  constructor(readonly parent: NsScope | undefined) {}

  lookup(prefix: string): string | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the scope chain starting here
    for (let scope: NsScope | undefined = this; scope !== undefined; scope = scope.parent) {
      const i = scope.prefixes.indexOf(prefix);
      if (i >= 0) return scope.uris[i];
    }
    return undefined;
  }
}

const ROOT_SCOPE = new NsScope(undefined);
ROOT_SCOPE.prefixes.push('xml', '');
ROOT_SCOPE.uris.push(XML_NS, '');

class FastAttribute implements XmlAttribute {
  /** Set by the parser once the tag's namespace declarations are all read ('' for unprefixed attributes). */
  constructor(
    public ns: string,
    readonly local: string,
    readonly value: string,
    readonly qname: string,
  ) {}
}

const NO_ATTRIBUTES: readonly FastAttribute[] = Object.freeze([]);
const NO_CHILDREN: readonly FastElement[] = Object.freeze([]);

export class FastElement implements XmlElement {
  // Few fields on purpose: large messages hold tens of thousands of these, and their size drives GC cost.
  // The namespace declarations written on an element are its scope's bindings (a scope is made only for
  // a tag that declares something).
  attributes: readonly FastAttribute[] = NO_ATTRIBUTES;
  children: readonly FastElement[] = NO_CHILDREN;
  text = '';

  constructor(
    readonly name: QualifiedName,
    readonly scope: NsScope,
    readonly ns: string,
  ) {}

  get qname(): string {
    return this.name.qname;
  }

  get local(): string {
    return this.name.local;
  }

  get prefix(): string {
    return this.name.prefix;
  }

  get hasMixedText(): boolean {
    if (this.children === NO_CHILDREN) return false;
    const t = this.text;
    for (let i = 0; i < t.length; i++) {
      if (!isWhitespace(t.charCodeAt(i))) return true;
    }
    return false;
  }

  lookupNamespace(prefix: string): string | undefined {
    return this.scope.lookup(prefix);
  }

  attr(ns: string, local: string): string | undefined {
    const attrs = this.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i];
      if (a.local === local && a.ns === ns) return a.value;
    }
    return undefined;
  }

  toXml(): string {
    // Declare every binding in scope (nearest first) so the fragment stands alone, QName-valued content included.
    const seen = new Set<string>();
    let decls = '';
    for (
      let scope: NsScope | undefined = this.scope;
      scope !== undefined && scope !== ROOT_SCOPE;
      scope = scope.parent
    ) {
      for (let i = 0; i < scope.prefixes.length; i++) {
        const prefix = scope.prefixes[i];
        if (seen.has(prefix)) continue;
        seen.add(prefix);
        decls += declaration(prefix, scope.uris[i]);
      }
    }
    // An unprefixed element in no namespace must not inherit a default namespace from where it is pasted.
    if (!seen.has('') && this.prefix === '') decls += ' xmlns=""';
    return serialize(this, decls, undefined);
  }
}

function declaration(prefix: string, uri: string): string {
  return prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
}

/**
 * Serializes el; `declarations` are written on the fragment's root, a child gets the bindings its own tag
 * declared (the bindings of its scope when that scope is not its parent's).
 */
function serialize(el: FastElement, declarations: string | undefined, parentScope: NsScope | undefined): string {
  let out = '<' + el.qname;
  if (declarations !== undefined) out += declarations;
  else if (el.scope !== parentScope) {
    const scope = el.scope;
    for (let i = 0; i < scope.prefixes.length; i++) out += declaration(scope.prefixes[i], scope.uris[i]);
  }
  for (const a of el.attributes) out += ` ${a.qname}="${escapeAttribute(a.value)}"`;
  if (el.children.length === 0 && el.text === '') return out + '/>';
  out += '>';
  if (el.children.length === 0) out += escapeText(el.text);
  else {
    // Mixed content loses the interleaving of text and children; only element content is kept then.
    for (const child of el.children) out += serialize(child, undefined, el.scope);
  }
  return out + '</' + el.qname + '>';
}

export interface FastParseOptions {
  limits?: Partial<XmlLimits>;
}

/** Parses a complete XML document (bytes are decoded as strict UTF-8) and returns its root element. */
export function parseXmlFast(input: Buffer | Uint8Array | string, options: FastParseOptions = {}): FastElement {
  const text = typeof input === 'string' ? normalizeXmlText(input) : decodeXmlText(input);
  return new Parser(text, resolveLimits(options.limits)).parseDocument();
}

/**
 * XMLDecl after '<?xml' (XML 1.0 production 23): version, then optional encoding and standalone, in that
 * order, nothing else. Checking only a version prefix accepted junk after it (found by differential fuzzing
 * against libexpat, test/soap/xml/fuzz).
 */
const XML_DECLARATION =
  /^[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*$/;

function reject(message: string): never {
  throw new XmlRejectedError('malformed', message);
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0xa || c === 0x9 || c === 0xd;
}

/** NAME_CLASS[c] for ASCII c: 1 = may start a name (and continue it), 2 = may only continue a name, 0 = neither. */
const NAME_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a) NAME_CLASS[c] = 1;
  else if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e) NAME_CLASS[c] = 2;
}

/** Name start characters above ASCII (a permissive reading of XML 1.0 fifth edition's NameStartChar). */
function isNameStartHigh(c: number): boolean {
  return c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c !== 0x37e && !(c >= 0x2000 && c <= 0x200b) && c !== 0x2030;
}

function isNameStart(c: number): boolean {
  return c < 0x80 ? NAME_CLASS[c] === 1 : isNameStartHigh(c);
}

function isNameChar(c: number): boolean {
  return c < 0x80 ? NAME_CLASS[c] !== 0 : c === 0xb7 || isNameStartHigh(c);
}

const HEX_REF = /^[0-9a-fA-F]{1,6}$/;
const DECIMAL_REF = /^[0-9]{1,7}$/;

/**
 * Expands the predefined entities and character references in s[start, end), whose first '&' is at amp;
 * anything else is rejected. A reference must end before `end`.
 */
function expandReferences(s: string, start: number, end: number, amp: number): string {
  let out = '';
  let last = start;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi >= end) reject('unterminated entity reference');
    out += s.slice(last, amp) + referenceAt(s, amp + 1, semi);
    last = semi + 1;
    amp = s.indexOf('&', last);
    if (amp >= end) amp = -1;
  }
  return out + s.slice(last, end);
}

/** The replacement text of the reference named s[start, semi) (between '&' and ';'). */
function referenceAt(s: string, start: number, semi: number): string {
  // The five predefined entities, without building the name.
  const c0 = s.charCodeAt(start);
  const len = semi - start;
  if (len === 2 && s.charCodeAt(start + 1) === 0x74) {
    if (c0 === 0x6c) return '<'; // lt
    if (c0 === 0x67) return '>'; // gt
  } else if (len === 3 && c0 === 0x61 && s.charCodeAt(start + 1) === 0x6d && s.charCodeAt(start + 2) === 0x70) {
    return '&'; // amp
  } else if (len === 4) {
    const c1 = s.charCodeAt(start + 1);
    const c2 = s.charCodeAt(start + 2);
    const c3 = s.charCodeAt(start + 3);
    if (c0 === 0x71 && c1 === 0x75 && c2 === 0x6f && c3 === 0x74) return '"'; // quot
    if (c0 === 0x61 && c1 === 0x70 && c2 === 0x6f && c3 === 0x73) return "'"; // apos
  }
  const name = s.slice(start, semi);
  if (c0 === 0x23) {
    const hex = name.charCodeAt(1) === 0x78;
    const digits = name.slice(hex ? 2 : 1);
    if (!(hex ? HEX_REF : DECIMAL_REF).test(digits)) reject(`malformed character reference &${name};`);
    const cp = parseInt(digits, hex ? 16 : 10);
    if (!isXmlChar(cp)) reject(`character reference &${name}; is not an XML character`);
    return String.fromCodePoint(cp);
  }
  throw new XmlRejectedError('undefined-entity', `undefined entity &${name.slice(0, 40)};`);
}

/** Attribute-value normalization (XML 1.0 section 3.3.3) of s[start, end): tab and LF become spaces (line ends are already LF). */
function normalizeAttributeWhitespace(s: string, start: number, end: number): string {
  let out = '';
  let last = start;
  for (let p = start; p < end; p++) {
    const c = s.charCodeAt(p);
    if (c === 0x9 || c === 0xa) {
      out += s.slice(last, p) + ' ';
      last = p + 1;
    }
  }
  return out + s.slice(last, end);
}

/** Size of the per-parse name table (a power of two). */
const NAME_TABLE_SIZE = 256;
/** Attributes on one tag beyond which duplicates are found with a Set rather than by comparing pairs. */
const PAIRWISE_ATTRIBUTES = 16;

class Parser {
  private pos = 0;
  private elementCount = 0;
  private lastTagSelfClosed = false;
  /** The name of the last start tag read. */
  private previousName: NameEntry | undefined = undefined;
  /** Interned names by hash (chained through QualifiedName.next). */
  private readonly names: (NameEntry | undefined)[] = new Array<NameEntry | undefined>(NAME_TABLE_SIZE).fill(undefined);
  /** Names of the attributes (namespace declarations included) of the tag being read, for the duplicate check. */
  private readonly attrNames: NameEntry[] = [];
  /** The attributes of the tag being read (copied into an array of the exact size for the element). */
  private readonly attrList: FastAttribute[] = [];
  /** The tag's prefixed attributes and their names, resolved once the tag's declarations are all read. */
  private readonly pendingAttrs: FastAttribute[] = [];
  private readonly pendingNames: NameEntry[] = [];

  constructor(
    private readonly s: string,
    private readonly limits: XmlLimits,
  ) {}

  parseDocument(): FastElement {
    const s = this.s;
    if (s.startsWith('<?xml') && (isWhitespace(s.charCodeAt(5)) || s.charCodeAt(5) === 0x3f)) this.readXmlDeclaration();
    this.skipMisc();
    if (this.pos >= s.length || s.charCodeAt(this.pos) !== 0x3c) reject('no root element');
    const root = this.parseRootElement();
    this.skipMisc();
    if (this.pos < s.length) reject('content after the root element');
    return root;
  }

  private readXmlDeclaration(): void {
    const end = this.s.indexOf('?>', 5);
    if (end < 0) reject('unterminated XML declaration');
    const decl = XML_DECLARATION.exec(this.s.slice(5, end));
    if (decl === null) reject('malformed XML declaration');
    const encoding = decl[3];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
      throw new XmlRejectedError('unsupported-encoding', `encoding ${encoding} is not supported (UTF-8 only)`);
    }
    this.pos = end + 2;
  }

  /** Whitespace and comments; DOCTYPE and PIs are refused. */
  private skipMisc(): void {
    const s = this.s;
    for (;;) {
      let p = this.pos;
      while (p < s.length && isWhitespace(s.charCodeAt(p))) p++;
      this.pos = p;
      if (p >= s.length || s.charCodeAt(p) !== 0x3c) {
        if (p < s.length) reject('text outside the root element');
        return;
      }
      const c1 = s.charCodeAt(p + 1);
      if (c1 === 0x21) {
        if (s.startsWith('<!--', p)) {
          this.skipComment();
          continue;
        }
        this.refuseDeclaration(p);
      }
      if (c1 === 0x3f) this.refusePi(p);
      return;
    }
  }

  private refuseDeclaration(p: number): never {
    if (this.s.startsWith('<!DOCTYPE', p) || this.s.startsWith('<!ENTITY', p)) {
      throw new XmlRejectedError('doctype', 'DOCTYPE and entity declarations are not allowed in SOAP messages');
    }
    reject('unexpected markup declaration');
  }

  private refusePi(p: number): never {
    if (this.s.startsWith('<?xml', p) && !isNameChar(this.s.charCodeAt(p + 5)))
      reject('XML declaration not at the start of the document');
    throw new XmlRejectedError('processing-instruction', 'processing instructions are not allowed in SOAP messages');
  }

  private skipComment(): void {
    const start = this.pos + 4;
    const end = this.s.indexOf('--', start);
    if (end < 0) reject('unterminated comment');
    if (this.s.charCodeAt(end + 2) !== 0x3e) reject("'--' is not allowed inside a comment");
    this.pos = end + 3;
  }

  /**
   * Reads a (qualified) name at this.pos and returns its interned entry: documents repeat a handful of
   * names, so the name strings are created once per parse instead of once per tag (much less garbage on
   * large messages). The hash is computed while the characters are checked, so a repeated name costs one
   * pass over its characters plus one comparison.
   */
  private readName(): NameEntry {
    const s = this.s;
    const n = s.length;
    const start = this.pos;
    let c = s.charCodeAt(start);
    if (!(c < 0x80 ? NAME_CLASS[c] === 1 : isNameStartHigh(c))) reject(`invalid name at offset ${start}`);
    let h = c;
    let p = start + 1;
    for (; p < n; p++) {
      c = s.charCodeAt(p);
      if (c < 0x80) {
        if (NAME_CLASS[c] === 0) break;
      } else if (c !== 0xb7 && !isNameStartHigh(c)) break;
      h = (Math.imul(h, 31) + c) | 0;
    }
    this.pos = p;
    const len = p - start;
    const slot = h & (NAME_TABLE_SIZE - 1);
    const bucket = this.names[slot];
    let chain = 0;
    for (let e = bucket; e !== undefined; e = e.next) {
      if (e.hash === h && e.qname.length === len && sameName(s, start, e)) return e;
      chain++;
    }
    const entry = splitQualifiedName(s.slice(start, p), h, bucket);
    // Only a handful of names per bucket are kept, so a document of look-alike names cannot make lookups quadratic.
    if (chain < 8) this.names[slot] = entry;
    return entry;
  }

  private parseRootElement(): FastElement {
    const s = this.s;
    const n = s.length;
    // Elements under construction are the FastElements themselves: text is filled in place. Children are
    // gathered on one shared list and copied into an array of the exact size when their parent closes
    // (growing an array per parent costs more and leaves garbage behind).
    const stack: FastElement[] = [];
    const kids: FastElement[] = [];
    /** kids[childStart[d], kidCount) are the children so far of stack[d]. */
    const childStart: number[] = [];
    let kidCount = 0;
    let depth = 0;
    let top: FastElement | undefined;
    let pos = this.pos;
    for (;;) {
      // Here pos is at '<'.
      const c1 = s.charCodeAt(pos + 1);
      if (c1 === 0x2f) {
        if (top === undefined) reject('unexpected end tag');
        const name = top.name as NameEntry;
        pos += 2;
        if (!sameName(s, pos, name)) reject(`end tag does not match <${name.qname}>`);
        pos += name.qname.length;
        let c = s.charCodeAt(pos);
        while (c === 0x20 || c === 0xa || c === 0x9 || c === 0xd) c = s.charCodeAt(++pos);
        if (c !== 0x3e) reject(`end tag does not match <${name.qname}>`);
        pos++;
        const first = childStart[--depth];
        if (kidCount > first) {
          top.children = kids.slice(first, kidCount);
          kidCount = first;
        }
        if (depth === 0) {
          this.pos = pos;
          return top;
        }
        top = stack[depth - 1];
      } else if (c1 === 0x21) {
        this.pos = pos;
        if (s.startsWith('<!--', pos)) this.skipComment();
        else if (s.startsWith('<![CDATA[', pos)) {
          const end = s.indexOf(']]>', pos + 9);
          if (end < 0) reject('unterminated CDATA section');
          (top as FastElement).text += s.slice(pos + 9, end);
          this.pos = end + 3;
        } else this.refuseDeclaration(pos);
        pos = this.pos;
      } else if (c1 === 0x3f) {
        this.refusePi(pos);
      } else {
        this.pos = pos;
        const open = this.parseStartTag(top === undefined ? ROOT_SCOPE : top.scope, depth + 1);
        pos = this.pos;
        if (top !== undefined) kids[kidCount++] = open;
        if (this.lastTagSelfClosed) {
          if (top === undefined) return open;
        } else {
          stack[depth] = open;
          childStart[depth] = kidCount;
          depth++;
          top = open;
        }
      }
      // Character data up to the next '<', checked for ']]>' and '&' on the way.
      const start = pos;
      let amp = -1;
      let cdataEnd = false;
      let c = 0;
      while (pos < n) {
        c = s.charCodeAt(pos);
        if (c === 0x3c) break;
        if (c === 0x26) {
          if (amp < 0) amp = pos;
        } else if (c === 0x5d && s.charCodeAt(pos + 1) === 0x5d && s.charCodeAt(pos + 2) === 0x3e) cdataEnd = true;
        pos++;
      }
      if (pos >= n) reject(`element <${(top as FastElement).name.qname}> is not closed`);
      if (pos > start) {
        if (cdataEnd) reject("']]>' is not allowed in character data");
        const chunk = amp >= 0 ? expandReferences(s, start, pos, amp) : s.slice(start, pos);
        const el = top as FastElement;
        el.text = el.text === '' ? chunk : el.text + chunk;
      }
    }
  }

  private parseStartTag(parentScope: NsScope, depth: number): FastElement {
    const s = this.s;
    const n = s.length;
    if (depth > this.limits.maxDepth) {
      throw new XmlRejectedError('too-deep', `elements nested deeper than ${this.limits.maxDepth} levels`);
    }
    if (++this.elementCount > this.limits.maxElements) {
      throw new XmlRejectedError('too-many-elements', `more than ${this.limits.maxElements} elements`);
    }
    this.pos++;
    // Try the name that followed the previous start tag's name last time before reading the name afresh.
    const previous = this.previousName;
    const guess = previous === undefined ? undefined : previous.following;
    let name: NameEntry;
    if (
      guess !== undefined &&
      sameName(s, this.pos, guess) &&
      !isNameChar(s.charCodeAt(this.pos + guess.codes.length))
    ) {
      name = guess;
      this.pos += guess.codes.length;
    } else {
      name = this.readName();
      if (previous !== undefined) previous.following = name;
    }
    this.previousName = name;
    const qname = name.qname;
    /** The tag's attributes (declarations excluded) are attrList[0, attrsFound). */
    const attrList = this.attrList;
    let attrsFound = 0;
    /** Prefixed attributes still to be resolved (declarations may follow them on the same tag). */
    let prefixed = 0;
    let attrCount = 0;
    const attrNames = this.attrNames;
    let seenNames: Set<string> | undefined;
    let scope = parentScope;
    let selfClosed = false;
    let p = this.pos;
    for (;;) {
      let c = s.charCodeAt(p);
      const hadSpace = c === 0x20 || c === 0xa || c === 0x9 || c === 0xd;
      while (c === 0x20 || c === 0xa || c === 0x9 || c === 0xd) c = s.charCodeAt(++p);
      if (c === 0x3e) {
        p++;
        break;
      }
      if (c === 0x2f) {
        if (s.charCodeAt(p + 1) !== 0x3e) reject(`malformed start tag <${qname}>`);
        p += 2;
        selfClosed = true;
        break;
      }
      if (p >= n) reject(`unterminated start tag <${qname}>`);
      if (!hadSpace) reject(`whitespace required between attributes of <${qname}>`);
      this.pos = p;
      const attrName = this.readName();
      p = this.pos;
      c = s.charCodeAt(p);
      while (c === 0x20 || c === 0xa || c === 0x9 || c === 0xd) c = s.charCodeAt(++p);
      if (c !== 0x3d) reject(`attribute ${attrName.qname} of <${qname}> has no value`);
      c = s.charCodeAt(++p);
      while (c === 0x20 || c === 0xa || c === 0x9 || c === 0xd) c = s.charCodeAt(++p);
      const quote = c;
      if (quote !== 0x22 && quote !== 0x27) reject(`attribute ${attrName.qname} of <${qname}> is not quoted`);
      // The value up to the closing quote, noting '<', '&' and tab/LF on the way.
      const valueStart = p + 1;
      let lt = false;
      let amp = -1;
      let ws = false;
      for (p = valueStart; p < n; p++) {
        c = s.charCodeAt(p);
        if (c === quote) break;
        if (c === 0x3c) lt = true;
        else if (c === 0x26) {
          if (amp < 0) amp = p;
        } else if (c === 0x9 || c === 0xa) ws = true;
      }
      if (p >= n) reject(`unterminated attribute value in <${qname}>`);
      if (lt) reject(`'<' in attribute value of <${qname}>`);
      let value: string;
      if (ws) {
        value = normalizeAttributeWhitespace(s, valueStart, p);
        const a = value.indexOf('&');
        if (a >= 0) value = expandReferences(value, 0, value.length, a);
      } else {
        value = amp >= 0 ? expandReferences(s, valueStart, p, amp) : s.slice(valueStart, p);
      }
      p++;
      if (attrCount > 0) {
        if (attrCount < PAIRWISE_ATTRIBUTES) {
          for (let i = 0; i < attrCount; i++) {
            if (attrNames[i].qname === attrName.qname) reject(`duplicate attribute ${attrName.qname} in <${qname}>`);
          }
        } else {
          // Many attributes: a set keeps the duplicate check linear (a hostile tag could carry thousands).
          if (seenNames === undefined) {
            seenNames = new Set();
            for (let i = 0; i < PAIRWISE_ATTRIBUTES; i++) seenNames.add(attrNames[i].qname);
          }
          if (seenNames.has(attrName.qname)) reject(`duplicate attribute ${attrName.qname} in <${qname}>`);
          seenNames.add(attrName.qname);
        }
      }
      if (attrCount < PAIRWISE_ATTRIBUTES) attrNames[attrCount] = attrName;
      attrCount++;
      if (attrName.isXmlns) {
        const prefix = attrName.prefix === '' ? '' : attrName.local;
        checkDeclaration(prefix, value);
        if (scope === parentScope) scope = new NsScope(parentScope);
        scope.prefixes.push(prefix);
        scope.uris.push(value);
      } else {
        const attr = new FastAttribute('', attrName.local, value, attrName.qname);
        attrList[attrsFound++] = attr;
        if (attrName.prefix !== '') {
          this.pendingAttrs[prefixed] = attr;
          this.pendingNames[prefixed] = attrName;
          prefixed++;
        }
      }
    }
    this.pos = p;

    const el = new FastElement(name, scope, name.namespaceIn(scope));
    if (attrsFound > 0) {
      if (prefixed > 0) this.resolveAttributes(prefixed, scope, qname);
      el.attributes = attrsFound === 1 ? [attrList[0]] : attrList.slice(0, attrsFound);
    }
    this.lastTagSelfClosed = selfClosed;
    return el;
  }

  /**
   * Resolves the prefixes of the tag's prefixed attributes (pendingAttrs[0, count)) once all its declarations
   * are known, and refuses two attributes with the same expanded name.
   */
  private resolveAttributes(count: number, scope: NsScope, qname: string): void {
    let qualified: Set<string> | undefined;
    for (let i = 0; i < count; i++) {
      const attr = this.pendingAttrs[i];
      const name = this.pendingNames[i];
      const uri = name.namespaceIn(scope);
      attr.ns = uri;
      if (count > 1) {
        // Two prefixes bound to one namespace can still name the same attribute.
        const expanded = `${uri}\u0000${attr.local}`;
        if ((qualified ??= new Set()).has(expanded)) reject(`duplicate attribute {${uri}}${attr.local} in <${qname}>`);
        qualified.add(expanded);
      }
    }
  }
}

export interface QualifiedName {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
}

/** An interned name of one parse, with the namespace its prefix resolved to in the last scope it was seen in. */
class NameEntry implements QualifiedName {
  /** The scope of the last element with this name and the namespace its prefix resolved to there. */
  cachedScope: NsScope | undefined = undefined;
  cachedNs = '';
  /** The name of the start tag that followed the last start tag with this name (documents repeat their patterns). */
  following: NameEntry | undefined = undefined;
  /** The name's character codes, for comparing it in place. */
  readonly codes: number[] = [];

  constructor(
    readonly qname: string,
    readonly prefix: string,
    readonly local: string,
    /** True for xmlns and xmlns:*. */
    readonly isXmlns: boolean,
    readonly hash: number,
    /** Next interned name in the same table slot. */
    readonly next: NameEntry | undefined,
  ) {
    for (let i = 0; i < qname.length; i++) this.codes.push(qname.charCodeAt(i));
  }

  /** The namespace the prefix is bound to in `scope` (remembered for the next name in the same scope). */
  namespaceIn(scope: NsScope): string {
    if (this.cachedScope === scope) return this.cachedNs;
    const ns = scope.lookup(this.prefix);
    if (ns === undefined)
      throw new XmlRejectedError('undeclared-prefix', `namespace prefix ${this.prefix} is not declared`);
    this.cachedScope = scope;
    this.cachedNs = ns;
    return ns;
  }
}

/** True when s[start, start + e.qname.length) is e's name. */
function sameName(s: string, start: number, e: NameEntry): boolean {
  const codes = e.codes;
  for (let i = codes.length - 1; i >= 0; i--) {
    if (s.charCodeAt(start + i) !== codes[i]) return false;
  }
  return true;
}

function splitQualifiedName(qname: string, hash: number, next: NameEntry | undefined): NameEntry {
  const colon = qname.indexOf(':');
  if (colon < 0) return new NameEntry(qname, '', qname, qname === 'xmlns', hash, next);
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  // Both parts are NCNames: the local part must start with a name start character too ('<p:-a>', '<p:1>'
  // were accepted until differential fuzzing against libexpat found it, test/soap/xml/fuzz).
  if (prefix === '' || local === '' || local.indexOf(':') >= 0 || !isNameStart(local.charCodeAt(0)))
    reject(`invalid qualified name ${qname}`);
  return new NameEntry(qname, prefix, local, prefix === 'xmlns', hash, next);
}

function checkDeclaration(prefix: string, uri: string): void {
  if (prefix === 'xmlns') reject('the xmlns prefix cannot be declared');
  if (prefix === 'xml') {
    if (uri !== XML_NS) reject('the xml prefix cannot be rebound');
    return;
  }
  if (uri === XML_NS || uri === XMLNS_NS) reject(`namespace ${uri} cannot be bound to prefix '${prefix}'`);
  if (prefix !== '' && uri === '') reject(`prefix ${prefix} cannot be undeclared (xmlns:${prefix}="")`);
}
