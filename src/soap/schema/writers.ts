/**
 * Writers for simple values, chosen once per compiled simple type (at schema-compile time) by its built-in
 * and facets, for the encoder's hot path.
 *
 * A fast writer returns the escaped text of a value it can prove valid with a few cheap checks (a typeof,
 * a character scan, a range, the facets that apply), or undefined for anything else. The encoder then
 * takes the general path (`generalText`: writeSimple with every check, then escaping), which writes the
 * same text for a valid value and says what is wrong with an invalid one. So the fast writers only decide
 * how quickly a value is accepted, never what is written or refused.
 */
import type { CompiledBound, CompiledSimpleType, FastWriter } from './tables';
import * as escaping from '../xml/escape';
import * as lexical from './lexical';
import * as simpleValues from './simple';

// Local bindings for the hot path (CommonJS transpilers may turn every imported-binding use into a getter call).
const INVALID: lexical.Invalid = lexical.INVALID;
const { NAME_PATTERNS, compareDecimalParts, decimalParts, formatDouble, isPlainDate, isPlainDateTime } = lexical;
const { XmlCharacterError, escapeAttribute, escapeText } = escaping;
const writeSimple = simpleValues.writeSimple;

/**
 * The general path: the value checked against every facet and written in its lexical form, escaped for
 * element content or a double-quoted attribute; undefined with the reasons in `problems` when it does not fit.
 */
export function generalText(
  t: CompiledSimpleType,
  value: unknown,
  problems: string[],
  attribute: boolean,
): string | undefined {
  const s = writeSimple(t, value, problems);
  if (s === INVALID) return undefined;
  // Setting length is a runtime call even on an empty array; once per value it showed as ~4% of encoding.
  if (problems.length !== 0) problems.length = 0;
  if (t.repr !== 'string') return s;
  try {
    return attribute ? escapeAttribute(s) : escapeText(s);
  } catch (err) {
    if (err instanceof XmlCharacterError) {
      problems.push(err.message);
      return undefined;
    }
    throw err;
  }
}

/** Built-ins whose every (whitespace-processed) lexical form is valid. */
const FREE_STRINGS: ReadonlySet<string> = new Set<string>([
  'string',
  'normalizedString',
  'token',
  'anyURI',
  'anyType',
  'anySimpleType',
]);

/** The fast writer of a simple type, or undefined when every value takes the general path. */
export function compileFastWriter(t: CompiledSimpleType, attribute: boolean): FastWriter | undefined {
  if (t.item || t.members) return undefined;
  if (t.enumeration) return t.repr === 'string' ? enumerationWriter(t, attribute) : undefined;
  const noLexicalFacets =
    !t.patterns && t.length === undefined && t.minLength === undefined && t.maxLength === undefined;
  const noDigits = t.totalDigits === undefined && t.fractionDigits === undefined;
  switch (t.repr) {
    case 'string':
      if (t.builtin === 'decimal')
        return t.length === undefined && t.minLength === undefined && t.maxLength === undefined
          ? decimalWriter(t)
          : undefined;
      if (!noDigits || t.lower || t.upper) return undefined;
      if (t.builtin === 'date' || t.builtin === 'dateTime') {
        if (!noLexicalFacets) return undefined;
        const check = t.builtin === 'date' ? isPlainDate : isPlainDateTime;
        return (v) => (typeof v === 'string' && check(v) ? v : undefined);
      }
      return stringWriter(t, attribute);
    case 'number':
      if (!noLexicalFacets || !noDigits) return undefined;
      if (t.integerRange) return integerWriter(t);
      if (t.lower || t.upper) return undefined;
      return (v) => (typeof v === 'number' ? formatDouble(v) : undefined);
    case 'bigint':
      return noLexicalFacets && noDigits ? bigintWriter(t) : undefined;
    case 'boolean':
      return noLexicalFacets && noDigits ? (v) => (v === true ? 'true' : v === false ? 'false' : undefined) : undefined;
    default:
      return undefined;
  }
}

