/**
 * Lexical forms of the XSD built-ins: whitespace processing, parsing into the value mapping of
 * builtins.ts, canonical output, and the orderings the range facets need (exact for decimals and
 * big integers, chronological for date/time values).
 *
 * Everything here is pure and allocation-light; nothing is compiled per call.
 */
import type { BuiltinName } from './model';

export type WhiteSpace = 'preserve' | 'replace' | 'collapse';

/** Marker returned by parsers for a lexical form that is not valid. */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

export function builtinWhiteSpace(builtin: BuiltinName): WhiteSpace {
  switch (builtin) {
    case 'string':
    case 'anyType':
    case 'anySimpleType':
      return 'preserve';
    case 'normalizedString':
      return 'replace';
    default:
      return 'collapse';
  }
}

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x9 || c === 0xa || c === 0xd;
}

const TAB_OR_LINE = /[\t\n\r]/;
const TAB_OR_LINE_ALL = /[\t\n\r]/g;
const WHITESPACE_RUNS = /[ \t\n\r]+/g;
const ANY_WHITESPACE = /[ \t\n\r]/;

export function applyWhiteSpace(s: string, ws: WhiteSpace): string {
  if (ws === 'preserve') return s;
  if (ws === 'replace') return TAB_OR_LINE.test(s) ? s.replace(TAB_OR_LINE_ALL, ' ') : s;
  // collapse: fast path for the usual value without any whitespace to fold
  let clean = s.length > 0 && !isXmlSpace(s.charCodeAt(0)) && !isXmlSpace(s.charCodeAt(s.length - 1));
  if (clean) {
    for (let i = 1; i < s.length - 1; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x21 && (c === 0x9 || c === 0xa || c === 0xd || (c === 0x20 && s.charCodeAt(i + 1) === 0x20))) {
        clean = false;
        break;
      }
    }
  }
  return clean ? s : s.replace(WHITESPACE_RUNS, ' ').trim();
}

/** Length in characters (Unicode code points), as XSD counts it. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n--;
      i++;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------------------------

export const INTEGER_RE = /^[+-]?[0-9]+$/;

export interface IntegerRange {
  min?: bigint;
  max?: bigint;
}

export const INTEGER_RANGES: Partial<Record<BuiltinName, IntegerRange>> = {
  integer: {},
  long: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
  int: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  short: { min: -32768n, max: 32767n },
  byte: { min: -128n, max: 127n },
  nonNegativeInteger: { min: 0n },
  positiveInteger: { min: 1n },
  nonPositiveInteger: { max: 0n },
  negativeInteger: { max: -1n },
  unsignedLong: { min: 0n, max: 2n ** 64n - 1n },
  unsignedInt: { min: 0n, max: 2n ** 32n - 1n },
  unsignedShort: { min: 0n, max: 65535n },
  unsignedByte: { min: 0n, max: 255n },
};

export function rangeText(r: IntegerRange): string {
  if (r.min !== undefined && r.max !== undefined) return `${r.min}..${r.max}`;
  if (r.min !== undefined) return `>= ${r.min}`;
  if (r.max !== undefined) return `<= ${r.max}`;
  return 'any integer';
}

// ---------------------------------------------------------------------------------------------
// Decimals (kept as strings; compared exactly)
// ---------------------------------------------------------------------------------------------

const DECIMAL_RE = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

export function isDecimalLexical(s: string): boolean {
  return DECIMAL_RE.test(s);
}

export interface DecimalParts {
  negative: boolean;
  int: string;
  frac: string;
}

/** Sign, integer digits without leading zeros, fraction digits without trailing zeros. Input must be a valid decimal. */
export function decimalParts(s: string): DecimalParts {
  let negative = false;
  let i = 0;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    i = 1;
  }
  const dot = s.indexOf('.');
  let int = dot < 0 ? s.slice(i) : s.slice(i, dot);
  let frac = dot < 0 ? '' : s.slice(dot + 1);
  let a = 0;
  while (a < int.length - 1 && int.charCodeAt(a) === 0x30) a++;
  int = int.slice(a);
  if (int === '') int = '0';
  let b = frac.length;
  while (b > 0 && frac.charCodeAt(b - 1) === 0x30) b--;
  frac = frac.slice(0, b);
  if (int === '0' && frac === '') negative = false;
  return { negative, int, frac };
}

