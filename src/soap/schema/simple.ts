/**
 * Simple values through a compiled simple type: lexical form -> typed value with every facet checked
 * (decoding), and typed value -> canonical lexical form, checked the same way (encoding), so we never
 * emit what we would refuse to read.
 */
import type { CompiledBound, CompiledSimpleType } from './tables';
import * as lexical from './lexical';
import type { Invalid } from './lexical';

// Local bindings: transpilers that emit CommonJS getters for imports would otherwise call a getter per use on the hot path.
const {
  INTEGER_RE,
  NAME_PATTERNS,
  applyWhiteSpace,
  codePointLength,
  compareDecimalParts,
  compareDurations,
  compareInstants,
  decimalParts,
  digitsOf,
  enumerationKeyOfLexical,
  formatDouble,
  isDecimalLexical,
  isValidTemporal,
  parseBase64,
  parseDuration,
  parseFloatLexical,
  parseHex,
  parseTemporal,
  rangeText,
} = lexical;
const INVALID: Invalid = lexical.INVALID;

const MAX_SHOWN = 60;

function show(s: string): string {
  return s.length > MAX_SHOWN ? `'${s.slice(0, MAX_SHOWN)}…'` : `'${s}'`;
}

/**
 * Reads a raw text value: whitespace processing, lexical check, conversion and facets. Problems are
 * pushed to `problems` (messages without path); the result is INVALID when the value is unusable.
 */
export function readSimple(t: CompiledSimpleType, raw: string, problems: string[]): unknown {
  const s = applyWhiteSpace(raw, t.whiteSpace);
  if (t.plain) return s;
  if (t.members) {
    const value = readUnion(t.members, raw);
    if (value === INVALID) {
      problems.push(
        `${show(s)} is not a valid value of any member type of the union (${t.members.map((m) => m.key.replace(/^\{[^}]*\}/, '')).join(', ')})`,
      );
      return INVALID;
    }
    return checkFacets(t, s, s, undefined, problems) ? value : INVALID;
  }
  if (t.item) {
    const parts = s === '' ? [] : s.split(' ');
    const values: unknown[] = [];
    let ok = true;
    for (const part of parts) {
      const v = readSimple(t.item, part, problems);
      if (v === INVALID) ok = false;
      values.push(v);
    }
    if (!ok) return INVALID;
    return checkFacets(t, s, values, parts.length, problems) ? values : INVALID;
  }
  const value = parseLexical(t, s, problems);
  if (value === INVALID) return INVALID;
  return checkFacets(t, s, value, undefined, problems) ? value : INVALID;
}

/** The value of the first union member that accepts `raw`, or INVALID. */
function readUnion(members: readonly CompiledSimpleType[], raw: string): unknown {
  const ignored: string[] = [];
  for (const m of members) {
    const v = readSimple(m, raw, ignored);
    if (v !== INVALID) return v;
    ignored.length = 0;
  }
  return INVALID;
}

function parseLexical(t: CompiledSimpleType, s: string, problems: string[]): unknown {
  const b = t.builtin;
  switch (b) {
    case 'string':
    case 'normalizedString':
    case 'token':
    case 'anyURI':
    case 'anyType':
    case 'anySimpleType':
      return s;
    case 'boolean':
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
      problems.push(`${show(s)} is not a valid boolean (true, false, 1 or 0)`);
      return INVALID;
    case 'decimal':
      if (isDecimalLexical(s)) return s;
      problems.push(`${show(s)} is not a valid decimal`);
      return INVALID;
    case 'float':
    case 'double': {
      const n = parseFloatLexical(s);
      if (n === INVALID) problems.push(`${show(s)} is not a valid ${b}`);
      return n;
    }
    case 'date':
    case 'dateTime':
    case 'time':
    case 'gYear':
    case 'gYearMonth':
    case 'gMonth':
    case 'gMonthDay':
    case 'gDay':
      if (isValidTemporal(b, s)) return s;
      problems.push(`${show(s)} is not a valid ${b}`);
      return INVALID;
    case 'duration':
      if (parseDuration(s)) return s;
      problems.push(`${show(s)} is not a valid duration`);
      return INVALID;
    case 'base64Binary': {
      const buf = parseBase64(s);
      if (buf === INVALID) problems.push('is not valid base64');
      return buf;
    }
    case 'hexBinary': {
      const buf = parseHex(s);
      if (buf === INVALID) problems.push('is not valid hexBinary');
      return buf;
    }
    default: {
      const range = t.integerRange;
      if (range) return parseInteger(t, s, problems);
      const re = NAME_PATTERNS[b];
      if (re && !re.test(s)) {
        problems.push(`${show(s)} is not a valid ${b}`);
        return INVALID;
      }
      return s;
    }
  }
}