/** Enumerated strings: every enumeration value's text, computed once by the general path. */
function enumerationWriter(t: CompiledSimpleType, attribute: boolean): FastWriter | undefined {
  const texts = new Map<string, string>();
  const scratch: string[] = [];
  for (const candidate of t.enumeration as ReadonlySet<string>) {
    const text = generalText(t, candidate, scratch, attribute);
    scratch.length = 0;
    if (text !== undefined) texts.set(candidate, text);
  }
  if (texts.size === 0) return undefined;
  return (v) => (typeof v === 'string' ? texts.get(v) : undefined);
}

/**
 * True when `s` is written as it is: only U+0020..U+D7FF and U+E000..U+FFFD, no '&', '<', '>' (nor '"' in an
 * attribute). Then nothing needs escaping, whitespace replacement changes nothing, and the length in code
 * points is s.length. With `collapse`, also no leading, trailing or double space.
 */
function isPlainText(s: string, attribute: boolean, collapse: boolean): boolean {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x3e) {
      if (c < 0x20 || c === 0x26 || c === 0x3c || c === 0x3e || (attribute && c === 0x22)) return false;
      if (collapse && c === 0x20 && (i === 0 || i === n - 1 || s.charCodeAt(i - 1) === 0x20)) return false;
    } else if (c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe)) {
      return false;
    }
  }
  return true;
}

/** What a string type's fast reader and writer check, or undefined when its built-in has no quick test. */
export interface StringChecks {
  /** The built-in's name pattern (NCName, token forms...), undefined for free strings. */
  readonly name: RegExp | undefined;
  /** Length bounds in code points, from length / minLength / maxLength. */
  readonly min: number;
  readonly max: number;
  readonly patterns: readonly RegExp[];
}

export function stringChecks(t: CompiledSimpleType): StringChecks | undefined {
  const free = FREE_STRINGS.has(t.builtin);
  const name = free ? undefined : NAME_PATTERNS[t.builtin];
  if (!free && name === undefined) return undefined;
  return {
    name,
    min: Math.max(t.length ?? 0, t.minLength ?? 0),
    max: Math.min(t.length ?? Infinity, t.maxLength ?? Infinity),
    patterns: t.patterns ?? [],
  };
}

function stringWriter(t: CompiledSimpleType, attribute: boolean): FastWriter | undefined {
  const checks = stringChecks(t);
  if (checks === undefined) return undefined;
  const { name, min, max, patterns } = checks;
  const collapse = t.whiteSpace === 'collapse';
  const bounded = min > 0 || max < Infinity;
  if (name === undefined && patterns.length === 0 && !bounded) {
    return (v) => (typeof v === 'string' && isPlainText(v, attribute, collapse) ? v : undefined);
  }
  if (name === undefined && patterns.length === 1) {
    const pattern = patterns[0];
    return (v) =>
      typeof v === 'string' &&
      v.length >= min &&
      v.length <= max &&
      isPlainText(v, attribute, collapse) &&
      pattern.test(v)
        ? v
        : undefined;
  }
  return (v) => {
    if (typeof v !== 'string' || v.length < min || v.length > max || !isPlainText(v, attribute, collapse))
      return undefined;
    if (name !== undefined && !name.test(v)) return undefined;
    for (let i = 0; i < patterns.length; i++) if (!patterns[i].test(v)) return undefined;
    return v;
  };
}

/** Number-typed integers (int and narrower): the built-in's range and the bounds as one inclusive range. */
function integerWriter(t: CompiledSimpleType): FastWriter {
  const { lo, hi } = integerLimits(t);
  return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? String(v) : undefined);
}

