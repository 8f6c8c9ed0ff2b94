/**
 * Facet algebra of simpleType restrictions: reading a restriction step's facets, checking that they apply
 * to the base, and merging them down the derivation chain (the most restrictive wins, patterns accumulate).
 */
import type { BuiltinName, Facets, SimpleTypeDef } from '../schema/model';
import { XSD_NS } from '../schema/model';
import { ContractLoadError } from './errors';
import { translateXsdPattern, XsdPatternError } from './xsd-regex';
import type { XNode } from './xml-tree';

const NUMERIC_BUILTINS: ReadonlySet<BuiltinName> = new Set<BuiltinName>([
  'decimal', 'integer', 'long', 'int', 'short', 'byte', 'nonNegativeInteger', 'positiveInteger',
  'nonPositiveInteger', 'negativeInteger', 'unsignedLong', 'unsignedInt', 'unsignedShort', 'unsignedByte',
  'float', 'double',
]);

/** Where facets are read or checked, for messages: the file and the label of the owning construct. */
export interface FacetSite {
  file: string;
  label: string;
}

/** The facets written on one restriction step (patterns of one step are alternatives). */
export function readFacets(step: XNode, site: FacetSite): Facets {
const { file, label } = site;
  const facets: Facets = {};
  const patterns: string[] = [];
  for (const f of step.children) {
    if (f.ns !== XSD_NS || f.local === 'annotation' || f.local === 'simpleType') continue;
    const construct = `${label} xs:${f.local}`;
    if (f.local === 'attribute' || f.local === 'attributeGroup' || f.local === 'anyAttribute'
      || f.local === 'sequence' || f.local === 'choice' || f.local === 'all' || f.local === 'group') continue;
    const value = f.attrs.get('value');
    if (value === undefined) throw new ContractLoadError(file, construct, 'has no value');
    const count = (): number => {
      if (!/^\s*\d+\s*$/.test(value)) throw new ContractLoadError(file, construct, `value "${value}" is not a non-negative integer`);
      return Number(value);
    };
    switch (f.local) {
      case 'enumeration':
        (facets.enumeration ??= []).push(value);
        break;
      case 'pattern':
        try {
          patterns.push(translateXsdPattern(value));
        } catch (err) {
          if (err instanceof XsdPatternError) throw new ContractLoadError(file, construct, err.message);
          throw err;
        }
        break;
      case 'length': facets.length = count(); break;
      case 'minLength': facets.minLength = count(); break;
      case 'maxLength': facets.maxLength = count(); break;
      case 'totalDigits': facets.totalDigits = count(); break;
      case 'fractionDigits': facets.fractionDigits = count(); break;
      case 'minInclusive': facets.minInclusive = value.trim(); break;
      case 'maxInclusive': facets.maxInclusive = value.trim(); break;
      case 'minExclusive': facets.minExclusive = value.trim(); break;
      case 'maxExclusive': facets.maxExclusive = value.trim(); break;
      case 'whiteSpace':
        if (value !== 'preserve' && value !== 'replace' && value !== 'collapse') throw new ContractLoadError(file, construct, `invalid value "${value}"`);
        facets.whiteSpace = value;
        break;
      default:
        throw new ContractLoadError(file, construct, 'is not a supported facet');
    }
  }
  // Several patterns in one derivation step are alternatives; steps accumulate (see mergeFacets).
  if (patterns.length === 1) facets.pattern = patterns;
  else if (patterns.length > 1) facets.pattern = [patterns.map((p) => `(?:${p})`).join('|')];
  return facets;
}

const ORDERED_BUILTINS: ReadonlySet<BuiltinName> = new Set<BuiltinName>([
  ...NUMERIC_BUILTINS, 'date', 'dateTime', 'time', 'duration', 'gYear', 'gYearMonth', 'gMonth', 'gMonthDay', 'gDay',
]);
const DECIMAL_FAMILY: ReadonlySet<BuiltinName> = new Set<BuiltinName>([...NUMERIC_BUILTINS].filter((b) => b !== 'float' && b !== 'double'));

/** A facet that does not apply to the base (say totalDigits on a string) is a schema mistake: refuse it. */
export function checkFacetsApply(base: SimpleTypeDef, own: Facets, site: FacetSite): void {
  const list = base.listOf !== undefined;
  const misplaced: string[] = [];
  const bounds = ['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive'] as const;
  if (list || !ORDERED_BUILTINS.has(base.builtin)) misplaced.push(...bounds.filter((f) => own[f] !== undefined));
  if (list || !DECIMAL_FAMILY.has(base.builtin)) misplaced.push(...(['totalDigits', 'fractionDigits'] as const).filter((f) => own[f] !== undefined));
  if (!list && (NUMERIC_BUILTINS.has(base.builtin) || base.builtin === 'boolean' || ORDERED_BUILTINS.has(base.builtin))) {
    misplaced.push(...(['length', 'minLength', 'maxLength'] as const).filter((f) => own[f] !== undefined));
  }
  if (misplaced.length > 0) {
    throw new ContractLoadError(site.file, `${site.label} xs:${misplaced[0]}`,
      `does not apply to a ${list ? 'list' : `restriction of xs:${base.builtin}`}`);
  }
}

