/**
 * Escaping for XML text and attribute values. A character XML 1.0 cannot carry (C0 controls other
 * than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) is an error, never silently dropped.
 */

export class XmlCharacterError extends Error {
  constructor(readonly codePoint: number) {
    super(`character U+${codePoint.toString(16).padStart(4, '0').toUpperCase()} cannot be written in XML 1.0`);
    this.name = 'XmlCharacterError';
  }
}

/** Index of the first character that needs escaping or is invalid, or -1. */
function firstSpecial(s: string, attribute: boolean): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (attribute || (c !== 0x9 && c !== 0xa)) return i;
    } else if (c === 0x26 || c === 0x3c || c === 0x3e || (attribute && c === 0x22)) {
      return i;
    } else if (c >= 0xd800) {
      if (c <= 0xdfff || c >= 0xfffe) return i;
    }
  }
  return -1;
}

function escapeFrom(s: string, start: number, attribute: boolean): string {
  let out = s.slice(0, start);
  let last = start;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    switch (c) {
      case 0x26:
        rep = '&amp;';
        break;
      case 0x3c:
        rep = '&lt;';
        break;
      case 0x3e:
        rep = '&gt;';
        break;
      case 0x22:
        if (attribute) rep = '&quot;';
        break;
      case 0x9:
        if (attribute) rep = '&#9;';
        break;
      case 0xa:
        if (attribute) rep = '&#10;';
        break;
      case 0xd:
        rep = '&#13;';
        break;
      default:
        if (c < 0x20 || c === 0xfffe || c === 0xffff) throw new XmlCharacterError(c);
        if (c >= 0xd800 && c <= 0xdbff) {
          const next = s.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) {
            i++;
            continue;
          }
          throw new XmlCharacterError(c);
        }
        if (c >= 0xdc00 && c <= 0xdfff) throw new XmlCharacterError(c);
    }
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return out + s.slice(last);
}

/** Escapes character data (`&`, `<`, `>` so `]]>` can never appear, CR as a reference). */
export function escapeText(s: string): string {
  const i = firstSpecial(s, false);
  return i < 0 ? s : escapeFrom(s, i, false);
}

/** Escapes a double-quoted attribute value (also `"`, tab, LF and CR, which attribute normalization would lose). */
export function escapeAttribute(s: string): string {
  const i = firstSpecial(s, true);
  return i < 0 ? s : escapeFrom(s, i, true);
}
