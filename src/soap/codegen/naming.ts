/**
 * Names the generated code uses, derived from XML names. The loader (props), the generator (types,
 * methods, fault classes) and the runtime (operation -> handler method) all call these, so they agree.
 */

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;
const WORD_SEPARATORS = /[^\p{ID_Continue}$]+/u;

export function isJsIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Split on characters that cannot appear in an identifier, dropping empty pieces. */
function words(name: string): string[] {
  return name.split(WORD_SEPARATORS).filter((w) => w.length > 0);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function prefixIfLeadingDigit(name: string): string {
  return /^\p{ID_Start}|^[$_]/u.test(name) ? name : `_${name}`;
}

/**
 * Property name for an element or attribute: the local name itself when it is a valid JS identifier,
 * else its camelCase (`postal-code` -> `postalCode`, `1st` -> `_1st`); `__proto__` becomes `_proto`.
 */
export function propName(xmlName: string): string {
  // Assigning obj['__proto__'] would replace the prototype instead of setting a property.
  if (xmlName === '__proto__') return '_proto';
  if (isJsIdentifier(xmlName)) return xmlName;
  const parts = words(xmlName);
  if (parts.length === 0) return '_';
  return prefixIfLeadingDigit(parts[0] + parts.slice(1).map(capitalize).join(''));
}

/**
 * Handler method name for a WSDL operation: lowerCamelCase. A leading acronym is lowered as a whole
 * (`EchoPrimitives` -> `echoPrimitives`, `XMLExport` -> `xmlExport`, `get-order` -> `getOrder`).
 */
export function operationMethodName(operationName: string): string {
  const joined = propName(operationName).replace(/^_+(?=\p{ID_Start})/u, '');
  const leadingUpper = /^\p{Lu}+/u.exec(joined)?.[0] ?? '';
  if (leadingUpper.length === 0) return prefixIfLeadingDigit(joined);
  const rest = joined.slice(leadingUpper.length);
  // In "XMLExport" the run is "XMLE": its last capital starts the next word, unless the run ends the name.
  const lowered =
    leadingUpper.length > 1 && /^\p{Ll}/u.test(rest)
      ? leadingUpper.slice(0, -1).toLowerCase() + leadingUpper.slice(-1)
      : leadingUpper.toLowerCase();
  return prefixIfLeadingDigit(lowered + rest);
}

/** PascalCase type/class name from an XML name (`order-line` -> `OrderLine`). */
export function typeName(xmlName: string): string {
  const parts = words(xmlName);
  if (parts.length === 0) return '_';
  return prefixIfLeadingDigit(parts.map(capitalize).join(''));
}