function parseInteger(t: CompiledSimpleType, s: string, problems: string[]): number | bigint | Invalid {
  if (!INTEGER_RE.test(s)) {
    problems.push(`${show(s)} is not a valid ${t.builtin}`);
    return INVALID;
  }
  const range = t.integerRange as { min?: bigint; max?: bigint };
  if (t.repr === 'number' && s.length < 16) {
    // At most 15 digits: exact as a double, and cheaper than a BigInt.
    const n = Number(s);
    if (n < t.numberMin || n > t.numberMax) {
      problems.push(`${s} is out of range for ${t.builtin} (${rangeText(range)})`);
      return INVALID;
    }
    return n === 0 ? 0 : n;
  }
  const v = BigInt(s);
  if ((range.min !== undefined && v < range.min) || (range.max !== undefined && v > range.max)) {
    problems.push(`${show(s)} is out of range for ${t.builtin} (${rangeText(range)})`);
    return INVALID;
  }
  return t.repr === 'number' ? Number(v) : v;
}

/** Facets on a parsed value; `s` is the whitespace-processed lexical form. */
function checkFacets(
  t: CompiledSimpleType,
  s: string,
  value: unknown,
  listLength: number | undefined,
  problems: string[],
): boolean {
  let ok = true;
  if (t.length !== undefined || t.minLength !== undefined || t.maxLength !== undefined) {
    const unit = listLength !== undefined ? 'items' : t.repr === 'bytes' ? 'bytes' : 'characters';
    const n =
      listLength !== undefined ? listLength : t.repr === 'bytes' ? (value as Buffer).length : codePointLength(s);
    if (t.length !== undefined && n !== t.length) {
      problems.push(`must be exactly ${t.length} ${unit} long (is ${n})`);
      ok = false;
    }
    if (t.minLength !== undefined && n < t.minLength) {
      problems.push(`must be at least ${t.minLength} ${unit} long (is ${n})`);
      ok = false;
    }
    if (t.maxLength !== undefined && n > t.maxLength) {
      problems.push(`must be at most ${t.maxLength} ${unit} long (is ${n})`);
      ok = false;
    }
  }
  if (t.patterns) {
    for (let i = 0; i < t.patterns.length; i++) {
      if (!t.patterns[i].test(s)) {
        problems.push(`${show(s)} does not match pattern ${(t.patternSources as readonly string[])[i]}`);
        ok = false;
      }
    }
  }
  if (t.enumeration) {
    const key = t.item || t.repr !== 'string' ? enumerationKeyOfLexical(t, s) : s;
    if (key === undefined || !t.enumeration.has(key)) {
      problems.push(`${show(s)} must be one of: ${t.enumerationText}`);
      ok = false;
    }
  }
  // Decimal forms are split once for the bounds and digit facets.
  const parts =
    t.order === 'decimal' || t.totalDigits !== undefined || t.fractionDigits !== undefined
      ? decimalParts(s)
      : undefined;
  if (t.lower && !withinBound(t, s, value, parts, t.lower, true)) {
    problems.push(`must be ${t.lower.inclusive ? '>=' : '>'} ${t.lower.lexical}`);
    ok = false;
  }
  if (t.upper && !withinBound(t, s, value, parts, t.upper, false)) {
    problems.push(`must be ${t.upper.inclusive ? '<=' : '<'} ${t.upper.lexical}`);
    ok = false;
  }
  if (t.totalDigits !== undefined || t.fractionDigits !== undefined) {
    const d = digitsOf(parts as lexical.DecimalParts);
    if (t.totalDigits !== undefined && d.total > t.totalDigits) {
      problems.push(`must have at most ${t.totalDigits} digits`);
      ok = false;
    }
    if (t.fractionDigits !== undefined && d.fraction > t.fractionDigits) {
      problems.push(`must have at most ${t.fractionDigits} fraction digits`);
      ok = false;
    }
  }
  return ok;
}