/** Canonical decimal lexical form (XSD 1.1 style: no '+', no superfluous zeros, '.0'-less integers). */
export function canonicalDecimal(s: string): string {
  const p = decimalParts(s);
  return (p.negative ? '-' : '') + p.int + (p.frac ? '.' + p.frac : '');
}

/** Exact comparison of two valid decimal (or integer) lexical forms, split by decimalParts: -1, 0 or 1. */
export function compareDecimalParts(x: DecimalParts, y: DecimalParts): number {
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const sign = x.negative ? -1 : 1;
  if (x.int.length !== y.int.length) return x.int.length < y.int.length ? -sign : sign;
  if (x.int !== y.int) return x.int < y.int ? -sign : sign;
  if (x.frac === y.frac) return 0;
  // Fractions have no trailing zeros: compare padded digit strings.
  const n = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(n, '0');
  const fy = y.frac.padEnd(n, '0');
  if (fx === fy) return 0;
  return fx < fy ? -sign : sign;
}

/** totalDigits and fractionDigits of a split decimal, as the facets count them. */
export function digitsOf(p: DecimalParts): { total: number; fraction: number } {
  const intDigits = p.int === '0' ? 0 : p.int.length;
  return { total: Math.max(1, intDigits + p.frac.length), fraction: p.frac.length };
}

// ---------------------------------------------------------------------------------------------
// Floating point
// ---------------------------------------------------------------------------------------------

const FLOAT_RE = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

export function parseFloatLexical(s: string): number | Invalid {
  if (FLOAT_RE.test(s)) return Number(s);
  if (s === 'INF' || s === '+INF') return Infinity;
  if (s === '-INF') return -Infinity;
  if (s === 'NaN') return NaN;
  return INVALID;
}

/** XSD lexical form of a double: integers plain, otherwise JS shortest round-trip form; INF/-INF/NaN. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'INF';
  if (v === -Infinity) return '-INF';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  // JS writes 1e+21; XSD has no '+' after the exponent marker requirement but accepts it. Keep it XSD-clean.
  return s.indexOf('e+') >= 0 ? s.replace('e+', 'E') : s.replace('e', 'E');
}

// ---------------------------------------------------------------------------------------------
// Date and time
// ---------------------------------------------------------------------------------------------

const ZONE = '(Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?';
const YEAR = '(-?(?:[1-9][0-9]{4,}|[0-9]{4}))';
const TIME_PART = '([01][0-9]|2[0-4]):([0-5][0-9]):([0-5][0-9](?:\\.[0-9]+)?)';
const DATE_RE = new RegExp(`^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])${ZONE}$`);
const DATETIME_RE = new RegExp(`^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T${TIME_PART}${ZONE}$`);
const TIME_RE = new RegExp(`^${TIME_PART}${ZONE}$`);
const GYEAR_RE = new RegExp(`^${YEAR}${ZONE}$`);
const GYEARMONTH_RE = new RegExp(`^${YEAR}-(0[1-9]|1[0-2])${ZONE}$`);
const GMONTH_RE = new RegExp(`^--(0[1-9]|1[0-2])${ZONE}$`);
const GMONTHDAY_RE = new RegExp(`^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])${ZONE}$`);
const GDAY_RE = new RegExp(`^---(0[1-9]|[12][0-9]|3[01])${ZONE}$`);
const DURATION_RE =
  /^-?P(?=[0-9T])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]+)?|\.[0-9]+)S)?)?$/;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A point on the time line for ordering: milliseconds plus the sub-millisecond digits as a tie-breaker. */
