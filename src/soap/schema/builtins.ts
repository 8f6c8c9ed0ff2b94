import type { BuiltinName, JsRepr } from './model';

/**
 * The one table that fixes how each XSD built-in appears in TypeScript. Codegen (types) and the codec
 * (values) both read it, so generated types and decoded values can never disagree.
 *
 * decimal stays a string in its lexical form (exact, no binary float); 64-bit and unbounded integers
 * are bigint; date/time/dateTime/duration keep their lexical form so no time zone is invented.
 */
export const BUILTIN_REPR: Readonly<Record<BuiltinName, JsRepr>> = {
  string: 'string',
  normalizedString: 'string',
  token: 'string',
  language: 'string',
  Name: 'string',
  NCName: 'string',
  ID: 'string',
  IDREF: 'string',
  NMTOKEN: 'string',
  anyURI: 'string',
  QName: 'string',
  boolean: 'boolean',
  decimal: 'string',
  integer: 'bigint',
  long: 'bigint',
  nonNegativeInteger: 'bigint',
  positiveInteger: 'bigint',
  nonPositiveInteger: 'bigint',
  negativeInteger: 'bigint',
  unsignedLong: 'bigint',
  int: 'number',
  short: 'number',
  byte: 'number',
  unsignedInt: 'number',
  unsignedShort: 'number',
  unsignedByte: 'number',
  float: 'number',
  double: 'number',
  date: 'string',
  dateTime: 'string',
  time: 'string',
  duration: 'string',
  gYear: 'string',
  gYearMonth: 'string',
  gMonth: 'string',
  gMonthDay: 'string',
  gDay: 'string',
  base64Binary: 'bytes',
  hexBinary: 'bytes',
  anyType: 'string',
  anySimpleType: 'string',
};

export const TS_TYPE_OF_REPR: Readonly<Record<JsRepr, string>> = {
  string: 'string',
  number: 'number',
  bigint: 'bigint',
  boolean: 'boolean',
  bytes: 'Buffer',
};

export function isBuiltinName(local: string): local is BuiltinName {
  return Object.prototype.hasOwnProperty.call(BUILTIN_REPR, local);
}