/** Facets of a restriction step merged onto its base's: the most restrictive wins, patterns accumulate. */
export function mergeFacets(base: SimpleTypeDef, own: Facets, site: FacetSite): Facets {
  const merged: Facets = structuredClone(base.facets);
  const numeric = NUMERIC_BUILTINS.has(base.builtin) && base.listOf === undefined;
  const cmp = (a: string, b: string, construct: string): number => {
    try {
      return compareNumbers(a, b);
    } catch {
      throw new ContractLoadError(site.file, `${site.label} ${construct}`, `"${a}" or "${b}" is not a number`);
    }
  };
  if (own.enumeration) merged.enumeration = own.enumeration;
  if (own.pattern) merged.pattern = [...(merged.pattern ?? []), ...own.pattern];
  if (own.length !== undefined) merged.length = own.length;
  if (own.minLength !== undefined) merged.minLength = Math.max(own.minLength, merged.minLength ?? 0);
  if (own.maxLength !== undefined) merged.maxLength = Math.min(own.maxLength, merged.maxLength ?? Infinity);
  if (own.totalDigits !== undefined) merged.totalDigits = Math.min(own.totalDigits, merged.totalDigits ?? Infinity);
  if (own.fractionDigits !== undefined) merged.fractionDigits = Math.min(own.fractionDigits, merged.fractionDigits ?? Infinity);
  for (const facet of ['minInclusive', 'minExclusive'] as const) {
    const v = own[facet];
    if (v === undefined) continue;
    const old = merged[facet];
    merged[facet] = numeric && old !== undefined && cmp(old, v, `xs:${facet}`) > 0 ? old : v;
  }
  for (const facet of ['maxInclusive', 'maxExclusive'] as const) {
    const v = own[facet];
    if (v === undefined) continue;
    const old = merged[facet];
    merged[facet] = numeric && old !== undefined && cmp(old, v, `xs:${facet}`) < 0 ? old : v;
  }
  if (numeric) {
    for (const facet of ['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive'] as const) {
      const v = merged[facet];
      if (v !== undefined) cmp(v, v, `xs:${facet}`);
    }
  }
  if (own.whiteSpace !== undefined) {
    const strength = { preserve: 0, replace: 1, collapse: 2 } as const;
    const old = merged.whiteSpace;
    merged.whiteSpace = old !== undefined && strength[old] > strength[own.whiteSpace] ? old : own.whiteSpace;
  }
  return merged;
}

/** Exact comparison of decimal lexical forms (float/double specials INF, -INF included). */
export function compareNumbers(a: string, b: string): number {
  const special = (s: string): number | undefined => (s === 'INF' || s === '+INF' ? Infinity : s === '-INF' ? -Infinity : undefined);
  const sa = special(a);
  const sb = special(b);
  if (sa !== undefined || sb !== undefined) {
    const x = sa ?? Number(a);
    const y = sb ?? Number(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  const parse = (s: string): { neg: boolean; int: string; frac: string } => {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a number: ${s}`);
    let int = m[2];
    let frac = m[3] ?? '';
    const exp = Number(m[4] ?? '0');
    if (exp > 0) {
      frac = frac.padEnd(exp, '0');
      int += frac.slice(0, exp);
      frac = frac.slice(exp);
    } else if (exp < 0) {
      int = int.padStart(-exp + 1, '0');
      frac = int.slice(int.length + exp) + frac;
      int = int.slice(0, int.length + exp);
    }
    int = int.replace(/^0+/, '');
    frac = frac.replace(/0+$/, '');
    return { neg: m[1] === '-' && (int !== '' || frac !== ''), int, frac };
  };
  const x = parse(a);
  const y = parse(b);
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  const sign = x.neg ? -1 : 1;
  if (x.int.length !== y.int.length) return (x.int.length < y.int.length ? -1 : 1) * sign;
  if (x.int !== y.int) return (x.int < y.int ? -1 : 1) * sign;
  const len = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(len, '0');
  const fy = y.frac.padEnd(len, '0');
  return fx === fy ? 0 : (fx < fy ? -1 : 1) * sign;
}

