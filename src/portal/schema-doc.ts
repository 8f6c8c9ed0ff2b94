/**
 * Field-level documentation of a message, generated from the contract: one row per element and
 * attribute in document order, with its type, occurrences, facets and xs:documentation, the way Swagger
 * UI lists a JSON schema. Recursive types are expanded once and then referenced by name.
 */
import {
  splitClark,
  type ContractModel,
  type ElementDecl,
  type Facets,
  type ModelGroup,
  type SimpleTypeDef,
  type TypeDef,
  type TypeKey,
} from '../soap';

export interface SchemaRow {
  /** Nesting depth below the message element (the message element itself is 0). */
  depth: number;
  kind: 'element' | 'attribute' | 'choice' | 'any';
  name: string;
  /** The type's local name, or "(anonymous)"; for simple types the built-in follows ("SkuType: string"). */
  type: string;
  /** "1", "0..1", "0..*", "1..*", or "required"/"optional" for attributes. */
  occurs: string;
  /** Readable constraints: "pattern …", "one of A | B", "length 3", "0.01 ≤ value", "default …". */
  constraints: string[];
  documentation: string;
}

const MAX_DEPTH = 12;

export function schemaRows(contract: ContractModel, elementKey: TypeKey): SchemaRow[] {
  const global = contract.schema.elements[elementKey];
  if (global === undefined) return [];
  const rows: SchemaRow[] = [];
  const typeOf = (key: TypeKey): TypeDef | undefined => {
    const type = contract.schema.types[key];
    if (type !== undefined) return type;
    const { ns, local } = splitClark(key);
    if (ns === 'http://www.w3.org/2001/XMLSchema')
      return { kind: 'simple', builtin: local as SimpleTypeDef['builtin'], facets: {} };
    return undefined;
  };
  const typeLabel = (key: TypeKey, type: TypeDef | undefined): string => {
    const name = type?.name === undefined ? undefined : splitClark(type.name).local;
    if (type === undefined) return splitClark(key).local;
    if (type.kind === 'simple') {
      const builtin = type.listOf !== undefined ? `list of ${splitClark(type.listOf).local}` : type.builtin;
      return name === undefined || name === builtin ? builtin : `${name}: ${builtin}`;
    }
    return name ?? '(anonymous)';
  };

  const element = (decl: ElementDecl, depth: number, expanding: ReadonlySet<TypeKey>): void => {
    const type = typeOf(decl.type);
    const constraints = type?.kind === 'simple' ? facetTexts(type.facets) : [];
    if (decl.nillable) constraints.push('nillable');
    if (decl.fixed !== undefined) constraints.push(`fixed ${decl.fixed}`);
    if (decl.default !== undefined) constraints.push(`default ${decl.default}`);
    const recursive = type?.kind === 'complex' && expanding.has(decl.type);
    if (recursive) constraints.push(`recursive: see ${typeLabel(decl.type, type)} above`);
    rows.push({
      depth,
      kind: 'element',
      name: decl.name,
      type: typeLabel(decl.type, type),
      occurs: occurs(decl.minOccurs, decl.maxOccurs),
      constraints,
      documentation: decl.documentation ?? type?.documentation ?? '',
    });
    if (type?.kind !== 'complex' || recursive || depth >= MAX_DEPTH) return;
    const inner = new Set(expanding).add(decl.type);
    for (const attribute of type.attributes) {
      const attributeType = typeOf(attribute.type);
      const attributeConstraints = attributeType?.kind === 'simple' ? facetTexts(attributeType.facets) : [];
      if (attribute.fixed !== undefined) attributeConstraints.push(`fixed ${attribute.fixed}`);
      if (attribute.default !== undefined) attributeConstraints.push(`default ${attribute.default}`);
      rows.push({
        depth: depth + 1,
        kind: 'attribute',
        name: `@${attribute.name}`,
        type: typeLabel(attribute.type, attributeType),
        occurs: attribute.required ? 'required' : 'optional',
        constraints: attributeConstraints,
        documentation: attributeType?.documentation ?? '',
      });
    }
    if (type.simpleContent !== undefined) {
      const content = typeOf(type.simpleContent);
      rows.push({
        depth: depth + 1,
        kind: 'element',
        name: '(text)',
        type: typeLabel(type.simpleContent, content),
        occurs: '1',
        constraints: content?.kind === 'simple' ? facetTexts(content.facets) : [],
        documentation: content?.documentation ?? '',
      });
    }
    if (type.content !== null) group(type.content, depth + 1, inner);
  };

  const group = (model: ModelGroup, depth: number, expanding: ReadonlySet<TypeKey>): void => {
    let childDepth = depth;
    if (model.kind === 'choice' || model.minOccurs !== 1 || model.maxOccurs !== 1) {
      rows.push({
        depth,
        kind: 'choice',
        name: model.kind === 'choice' ? 'one of' : model.kind,
        type: '',
        occurs: occurs(model.minOccurs, model.maxOccurs),
        constraints: [],
        documentation: '',
      });
      childDepth = depth + 1;
    }
    for (const particle of model.particles) {
      if (particle.kind === 'element') element(particle, childDepth, expanding);
      else if (particle.kind === 'any') {
        rows.push({
          depth: childDepth,
          kind: 'any',
          name: 'any element',
          type: particle.namespace,
          occurs: occurs(particle.minOccurs, particle.maxOccurs),
          constraints: [`processContents ${particle.processContents}`],
          documentation: '',
        });
      } else group(particle, childDepth, expanding);
    }
  };

  element(
    {
      kind: 'element',
      name: global.name,
      ns: global.ns,
      prop: global.name,
      type: global.type,
      minOccurs: 1,
      maxOccurs: 1,
      nillable: global.nillable,
      ...(global.documentation === undefined ? {} : { documentation: global.documentation }),
    },
    0,
    new Set(),
  );
  return rows;
}

function occurs(min: number, max: number): string {
  const upper = max < 0 ? '*' : String(max);
  return min === max ? String(min) : `${min}..${upper}`;
}

function facetTexts(facets: Facets): string[] {
  const out: string[] = [];
  if (facets.enumeration !== undefined && facets.enumeration.length > 0)
    out.push(`one of ${facets.enumeration.join(' | ')}`);
  for (const pattern of facets.pattern ?? []) out.push(`pattern ${pattern}`);
  if (facets.length !== undefined) out.push(`length ${facets.length}`);
  if (facets.minLength !== undefined && facets.maxLength !== undefined)
    out.push(`length ${facets.minLength}..${facets.maxLength}`);
  else if (facets.minLength !== undefined) out.push(`length ≥ ${facets.minLength}`);
  else if (facets.maxLength !== undefined) out.push(`length ≤ ${facets.maxLength}`);
  const lower =
    facets.minInclusive !== undefined
      ? `${facets.minInclusive} ≤ `
      : facets.minExclusive !== undefined
        ? `${facets.minExclusive} < `
        : '';
  const upper =
    facets.maxInclusive !== undefined
      ? ` ≤ ${facets.maxInclusive}`
      : facets.maxExclusive !== undefined
        ? ` < ${facets.maxExclusive}`
        : '';
  if (lower !== '' || upper !== '') out.push(`${lower}value${upper}`);
  if (facets.totalDigits !== undefined) out.push(`at most ${facets.totalDigits} digits`);
  if (facets.fractionDigits !== undefined) out.push(`at most ${facets.fractionDigits} decimals`);
  return out;
}
