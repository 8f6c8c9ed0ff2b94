/**
 * XML Schema regular expressions (XSD 1.0 Part 2, Appendix F) translated to JavaScript RegExp source for
 * the `v` (unicodeSets) flag, which gives nested classes and class subtraction natively.
 *
 * XSD patterns are implicitly anchored and have no anchors of their own (`^` and `$` are ordinary
 * characters), `.` excludes only \n and \r, `\d` and `\w` are Unicode-wide, and `\i`/`\c` are XML name
 * characters. Anything that cannot be translated faithfully throws XsdPatternError.
 */

export class XsdPatternError extends Error {
  constructor(readonly pattern: string, detail: string) {
    super(`cannot translate XSD pattern "${pattern}": ${detail}`);
    this.name = 'XsdPatternError';
  }
}

/** The flag translated sources are written for. */
export const XSD_PATTERN_FLAGS = 'v';

/** Compile a translated source into a whole-value matcher (XSD patterns match the entire lexical value). */
export function compileXsdPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, XSD_PATTERN_FLAGS);
}

// XML 1.0 (5th edition) NameStartChar and NameChar, used for \i and \c.
const NAME_START = String.raw`\:A-Z_a-z\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{2FF}\u{370}-\u{37D}\u{37F}-\u{1FFF}\u{200C}-\u{200D}\u{2070}-\u{218F}\u{2C00}-\u{2FEF}\u{3001}-\u{D7FF}\u{F900}-\u{FDCF}\u{FDF0}-\u{FFFD}\u{10000}-\u{EFFFF}`;
const NAME_CHAR = String.raw`${NAME_START}\-\.0-9\u{B7}\u{300}-\u{36F}\u{203F}-\u{2040}`;

const MULTI_CHAR_ESCAPES: Readonly<Record<string, string>> = {
  s: String.raw`[\u{20}\t\n\r]`,
  S: String.raw`[^\u{20}\t\n\r]`,
  i: `[${NAME_START}]`,
  I: `[^${NAME_START}]`,
  c: `[${NAME_CHAR}]`,
  C: `[^${NAME_CHAR}]`,
  d: String.raw`\p{Nd}`,
  D: String.raw`\P{Nd}`,
  w: String.raw`[^\p{P}\p{Z}\p{C}]`,
  W: String.raw`[\p{P}\p{Z}\p{C}]`,
};

const SINGLE_CHAR_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n', r: '\r', t: '\t', '\\': '\\', '|': '|', '.': '.', '?': '?', '*': '*', '+': '+', '(': '(', ')': ')',
  '{': '{', '}': '}', '-': '-', '[': '[', ']': ']', '^': '^',
};

const CATEGORIES = new Set([
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps', 'Pe',
  'Pi', 'Pf', 'Po', 'Z', 'Zs', 'Zl', 'Zp', 'S', 'Sm', 'Sc', 'Sk', 'So', 'C', 'Cc', 'Cf', 'Co', 'Cn',
]);

/** Unicode blocks for \p{IsX}; JS has no block escapes, so they become code point ranges. */
const BLOCKS: Readonly<Record<string, [number, number]>> = {
  BasicLatin: [0x0000, 0x007f], 'Latin-1Supplement': [0x0080, 0x00ff], 'LatinExtended-A': [0x0100, 0x017f],
  'LatinExtended-B': [0x0180, 0x024f], IPAExtensions: [0x0250, 0x02af], SpacingModifierLetters: [0x02b0, 0x02ff],
  CombiningDiacriticalMarks: [0x0300, 0x036f], Greek: [0x0370, 0x03ff], Cyrillic: [0x0400, 0x04ff],
  Armenian: [0x0530, 0x058f], Hebrew: [0x0590, 0x05ff], Arabic: [0x0600, 0x06ff], Devanagari: [0x0900, 0x097f],
  Thai: [0x0e00, 0x0e7f], LatinExtendedAdditional: [0x1e00, 0x1eff], GreekExtended: [0x1f00, 0x1fff],
  GeneralPunctuation: [0x2000, 0x206f], SuperscriptsandSubscripts: [0x2070, 0x209f],
  CurrencySymbols: [0x20a0, 0x20cf], LetterlikeSymbols: [0x2100, 0x214f], NumberForms: [0x2150, 0x218f],
  Arrows: [0x2190, 0x21ff], MathematicalOperators: [0x2200, 0x22ff], BoxDrawing: [0x2500, 0x257f],
  GeometricShapes: [0x25a0, 0x25ff], MiscellaneousSymbols: [0x2600, 0x26ff], Dingbats: [0x2700, 0x27bf],
  CJKSymbolsandPunctuation: [0x3000, 0x303f], Hiragana: [0x3040, 0x309f], Katakana: [0x30a0, 0x30ff],
  CJKUnifiedIdeographs: [0x4e00, 0x9fff], HangulSyllables: [0xac00, 0xd7a3], PrivateUse: [0xe000, 0xf8ff],
  CJKCompatibilityIdeographs: [0xf900, 0xfaff], AlphabeticPresentationForms: [0xfb00, 0xfb4f],
  HalfwidthandFullwidthForms: [0xff00, 0xffef], Specials: [0xfff0, 0xffff],
};