export interface Instant {
  ms: number;
  sub: string;
  zoned: boolean;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

function makeInstant(
  year: number,
  month: number,
  day: number,
  h: number,
  m: number,
  sec: string,
  zone: string | undefined,
): Instant {
  const whole = Math.floor(Number(sec));
  const dot = sec.indexOf('.');
  const frac = dot < 0 ? '' : sec.slice(dot + 1);
  const ms = Number((frac + '000').slice(0, 3));
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, m, whole, ms);
  return {
    ms: d.getTime() - zoneOffsetMinutes(zone) * 60_000,
    sub: frac.slice(3).replace(/0+$/, ''),
    zoned: zone !== undefined,
  };
}

/** XSD year to astronomical (there is no year 0 in XSD 1.0: -0001 is 1 BCE). */
function astronomicalYear(y: string): number {
  const n = Number(y);
  return n < 0 ? n + 1 : n;
}

/** Validates a date/time-family lexical form (cheap: no Date objects). */
export function isValidTemporal(builtin: BuiltinName, s: string): boolean {
  return temporal(builtin, s, false) !== undefined;
}

/** Validates a date/time-family lexical form and returns its instant for ordering (undefined for invalid). */
export function parseTemporal(builtin: BuiltinName, s: string): Instant | undefined {
  return temporal(builtin, s, true) as Instant | undefined;
}

const VALID: Instant = { ms: 0, sub: '', zoned: false };

function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 0x30;
  return d >= 0 && d <= 9 ? d : NaN;
}

/** Fast check of the common zone-less "YYYY-MM-DD" with year 0001..9999 (a subset of the valid xs:date forms). */
export function isPlainDate(s: string): boolean {
  return s.length === 10 && plainDatePrefix(s);
}

/** The first 10 characters are "YYYY-MM-DD" with year 0001..9999 and a day the month has. */
function plainDatePrefix(s: string): boolean {
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d) return false;
  const year = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3);
  const month = digitAt(s, 5) * 10 + digitAt(s, 6);
  const day = digitAt(s, 8) * 10 + digitAt(s, 9);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Fast check of the common "YYYY-MM-DDThh:mm:ss[.s+][Z|±hh:mm]" with year 0001..9999 and hour 00..23: a
 * subset of the valid xs:dateTime forms (anything else is left to the full check), without allocating.
 */
export function isPlainDateTime(s: string): boolean {
  const n = s.length;
  if (
    n < 19 ||
    !plainDatePrefix(s) ||
    s.charCodeAt(10) !== 0x54 ||
    s.charCodeAt(13) !== 0x3a ||
    s.charCodeAt(16) !== 0x3a
  )
    return false;
  const hour = digitAt(s, 11) * 10 + digitAt(s, 12);
  const minute = digitAt(s, 14) * 10 + digitAt(s, 15);
  const second = digitAt(s, 17) * 10 + digitAt(s, 18);
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return false; // NaN (not a digit) fails too
  let i = 19;
  if (i < n && s.charCodeAt(i) === 0x2e) {
    i++;
    const start = i;
    while (i < n && digitAt(s, i) >= 0) i++;
    if (i === start) return false;
  }
  if (i === n) return true;
  const c = s.charCodeAt(i);
  if (c === 0x5a) return i + 1 === n; // Z
  if ((c !== 0x2b && c !== 0x2d) || i + 6 !== n || s.charCodeAt(i + 3) !== 0x3a) return false;
  const zh = digitAt(s, i + 1) * 10 + digitAt(s, i + 2);
  const zm = digitAt(s, i + 4) * 10 + digitAt(s, i + 5);
  return (zh <= 13 && zm <= 59) || (zh === 14 && zm === 0);
}

