/**
 * Readers for simple values, chosen once per compiled simple type (at schema-compile time) by its built-in
 * and facets, for the decoder's hot path; the counterpart of writers.ts.
 *
 * A fast reader returns the typed value of a raw text it can prove valid with a few cheap checks, or
 * undefined for anything else (no valid value is undefined). The decoder then takes the general path
 * (readSimple, every check), which returns the same value for a valid text and says what is wrong with
 * an invalid one. So the fast readers only decide how quickly a text is accepted, never what it means.
 */
import type { CompiledSimpleType, FastReader } from './tables';
import * as lexical from './lexical';
import * as simpleValues from './simple';
import { decimalCheck, integerLimits, stringChecks } from './writers';

const INVALID: lexical.Invalid = lexical.INVALID;
const { applyWhiteSpace, codePointLength, isPlainDate, isPlainDateTime } = lexical;
const readSimple = simpleValues.readSimple;

/** The fast reader of a simple type, or undefined when every text takes the general path. */
export function compileFastReader(t: CompiledSimpleType): FastReader | undefined {
  if (t.item || t.members) return undefined;
  if (t.enumeration) return t.repr === 'bytes' ? undefined : enumerationReader(t);
  const ws = t.whiteSpace;
  if (t.plain) return ws === 'preserve' ? (raw) => raw : (raw) => applyWhiteSpace(raw, ws);
  const noLexicalFacets =
    !t.patterns && t.length === undefined && t.minLength === undefined && t.maxLength === undefined;
  const noDigits = t.totalDigits === undefined && t.fractionDigits === undefined;
  switch (t.repr) {
    case 'string':
      if (t.builtin === 'decimal') {
        if (!(t.length === undefined && t.minLength === undefined && t.maxLength === undefined)) return undefined;
        const fits = decimalCheck(t);
        return (raw) => {
          const s = applyWhiteSpace(raw, ws);
          return fits(s) ? s : undefined;
        };
      }
      if (!noDigits || t.lower || t.upper) return undefined;
      if (t.builtin === 'date' || t.builtin === 'dateTime') {
        if (!noLexicalFacets) return undefined;
        // Their forms hold no whitespace, so whitespace collapsing leaves them as they are.
        const check = t.builtin === 'date' ? isPlainDate : isPlainDateTime;
        return (raw) => (check(raw) ? raw : undefined);
      }
      return stringReader(t);
    case 'number':
      return t.integerRange && noLexicalFacets && noDigits ? integerReader(t) : undefined;
    case 'boolean':
      return noLexicalFacets && noDigits
        ? (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined)
        : undefined;
    default:
      return undefined;
  }
}

/** Enumerations: the value of every enumeration value's text, computed once by the general path. */
function enumerationReader(t: CompiledSimpleType): FastReader | undefined {
  const values = new Map<string, unknown>();
  const scratch: string[] = [];
  for (const candidate of t.enumeration as ReadonlySet<string>) {
    const v = readSimple(t, candidate, scratch);
    scratch.length = 0;
    if (v !== INVALID) values.set(candidate, v);
  }
  if (values.size === 0) return undefined;
  return (raw) => values.get(raw);
}

function stringReader(t: CompiledSimpleType): FastReader | undefined {
  const checks = stringChecks(t);
  if (checks === undefined) return undefined;
  const { name, min, max, patterns } = checks;
  const ws = t.whiteSpace;
  return (raw) => {
    const s = ws === 'preserve' ? raw : applyWhiteSpace(raw, ws);
    // A string of n UTF-16 units has at most n code points, and at least n / 2: count only when that is not enough.
    const n = s.length;
    if (n > max || (n < 2 * min && codePointLength(s) < min)) return undefined;
    if (name !== undefined && !name.test(s)) return undefined;
    for (let i = 0; i < patterns.length; i++) if (!patterns[i].test(s)) return undefined;
    return s;
  };
}

/** Number-typed integers: up to 15 digits (exact as a double), an optional sign, within the range and bounds. */
function integerReader(t: CompiledSimpleType): FastReader {
  const { lo, hi } = integerLimits(t);
  return (raw) => {
    const n = raw.length;
    let i = 0;
    let negative = false;
    const first = raw.charCodeAt(0);
    if (first === 0x2d || first === 0x2b) {
      negative = first === 0x2d;
      i = 1;
    }
    if (i === n || n - i > 15) return undefined;
    let v = 0;
    for (; i < n; i++) {
      const d = raw.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return undefined;
      v = v * 10 + d;
    }
    if (negative) v = v === 0 ? 0 : -v;
    return v >= lo && v <= hi ? v : undefined;
  };
}