function bigintWriter(t: CompiledSimpleType): FastWriter {
  const range = t.integerRange as lexical.IntegerRange;
  let lo = range.min;
  let hi = range.max;
  if (t.lower) {
    const b = (t.lower.bigint as bigint) + (t.lower.inclusive ? 0n : 1n);
    if (lo === undefined || b > lo) lo = b;
  }
  if (t.upper) {
    const b = (t.upper.bigint as bigint) - (t.upper.inclusive ? 0n : 1n);
    if (hi === undefined || b < hi) hi = b;
  }
  return (v) =>
    typeof v === 'bigint' && (lo === undefined || v >= lo) && (hi === undefined || v <= hi) ? v.toString() : undefined;
}

/**
 * Decimals (exact lexical strings): the common unsigned form without superfluous leading zeros, digits
 * counted as the facets count them; bounds compared exactly unless a non-negative value always meets them.
 */
function decimalWriter(t: CompiledSimpleType): FastWriter {
  const fits = decimalCheck(t);
  return (v) => (typeof v === 'string' && fits(v) ? v : undefined);
}

/**
 * A check that accepts only valid values of a decimal type (no length facets): the common unsigned form
 * without superfluous leading zeros and without whitespace, digits counted as the facets count them,
 * bounds compared exactly unless a non-negative value always meets them, patterns. False: not proven.
 */
export function decimalCheck(t: CompiledSimpleType): (s: string) => boolean {
  const total = t.totalDigits ?? Infinity;
  const fraction = t.fractionDigits ?? Infinity;
  const patterns = t.patterns ?? [];
  const zero = decimalParts('0');
  // Every non-negative value meets a lower bound of at most 0 (inclusive) or below 0 (exclusive).
  const lower =
    t.lower && !(compareDecimalParts(t.lower.decimal as lexical.DecimalParts, zero) < (t.lower.inclusive ? 1 : 0))
      ? t.lower
      : undefined;
  const upper = t.upper;
  return (v) => {
    const n = v.length;
    if (n === 0) return false;
    // Integer part: "0", or digits not starting with 0.
    let i = 0;
    let intDigits = 0;
    if (v.charCodeAt(0) === 0x30) i = 1;
    else {
      for (let c = v.charCodeAt(0); i < n && c >= 0x30 && c <= 0x39; c = v.charCodeAt(++i));
      if (i === 0) return false;
      intDigits = i;
    }
    let fractionDigits = 0;
    if (i < n) {
      if (v.charCodeAt(i) !== 0x2e || i === n - 1) return false;
      for (let j = i + 1; j < n; j++) {
        const c = v.charCodeAt(j);
        if (c < 0x30 || c > 0x39) return false;
        if (c !== 0x30) fractionDigits = j - i; // trailing zeros do not count
      }
    }
    if (fractionDigits > fraction || Math.max(1, intDigits + fractionDigits) > total) return false;
    if (lower !== undefined || upper !== undefined) {
      const parts = decimalParts(v);
      if (lower !== undefined && !within(parts, lower, true)) return false;
      if (upper !== undefined && !within(parts, upper, false)) return false;
    }
    for (let k = 0; k < patterns.length; k++) if (!patterns[k].test(v)) return false;
    return true;
  };
}

/** Number-typed integers: the built-in's range and the bounds as one inclusive range [lo, hi]. */
export function integerLimits(t: CompiledSimpleType): { lo: number; hi: number } {
  let lo = t.numberMin;
  let hi = t.numberMax;
  // Integer bounds of an integer type: v > b is v >= b + 1.
  if (t.lower) lo = Math.max(lo, (t.lower.number as number) + (t.lower.inclusive ? 0 : 1));
  if (t.upper) hi = Math.min(hi, (t.upper.number as number) - (t.upper.inclusive ? 0 : 1));
  return { lo, hi };
}

function within(parts: lexical.DecimalParts, bound: CompiledBound, lower: boolean): boolean {
  const c = compareDecimalParts(parts, bound.decimal as lexical.DecimalParts);
  if (lower) return bound.inclusive ? c >= 0 : c > 0;
  return bound.inclusive ? c <= 0 : c < 0;
}