function temporal(builtin: BuiltinName, s: string, wantInstant: boolean): Instant | undefined {
  const instant = wantInstant ? makeInstant : (): Instant => VALID;
  let m: RegExpExecArray | null;
  switch (builtin) {
    case 'date':
      if (!wantInstant && isPlainDate(s)) return VALID;
      if (!(m = DATE_RE.exec(s)) || m[1] === '0000' || m[1] === '-0000') return undefined;
      if (Number(m[3]) > daysInMonth(astronomicalYear(m[1]), Number(m[2]))) return undefined;
      return instant(astronomicalYear(m[1]), Number(m[2]), Number(m[3]), 0, 0, '0', m[4]);
    case 'dateTime':
      if (!(m = DATETIME_RE.exec(s)) || m[1] === '0000' || m[1] === '-0000') return undefined;
      if (Number(m[3]) > daysInMonth(astronomicalYear(m[1]), Number(m[2]))) return undefined;
      if (m[4] === '24' && (m[5] !== '00' || Number(m[6]) !== 0)) return undefined;
      return instant(astronomicalYear(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), m[6], m[7]);
    case 'time':
      if (!(m = TIME_RE.exec(s))) return undefined;
      if (m[1] === '24' && (m[2] !== '00' || Number(m[3]) !== 0)) return undefined;
      return instant(1972, 1, 1, Number(m[1]), Number(m[2]), m[3], m[4]);
    case 'gYear':
      if (!(m = GYEAR_RE.exec(s)) || m[1] === '0000' || m[1] === '-0000') return undefined;
      return instant(astronomicalYear(m[1]), 1, 1, 0, 0, '0', m[2]);
    case 'gYearMonth':
      if (!(m = GYEARMONTH_RE.exec(s)) || m[1] === '0000' || m[1] === '-0000') return undefined;
      return instant(astronomicalYear(m[1]), Number(m[2]), 1, 0, 0, '0', m[3]);
    case 'gMonth':
      if (!(m = GMONTH_RE.exec(s))) return undefined;
      return instant(1972, Number(m[1]), 1, 0, 0, '0', m[2]);
    case 'gMonthDay':
      if (!(m = GMONTHDAY_RE.exec(s))) return undefined;
      if (Number(m[2]) > daysInMonth(1972, Number(m[1]))) return undefined;
      return instant(1972, Number(m[1]), Number(m[2]), 0, 0, '0', m[3]);
    case 'gDay':
      if (!(m = GDAY_RE.exec(s))) return undefined;
      return instant(1972, 1, Number(m[1]), 0, 0, '0', m[2]);
    default:
      return undefined;
  }
}

/**
 * Orders two instants: -1, 0, 1, or undefined when indeterminate (XSD: a zoned and an unzoned value
 * closer than 14 hours cannot be ordered).
 */
export function compareInstants(a: Instant, b: Instant): number | undefined {
  if (a.zoned !== b.zoned) {
    const fourteenHours = 14 * 3600_000;
    if (Math.abs(a.ms - b.ms) <= fourteenHours) return undefined;
  }
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.sub === b.sub) return 0;
  const n = Math.max(a.sub.length, b.sub.length);
  return a.sub.padEnd(n, '0') < b.sub.padEnd(n, '0') ? -1 : 1;
}

/** A duration as (months, seconds); undefined for an invalid lexical form. */
export interface DurationValue {
  months: number;
  seconds: number;
}

export function parseDuration(s: string): DurationValue | undefined {
  const m = DURATION_RE.exec(s);
  if (!m || s.endsWith('T')) return undefined;
  const sign = s[0] === '-' ? -1 : 1;
  const n = (x: string | undefined): number => (x === undefined ? 0 : Number(x));
  return {
    months: sign * (n(m[1]) * 12 + n(m[2])),
    seconds: sign * (((n(m[3]) * 24 + n(m[4])) * 60 + n(m[5])) * 60 + n(m[6])),
  };
}