function withinBound(
  t: CompiledSimpleType,
  s: string,
  value: unknown,
  parts: lexical.DecimalParts | undefined,
  bound: CompiledBound,
  lower: boolean,
): boolean {
  let c: number | undefined;
  switch (t.order) {
    case 'decimal':
      c = compareDecimalParts(parts as lexical.DecimalParts, bound.decimal as lexical.DecimalParts);
      break;
    case 'bigint': {
      const v = value as bigint;
      const b = bound.bigint as bigint;
      c = v < b ? -1 : v > b ? 1 : 0;
      break;
    }
    case 'number': {
      const v = value as number;
      const b = bound.number as number;
      if (Number.isNaN(v)) return false;
      c = v < b ? -1 : v > b ? 1 : 0;
      break;
    }
    case 'instant': {
      const i = parseTemporal(t.builtin, s);
      c = i ? compareInstants(i, bound.instant as NonNullable<CompiledBound['instant']>) : undefined;
      break;
    }
    case 'duration': {
      const d = parseDuration(s);
      c = d ? compareDurations(d, bound.duration as NonNullable<CompiledBound['duration']>) : undefined;
      break;
    }
    default:
      return true;
  }
  if (c === undefined) return false;
  if (lower) return bound.inclusive ? c >= 0 : c > 0;
  return bound.inclusive ? c <= 0 : c < 0;
}

/**
 * Writes a typed value as its lexical form (not yet escaped), checking it against the type. Returns
 * INVALID (with problems pushed) when the value does not fit.
 */
export function writeSimple(t: CompiledSimpleType, value: unknown, problems: string[]): string | Invalid {
  if (t.members) {
    // The first member that can write the value writes it; reading that text back gives the same member's value.
    const ignored: string[] = [];
    for (const m of t.members) {
      const s = writeSimple(m, value, ignored);
      ignored.length = 0;
      if (s !== INVALID && readSimple(t, s, ignored) !== INVALID) return s;
      ignored.length = 0;
    }
    problems.push(
      `${typeof value === 'string' ? show(value) : String(value)} is not a value of any member type of the union`,
    );
    return INVALID;
  }
  if (t.item) {
    if (!Array.isArray(value)) {
      problems.push('must be an array (xs:list)');
      return INVALID;
    }
    const parts: string[] = [];
    for (const v of value) {
      const p = writeSimple(t.item, v, problems);
      if (p === INVALID) return INVALID;
      parts.push(p);
    }
    const s = parts.join(' ');
    return readSimple(t, s, problems) === INVALID ? INVALID : s;
  }
  const lexical = toLexical(t, value, problems);
  if (lexical === INVALID) return INVALID;
  if (t.plain) return applyWhiteSpace(lexical, t.whiteSpace);
  if (t.repr !== 'string') {
    // Numbers, booleans and bytes were just written in canonical form: check range and facets on the value.
    const v = t.repr === 'bigint' && typeof value === 'number' ? BigInt(value) : value;
    if (t.integerRange && !inIntegerRange(t, v as number | bigint)) {
      problems.push(`${lexical} is out of range for ${t.builtin} (${rangeText(t.integerRange)})`);
      return INVALID;
    }
    return checkFacets(t, lexical, v, undefined, problems) ? lexical : INVALID;
  }
  // The whitespace-processed form is written, so what the receiver reads is exactly what was checked.
  const s = applyWhiteSpace(lexical, t.whiteSpace);
  return readSimple(t, s, problems) === INVALID ? INVALID : s;
}

function inIntegerRange(t: CompiledSimpleType, v: number | bigint): boolean {
  if (typeof v === 'number') return v >= t.numberMin && v <= t.numberMax;
  const r = t.integerRange as lexical.IntegerRange;
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);
}

function toLexical(t: CompiledSimpleType, value: unknown, problems: string[]): string | Invalid {
  switch (t.repr) {
    case 'string':
      if (typeof value === 'string') return value;
      problems.push(`must be a string (${t.builtin}), got ${typeName(value)}`);
      return INVALID;
    case 'boolean':
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      problems.push(`must be a boolean, got ${typeName(value)}`);
      return INVALID;
    case 'bigint':
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      problems.push(`must be a bigint (${t.builtin}), got ${typeName(value)}`);
      return INVALID;
    case 'number':
      if (typeof value !== 'number') {
        problems.push(`must be a number (${t.builtin}), got ${typeName(value)}`);
        return INVALID;
      }
      if (t.integerRange) {
        if (!Number.isInteger(value)) {
          problems.push(`${value} is not an integer (${t.builtin})`);
          return INVALID;
        }
        return Object.is(value, -0) ? '0' : String(value);
      }
      return formatDouble(value);
    case 'bytes': {
      if (!(value instanceof Uint8Array)) {
        problems.push(`must be a Buffer (${t.builtin}), got ${typeName(value)}`);
        return INVALID;
      }
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return t.builtin === 'hexBinary' ? bytes.toString('hex').toUpperCase() : bytes.toString('base64');
    }
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