// Characters that must be escaped to stand for themselves: outside classes (syntax characters) and inside
// `v`-mode classes (syntax characters plus the reserved class-set punctuators).
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
const CLASS_RESERVED = new Set('^$\\.*+?()[]{}|/-&!#%,:;<=>@`~'.split(''));

function hex(cp: number): string {
  return `\\u{${cp.toString(16).toUpperCase()}}`;
}

function literal(ch: string, inClass: boolean): string {
  if ((inClass ? CLASS_RESERVED : SYNTAX_CHARS).has(ch)) return `\\${ch}`;
  const cp = ch.codePointAt(0) as number;
  // Control and separator characters are written as code points so the source stays readable.
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0x2028 || cp === 0x2029) return hex(cp);
  return ch;
}

/** Translate an XSD pattern to JS RegExp source (for the `v` flag, unanchored: see compileXsdPattern). */
export function translateXsdPattern(pattern: string): string {
  const chars = Array.from(pattern);
  let pos = 0;
  const fail = (detail: string): never => {
    throw new XsdPatternError(pattern, `${detail} at position ${pos}`);
  };
  const peek = (): string | undefined => chars[pos];

  function regExp(): string {
    const branches = [branch()];
    while (peek() === '|') {
      pos++;
      branches.push(branch());
    }
    return branches.join('|');
  }

  function branch(): string {
    let out = '';
    while (pos < chars.length && peek() !== '|' && peek() !== ')') out += piece();
    return out;
  }

  function piece(): string {
    const a = atom();
    const q = peek();
    if (q === '?' || q === '*' || q === '+') {
      pos++;
      return a + q;
    }
    if (q === '{') return a + quantity();
    return a;
  }

  function quantity(): string {
    const close = chars.indexOf('}', pos);
    if (close < 0) fail('unterminated quantifier');
    const body = chars.slice(pos + 1, close).join('');
    if (!/^\d+(,\d*)?$/.test(body)) fail(`invalid quantifier {${body}}`);
    const [min, max] = body.split(',');
    if (max !== undefined && max !== '' && Number(max) < Number(min)) fail(`quantifier {${body}} has max < min`);
    pos = close + 1;
    return `{${body}}`;
  }

  function atom(): string {
    const ch = peek() as string;
    switch (ch) {
      case '(': {
        pos++;
        const inner = regExp();
        if (peek() !== ')') fail('unbalanced parenthesis');
        pos++;
        return `(?:${inner})`;
      }
      case '[':
        return charClassExpr();
      case '.':
        pos++;
        return String.raw`[^\n\r]`;
      case '\\':
        return escape(false);
      case '?': case '*': case '+': case '{': case '}': case ']': case ')':
        return fail(`unexpected "${ch}"`);
      default:
        pos++;
        return literal(ch, false);
    }
  }

  /** A backslash escape; returns JS source usable outside a class, or as a class-set operand when inClass. */
  function escape(inClass: boolean): string {
    pos++;
    const e = peek();
    if (e === undefined) return fail('pattern ends with a backslash');
    pos++;
    if (e in SINGLE_CHAR_ESCAPES) {
      const c = SINGLE_CHAR_ESCAPES[e];
      return c === '\n' || c === '\r' || c === '\t' ? `\\${e}` : literal(c, inClass);
    }
    if (e in MULTI_CHAR_ESCAPES) return MULTI_CHAR_ESCAPES[e];
    if (e === 'p' || e === 'P') return property(e === 'P');
    return fail(`unknown escape "\\${e}"`);
  }

  function property(negated: boolean): string {
    if (peek() !== '{') fail('expected { after \\p');
    const close = chars.indexOf('}', pos);
    if (close < 0) fail('unterminated \\p{...}');
    const name = chars.slice(pos + 1, close).join('');
    pos = close + 1;
    if (CATEGORIES.has(name)) return `\\${negated ? 'P' : 'p'}{${name}}`;
    if (name.startsWith('Is')) {
      const block = BLOCKS[name.slice(2)];
      if (block === undefined) return fail(`unsupported Unicode block "${name}"`);
      return `[${negated ? '^' : ''}${hex(block[0])}-${hex(block[1])}]`;
    }
    return fail(`unknown character property "${name}"`);
  }

  /** '[' charGroup ']' where charGroup = ('^')? (charRange | charClassEsc)+ ('-' charClassExpr)? */
  function charClassExpr(): string {
    pos++; // [
    let negated = false;
    if (peek() === '^') {
      negated = true;
      pos++;
    }
    const items: string[] = [];
    let subtraction: string | undefined;
    for (;;) {
      const ch = peek();
      if (ch === undefined) return fail('unterminated character class');
      if (ch === ']') {
        if (items.length === 0) fail('empty character class');
        pos++;
        break;
      }
      if (ch === '-' && chars[pos + 1] === '[') {
        if (items.length === 0) fail('subtraction without a base group');
        pos++;
        subtraction = charClassExpr();
        if (peek() !== ']') fail('character class subtraction must end the group');
        pos++;
        break;
      }
      if (ch === '[') fail('unescaped "[" in a character class');
      items.push(rangeOrEscape(items.length === 0));
    }
    const group = `[${negated ? '^' : ''}${items.join('')}]`;
    return subtraction === undefined ? group : `[${group}--${subtraction}]`;
  }

  function rangeOrEscape(first: boolean): string {
    const startPos = pos;
    let from: string | undefined;
    if (peek() === '\\') {
      const nextCh = chars[pos + 1];
      if (nextCh !== undefined && nextCh in SINGLE_CHAR_ESCAPES) {
        pos += 2;
        from = SINGLE_CHAR_ESCAPES[nextCh];
      } else {
        return escape(true);
      }
    } else {
      from = peek() as string;
      pos++;
      // '-' is literal only at the start or end of a group.
      if (from === '-' && !first && peek() !== ']') fail('"-" must be escaped inside a character class');
    }
    if (peek() === '-' && chars[pos + 1] !== ']' && chars[pos + 1] !== '[') {
      pos++;
      let to: string;
      if (peek() === '\\') {
        const nextCh = chars[pos + 1];
        if (nextCh === undefined || !(nextCh in SINGLE_CHAR_ESCAPES)) fail('a range must end with a single character');
        pos += 2;
        to = SINGLE_CHAR_ESCAPES[nextCh as string];
      } else {
        to = peek() as string;
        if (to === undefined || to === '[' || to === ']') fail('incomplete range');
        pos++;
      }
      if ((from.codePointAt(0) as number) > (to.codePointAt(0) as number)) {
        pos = startPos;
        fail(`range ${from}-${to} is out of order`);
      }
      return `${literal(from, true)}-${literal(to, true)}`;
    }
    return literal(from, true);
  }

  const out = regExp();
  if (pos < chars.length) fail(`unexpected "${peek()}"`);
  try {
    compileXsdPattern(out);
  } catch (err) {
    throw new XsdPatternError(pattern, `translation "${out}" is not a valid JS RegExp (${(err as Error).message})`);
  }
  return out;
}