/** Durations are partially ordered; undefined when the order depends on the month lengths (28..31 days). */
export function compareDurations(a: DurationValue, b: DurationValue): number | undefined {
  const dm = a.months - b.months;
  const ds = a.seconds - b.seconds;
  if (dm === 0) return Math.sign(ds);
  const day = 86400;
  const low = dm * (dm > 0 ? 28 : 31) * day + ds;
  const high = dm * (dm > 0 ? 31 : 28) * day + ds;
  if (low > 0) return 1;
  if (high < 0) return -1;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Binary, names, misc
// ---------------------------------------------------------------------------------------------

// Checked as characters plus a last quantum: a repeated group over the whole value (/^(?:x{4})*$/)
// overflows the regexp stack on values of a few megabytes (MTOM documents).
const BASE64_CHARS = /^[A-Za-z0-9+/]*$/;
const BASE64_LAST_QUANTUM = /^(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)$/;

/** Strict base64 (padding and zero trailing bits as XSD requires); whitespace between characters is allowed. */
export function parseBase64(s: string): Buffer | Invalid {
  const compact = ANY_WHITESPACE.test(s) ? s.replace(WHITESPACE_RUNS, '') : s;
  if (compact.length % 4 !== 0) return INVALID;
  if (compact.length > 0 && (!BASE64_CHARS.test(compact.slice(0, -4)) || !BASE64_LAST_QUANTUM.test(compact.slice(-4))))
    return INVALID;
  return Buffer.from(compact, 'base64');
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

export function parseHex(s: string): Buffer | Invalid {
  return HEX_RE.test(s) ? Buffer.from(s, 'hex') : INVALID;
}

const NAME_START =
  ':A-Z_a-z\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}\\u{200C}-\\u{200D}\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u{B7}\\u{300}-\\u{36F}\\u{203F}-\\u{2040}`;
const NC_START = NAME_START.slice(1);
const NC_CHAR = NAME_CHAR.slice(1);

export const NAME_PATTERNS: Partial<Record<BuiltinName, RegExp>> = {
  Name: new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u'),
  NCName: new RegExp(`^[${NC_START}][${NC_CHAR}]*$`, 'u'),
  ID: new RegExp(`^[${NC_START}][${NC_CHAR}]*$`, 'u'),
  IDREF: new RegExp(`^[${NC_START}][${NC_CHAR}]*$`, 'u'),
  NMTOKEN: new RegExp(`^[${NAME_CHAR}]+$`, 'u'),
  QName: new RegExp(`^(?:[${NC_START}][${NC_CHAR}]*:)?[${NC_START}][${NC_CHAR}]*$`, 'u'),
  language: /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/,
};

// ---------------------------------------------------------------------------------------------
// Enumeration keys
// ---------------------------------------------------------------------------------------------

/** What an enumeration key depends on: the built-in, and the item type of a list. */
export interface EnumerationKeyed {
  readonly builtin: BuiltinName;
  readonly item?: EnumerationKeyed;
}

/**
 * The key under which an enumeration value is compared, from a whitespace-processed lexical form:
 * value-space equality for numbers and booleans, the lexical form otherwise. Undefined when invalid.
 */
export function enumerationKeyOfLexical(t: EnumerationKeyed, s: string): string | undefined {
  if (t.item) {
    const parts = s === '' ? [] : s.split(' ');
    const keys: string[] = [];
    for (const p of parts) {
      const k = enumerationKeyOfLexical(t.item, p);
      if (k === undefined) return undefined;
      keys.push(k);
    }
    return keys.join(' ');
  }
  const b = t.builtin;
  if (b === 'decimal') return isDecimalLexical(s) ? canonicalDecimal(s) : undefined;
  if (INTEGER_RANGES[b]) return INTEGER_RE.test(s) ? BigInt(s).toString() : undefined;
  if (b === 'float' || b === 'double') {
    const n = parseFloatLexical(s);
    return n === INVALID ? undefined : String(n);
  }
  if (b === 'boolean') {
    if (s === 'true' || s === '1') return 'true';
    if (s === 'false' || s === '0') return 'false';
    return undefined;
  }
  if (b === 'hexBinary') return HEX_RE.test(s) ? s.toUpperCase() : undefined;
  return s;
}
