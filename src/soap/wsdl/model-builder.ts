/**
 * XSD -> SchemaModel: builds the JSON-serialisable model from the components a SchemaCollector gathered
 * ("building the model"; turning the model into the codec's tables at start-up is schema/compile.ts).
 *
 * Supported: named and anonymous simple/complex types; sequence, choice, all, named groups; element refs;
 * attributes, attribute refs, attribute groups; complexContent extension (flattened, base first) and
 * restriction; simpleContent extension/restriction; simpleType restriction (facets merged down the chain,
 * see facets.ts) and list; elementFormDefault/attributeFormDefault and form; xs:any. Everything else fails
 * loudly with the file and the construct.
 */
import {
  clark, XSD_NS, type AnyParticle, type AttributeDecl, type AttributeWildcard, type BuiltinName, type ComplexTypeDef, type ElementDecl,
  type GlobalElement, type ModelGroup, type SchemaModel, type SimpleTypeDef, type TypeDef, type TypeKey,
} from '../schema/model';
import { isBuiltinName } from '../schema/builtins';
import { propName } from '../codegen/naming';
import { SOAP_ENCODING_NS, type Component, type ComponentKind, type SchemaScope } from './collect';
import { ContractLoadError } from './errors';
import { checkFacetsApply, mergeFacets, readFacets, type FacetSite } from './facets';
import { firstChild, resolveQName, XML_NS, type XNode } from './xml-tree';

/** Where anonymous types found inside a component get their synthesized keys from. */
interface Owner {
  schema: SchemaScope;
  /** Key prefix for anonymous types below this point, e.g. "{ns}Order" or "{ns}Order/line". */
  key: string;
  /** Human label for messages, e.g. 'complexType "Order"'. */
  label: string;
}

/** The attributes (and attribute wildcard) a complex type or derivation step declares itself. */
interface OwnAttributes {
  attributes: AttributeDecl[];
  anyAttribute?: AttributeWildcard;
}

/** How deep model groups and anonymous types may nest within one named component. */
const MAX_NESTING = 200;

/** Built-in list types and their item types. */
const BUILTIN_LISTS: Readonly<Record<string, BuiltinName>> = { NMTOKENS: 'NMTOKEN', IDREFS: 'IDREF' };

/** Attributes of the xml: namespace, which has no schema file here but is common (xml:lang). */
const XML_ATTRIBUTES: Readonly<Record<string, BuiltinName>> = { lang: 'language', space: 'NCName', base: 'anyURI', id: 'ID' };

/** Build the SchemaModel of every collected component (named types first, then global elements). */
export function buildSchemaModel(components: Readonly<Record<ComponentKind, ReadonlyMap<TypeKey, Component>>>): SchemaModel {
  return new SchemaModelBuilder(components).build();
}

class SchemaModelBuilder {
  /** Insertion order = build order (document order of named components, nested ones inline). */
  private readonly types = new Map<TypeKey, TypeDef | null>();
  private readonly builtins = new Map<TypeKey, SimpleTypeDef>();
  private readonly elements = new Map<TypeKey, GlobalElement>();
  private readonly inProgress = new Set<TypeKey>();
  /** Anonymous type nodes being built, by the namespace they are built in (a chameleon include's differ). */
  private readonly anonymousInProgress = new Map<XNode, Map<string, TypeKey>>();
  /**
   * Named groups and attribute groups being expanded within the current type: meeting one again before an
   * element's type intervenes is a circular definition (through an element it is valid recursion).
   */
  private groupsInProgress = new Set<XNode>();
  /** Nesting of model groups and anonymous types below the current named component. */
  private depth = 0;
  /** Substitution group heads -> their direct members (built on first use). */
  private substitutes: Map<TypeKey, TypeKey[]> | undefined;

  constructor(private readonly components: Readonly<Record<ComponentKind, ReadonlyMap<TypeKey, Component>>>) {}

  build(): SchemaModel {
    this.substitutionMembers('');
    for (const key of this.components.type.keys()) this.namedType(key);
    for (const key of this.components.element.keys()) this.globalElement(key);
    const types: Record<TypeKey, TypeDef> = {};
    for (const [key, def] of this.types) if (def) types[key] = def;
    for (const key of [...this.builtins.keys()].sort()) types[key] = this.builtins.get(key) as SimpleTypeDef;
    const elements: Record<TypeKey, GlobalElement> = {};
    for (const [key, el] of this.elements) elements[key] = el;
    return { types, elements };
  }

  // ------------------------------------------------------------------------------------- references

  /** Resolve a type QName to its key, building the named type when needed. */
  private typeRef(node: XNode, value: string, schema: SchemaScope, construct: string): TypeKey {
    const { ns, local } = schemaQName(node, value, schema);
    if (ns === XSD_NS) {
      const itemOfList = BUILTIN_LISTS[local];
      if (itemOfList !== undefined) return this.builtinListRef(local, itemOfList);
      if (!isBuiltinName(local)) throw new ContractLoadError(schema.doc.path, construct, `unsupported built-in type xs:${local}`);
      return this.builtinRef(local);
    }
    if (ns === SOAP_ENCODING_NS) {
      throw new ContractLoadError(schema.doc.path, construct, `SOAP encoding type soapenc:${local} is not supported (document/literal only)`);
    }
    const key = clark(ns, local);
    if (!this.components.type.has(key)) throw new ContractLoadError(schema.doc.path, construct, `type ${key} is not defined (unresolved reference)`);
    return key;
  }

  /** NMTOKENS, IDREFS: a list (of at least one item) of the built-in item type. */
  private builtinListRef(local: string, item: BuiltinName): TypeKey {
    const key = clark(XSD_NS, local);
    if (!this.builtins.has(key)) this.builtins.set(key, { kind: 'simple', name: key, builtin: item, facets: { minLength: 1 }, listOf: this.builtinRef(item) });
    return key;
  }

  private builtinRef(local: BuiltinName): TypeKey {
    const key = clark(XSD_NS, local);
    if (!this.builtins.has(key)) this.builtins.set(key, { kind: 'simple', name: key, builtin: local, facets: {} });
    return key;
  }

  /** The built definition of a type, building it now; detects circular derivation. */
  private definition(key: TypeKey, schema: SchemaScope, construct: string): TypeDef {
    const builtin = this.builtins.get(key);
    if (builtin) return builtin;
    const done = this.types.get(key);
    if (done) return done;
    if (this.inProgress.has(key)) throw new ContractLoadError(schema.doc.path, construct, `circular derivation through ${key}`);
    return this.namedType(key);
  }

  private component(kind: ComponentKind, node: XNode, value: string, schema: SchemaScope, construct: string): { key: TypeKey; comp: Component } {
    const { ns, local } = schemaQName(node, value, schema);
    const key = clark(ns, local);
    const comp = this.components[kind].get(key);
    if (!comp) throw new ContractLoadError(schema.doc.path, construct, `${kind} ${key} is not defined (unresolved reference)`);
    return { key, comp };
  }

  // ------------------------------------------------------------------------------------- named components

  private namedType(key: TypeKey): TypeDef {
    const existing = this.types.get(key);
    if (existing) return existing;
    const { node, schema } = this.components.type.get(key) as Component;
    const name = node.attrs.get('name') as string;
    const owner: Owner = { schema, key, label: `xs:${node.local} "${name}"` };
    this.types.set(key, null);
    this.inProgress.add(key);
    const outerGroups = this.groupsInProgress;
    const outerDepth = this.depth;
    this.groupsInProgress = new Set();
    this.depth = 0;
    const def = node.local === 'simpleType' ? this.simpleType(node, owner, key) : this.complexType(node, owner, key);
    this.groupsInProgress = outerGroups;
    this.depth = outerDepth;
    this.inProgress.delete(key);
    this.types.set(key, def);
    return def;
  }

  private globalElement(key: TypeKey): GlobalElement {
    const existing = this.elements.get(key);
    if (existing) return existing;
    const { node, schema } = this.components.element.get(key) as Component;
    const name = node.attrs.get('name') as string;
    const label = `xs:element "${name}"`;
    // The anonymous type of a global element is keyed by the element's name unless a named type has it.
    const owner: Owner = { schema, key: this.components.type.has(key) ? `${key}/#element` : key, label };
    const inline = inlineType(node);
    checkElementChildren(node, owner);
    // Registered before its anonymous type is built, so a recursive reference to it resolves.
    const el: GlobalElement = {
      name, ns: schema.tns,
      type: inline ? this.reserveAnonymousKey(owner.key) : this.elementType(node, owner, owner.key),
      nillable: node.attrs.get('nillable') === 'true',
    };
    const doc = documentation(node);
    if (doc !== undefined) el.documentation = doc;
    this.elements.set(key, el);
    if (inline) {
      if (node.attrs.has('type')) throw new ContractLoadError(schema.doc.path, label, 'has both a type attribute and an inline type');
      this.buildAnonymous(inline, { ...owner, key: el.type });
    }
    return el;
  }

  /** The type of an element declaration: @type, an inline anonymous type (keyed `anonKey`), or anyType. */
  private elementType(node: XNode, owner: Owner, anonKey: TypeKey): TypeKey {
    checkElementChildren(node, owner);
    const typeAttr = node.attrs.get('type');
    const inline = inlineType(node);
    if (typeAttr !== undefined && inline) throw new ContractLoadError(owner.schema.doc.path, owner.label, 'has both a type attribute and an inline type');
    if (typeAttr !== undefined) return this.typeRef(node, typeAttr, owner.schema, owner.label);
    if (inline) return this.anonymousType(inline, owner, anonKey);
    return this.builtinRef('anyType');
  }

  private anonymousType(node: XNode, owner: Owner, key: TypeKey): TypeKey {
    // Met again while being built (a named group recursing through an element's anonymous type): the same type.
    const scopeKey = `${owner.schema.tns}\u0000`;
    const building = this.anonymousInProgress.get(node)?.get(scopeKey);
    if (building !== undefined) return building;
    const unique = this.reserveAnonymousKey(key);
    const byScope = this.anonymousInProgress.get(node) ?? new Map<string, TypeKey>();
    this.anonymousInProgress.set(node, byScope.set(scopeKey, unique));
    this.buildAnonymous(node, { ...owner, key: unique });
    byScope.delete(scopeKey);
    return unique;
  }

  /** A free key for an anonymous type (suffix ~2, ~3... on a clash), reserved in build order. */
  private reserveAnonymousKey(key: TypeKey): TypeKey {
    let unique = key;
    for (let i = 2; this.types.has(unique) || this.components.type.has(unique); i++) unique = `${key}~${i}`;
    this.types.set(unique, null);
    return unique;
  }

  /** Runs `build` one nesting level deeper; a schema nested beyond MAX_NESTING is refused, never a stack overflow. */
  private nested<T>(construct: string, file: string, build: () => T): T {
    if (this.depth >= MAX_NESTING) throw new ContractLoadError(file, construct, `nests deeper than ${MAX_NESTING} levels`);
    this.depth++;
    try {
      return build();
    } finally {
      this.depth--;
    }
  }

  private buildAnonymous(node: XNode, owner: Owner): void {
    this.inProgress.add(owner.key);
    const outerGroups = this.groupsInProgress;
    this.groupsInProgress = new Set();
    const def = this.nested(owner.label, owner.schema.doc.path, () => node.local === 'simpleType' ? this.simpleType(node, owner) : this.complexType(node, owner));
    this.groupsInProgress = outerGroups;
    this.inProgress.delete(owner.key);
    this.types.set(owner.key, def);
  }

  // ------------------------------------------------------------------------------------- simple types

  private simpleType(node: XNode, owner: Owner, name?: TypeKey): SimpleTypeDef {
    const file = owner.schema.doc.path;
    const derivation = node.children.filter((c) => c.ns === XSD_NS && c.local !== 'annotation');
    if (derivation.length !== 1) throw new ContractLoadError(file, owner.label, 'a simpleType needs exactly one of restriction, list');
    const step = derivation[0];
    let def: SimpleTypeDef;
    if (step.local === 'restriction') {
      const baseKey = this.restrictionBase(step, owner, 'simpleType');
      const base = this.definition(baseKey, owner.schema, owner.label);
      if (base.kind !== 'simple') throw new ContractLoadError(file, owner.label, `restriction base ${baseKey} is not a simple type`);
      const own = readFacets(step, site(owner));
      checkFacetsApply(base, own, site(owner));
      def = { kind: 'simple', builtin: base.builtin, facets: mergeFacets(base, own, site(owner)) };
      if (base.listOf !== undefined) def.listOf = base.listOf;
      if (base.unionOf !== undefined) def.unionOf = base.unionOf;
    } else if (step.local === 'list') {
      const itemAttr = step.attrs.get('itemType');
      const inline = firstChild(step, XSD_NS, 'simpleType');
      if ((itemAttr === undefined) === (inline === undefined)) throw new ContractLoadError(file, `${owner.label} xs:list`, 'needs exactly one of itemType or an inline simpleType');
      const itemKey = itemAttr !== undefined
        ? this.typeRef(step, itemAttr, owner.schema, `${owner.label} xs:list`)
        : this.anonymousType(inline as XNode, owner, `${owner.key}/#item`);
      const item = this.definition(itemKey, owner.schema, owner.label);
      if (item.kind !== 'simple' || item.listOf !== undefined) throw new ContractLoadError(file, `${owner.label} xs:list`, 'the item type must be a non-list simple type');
      def = { kind: 'simple', builtin: item.builtin, facets: {}, listOf: itemKey };
    } else if (step.local === 'union') {
      const construct = `${owner.label} xs:union`;
      const members: TypeKey[] = [];
      for (const ref of (step.attrs.get('memberTypes') ?? '').trim().split(/\s+/).filter((m) => m !== '')) {
        members.push(this.typeRef(step, ref, owner.schema, `${construct} memberTypes="${ref}"`));
      }
      step.children.filter((c) => c.ns === XSD_NS && c.local === 'simpleType')
        .forEach((inline, i) => members.push(this.anonymousType(inline, owner, `${owner.key}/#member${i + 1}`)));
      if (members.length === 0) throw new ContractLoadError(file, construct, 'needs memberTypes or inline simpleTypes');
      for (const key of members) {
        const member = this.definition(key, owner.schema, construct);
        if (member.kind !== 'simple') throw new ContractLoadError(file, construct, `member type ${key} is not a simple type`);
      }
      def = { kind: 'simple', builtin: 'anySimpleType', facets: {}, unionOf: members };
    } else {
      throw new ContractLoadError(file, `${owner.label} xs:${step.local}`, 'is not supported in a simpleType');
    }
    if (name !== undefined) def = { kind: 'simple', name, ...withoutKind(def) };
    const doc = documentation(node);
    if (doc !== undefined) def.documentation = doc;
    return def;
  }

  /** The base of a restriction: @base or an inline simpleType child. */
  private restrictionBase(step: XNode, owner: Owner, what: string): TypeKey {
    const baseAttr = step.attrs.get('base');
    const inline = firstChild(step, XSD_NS, 'simpleType');
    if ((baseAttr === undefined) === (inline === undefined)) {
      throw new ContractLoadError(owner.schema.doc.path, `${owner.label} xs:restriction`, `a ${what} restriction needs exactly one of base or an inline simpleType`);
    }
    return baseAttr !== undefined
      ? this.typeRef(step, baseAttr, owner.schema, `${owner.label} xs:restriction base="${baseAttr}"`)
      : this.anonymousType(inline as XNode, owner, `${owner.key}/#base`);
  }

  // ------------------------------------------------------------------------------------- complex types

  private complexType(node: XNode, owner: Owner, name?: TypeKey): ComplexTypeDef {
    const file = owner.schema.doc.path;
    const def: ComplexTypeDef = { kind: 'complex', content: null, attributes: [] };
    if (name !== undefined) def.name = name;
    if (node.attrs.get('abstract') === 'true') def.abstract = true;
    if (node.attrs.get('mixed') === 'true') def.mixed = true;
    const doc = documentation(node);
    if (doc !== undefined) def.documentation = doc;

    for (const child of node.children) {
      if (child.ns !== XSD_NS || child.local === 'annotation') continue;
      switch (child.local) {
        case 'sequence': case 'choice': case 'all': case 'group':
          if (def.content) throw new ContractLoadError(file, owner.label, 'has more than one content model');
          def.content = this.modelGroup(child, owner);
          break;
        case 'attribute': case 'attributeGroup': case 'anyAttribute':
          this.attributeInto(def, child, owner);
          break;
        case 'complexContent':
          this.complexContent(child, owner, def);
          break;
        case 'simpleContent':
          this.simpleContent(child, owner, def);
          break;
        default:
          throw new ContractLoadError(file, `${owner.label} xs:${child.local}`, 'is not supported in a complexType');
      }
    }
    if (def.content?.particles.length === 0 && def.content.minOccurs <= 1) def.content = def.content.kind === 'choice' ? def.content : null;
    assignProps(def);
    return def;
  }

  private complexContent(node: XNode, owner: Owner, def: ComplexTypeDef): void {
    const file = owner.schema.doc.path;
    if (node.attrs.get('mixed') === 'true') def.mixed = true;
    const step = node.children.find((c) => c.ns === XSD_NS && c.local !== 'annotation');
    if (!step || (step.local !== 'extension' && step.local !== 'restriction')) {
      throw new ContractLoadError(file, `${owner.label} xs:complexContent`, 'needs an extension or a restriction');
    }
    const baseAttr = step.attrs.get('base');
    if (baseAttr === undefined) throw new ContractLoadError(file, `${owner.label} xs:${step.local}`, 'has no base');
    const construct = `${owner.label} xs:complexContent/xs:${step.local} base="${baseAttr}"`;
    const baseKey = this.typeRef(step, baseAttr, owner.schema, construct);
    const isAnyType = baseKey === clark(XSD_NS, 'anyType');
    let ownGroup: ModelGroup | null = null;
    const own: OwnAttributes = { attributes: [] };
    for (const c of step.children) {
      if (c.ns !== XSD_NS || c.local === 'annotation') continue;
      if (c.local === 'sequence' || c.local === 'choice' || c.local === 'all' || c.local === 'group') {
        if (ownGroup) throw new ContractLoadError(file, construct, 'has more than one content model');
        ownGroup = this.modelGroup(c, owner);
      } else if (c.local === 'attribute' || c.local === 'attributeGroup' || c.local === 'anyAttribute') {
        this.attributeInto(own, c, owner);
      } else {
        throw new ContractLoadError(file, `${construct} xs:${c.local}`, 'is not supported here');
      }
    }
    if (isAnyType) {
      def.content = ownGroup;
      def.attributes = own.attributes;
      if (own.anyAttribute) def.anyAttribute = own.anyAttribute;
      return;
    }
    const base = this.definition(baseKey, owner.schema, construct);
    if (base.kind !== 'complex') {
      throw new ContractLoadError(file, construct, 'the base of complexContent must be a complex type');
    }
    if (base.simpleContent !== undefined) {
      // Derivation from a simple-content type through complexContent (as .NET and JAXB emit it): only
      // attributes can be added or restricted, the text value stays.
      if (ownGroup && ownGroup.particles.length > 0) {
        throw new ContractLoadError(file, construct, 'cannot add elements to a base with simple content');
      }
      def.simpleContent = base.simpleContent;
    }
    if (step.local === 'extension') {
      def.base = baseKey;
      if (base.simpleContent === undefined) def.content = concatContent(clone(base.content), ownGroup);
      def.attributes = [...clone(base.attributes), ...own.attributes];
      const wildcard = unionWildcards(base.anyAttribute, own.anyAttribute);
      if (wildcard) def.anyAttribute = wildcard;
    } else {
      // A restriction restates the content it keeps; attributes are inherited unless restated or prohibited.
      if (base.simpleContent === undefined) def.content = ownGroup;
      def.attributes = restrictAttributes(base.attributes, own.attributes, step, owner);
      if (own.anyAttribute) def.anyAttribute = own.anyAttribute;
    }
  }

  private simpleContent(node: XNode, owner: Owner, def: ComplexTypeDef): void {
    const file = owner.schema.doc.path;
    const step = node.children.find((c) => c.ns === XSD_NS && c.local !== 'annotation');
    if (!step || (step.local !== 'extension' && step.local !== 'restriction')) {
      throw new ContractLoadError(file, `${owner.label} xs:simpleContent`, 'needs an extension or a restriction');
    }
    const baseAttr = step.attrs.get('base');
    if (baseAttr === undefined) throw new ContractLoadError(file, `${owner.label} xs:simpleContent/xs:${step.local}`, 'has no base');
    const construct = `${owner.label} xs:simpleContent/xs:${step.local} base="${baseAttr}"`;
    const baseKey = this.typeRef(step, baseAttr, owner.schema, construct);
    const base = this.definition(baseKey, owner.schema, construct);
    const own: OwnAttributes = { attributes: [] };
    for (const c of step.children) {
      if (c.ns !== XSD_NS) continue;
      if (c.local === 'attribute' || c.local === 'attributeGroup' || c.local === 'anyAttribute') this.attributeInto(own, c, owner);
    }
    const ownAttributes = own.attributes;
    if (step.local === 'extension') {
      if (base.kind === 'simple') {
        def.simpleContent = baseKey;
        def.attributes = ownAttributes;
        if (own.anyAttribute) def.anyAttribute = own.anyAttribute;
      } else if (base.simpleContent !== undefined) {
        def.base = baseKey;
        def.simpleContent = base.simpleContent;
        def.attributes = [...clone(base.attributes), ...ownAttributes];
        const wildcard = unionWildcards(base.anyAttribute, own.anyAttribute);
        if (wildcard) def.anyAttribute = wildcard;
      } else {
        throw new ContractLoadError(file, construct, 'the base of simpleContent must be a simple type or a complex type with simple content');
      }
      return;
    }
    if (base.kind !== 'complex' || base.simpleContent === undefined) {
      throw new ContractLoadError(file, construct, 'a simpleContent restriction needs a complex type with simple content as base');
    }
    const valueBase = this.definition(base.simpleContent, owner.schema, construct) as SimpleTypeDef;
    const valueKey = `${owner.key}/#value`;
    const ownFacets = readFacets(step, site(owner));
    checkFacetsApply(valueBase, ownFacets, site(owner));
    const valueDef: SimpleTypeDef = { kind: 'simple', builtin: valueBase.builtin, facets: mergeFacets(valueBase, ownFacets, site(owner)) };
    if (valueBase.listOf !== undefined) valueDef.listOf = valueBase.listOf;
    this.types.set(valueKey, valueDef);
    def.simpleContent = valueKey;
    def.attributes = restrictAttributes(base.attributes, ownAttributes, step, owner);
    if (own.anyAttribute) def.anyAttribute = own.anyAttribute;
  }

  // ------------------------------------------------------------------------------------- particles

  private modelGroup(node: XNode, owner: Owner): ModelGroup {
    const file = owner.schema.doc.path;
    const { minOccurs, maxOccurs } = occurs(node, file, `${owner.label} xs:${node.local}`);
    if (node.local === 'group') {
      const ref = node.attrs.get('ref');
      if (ref === undefined) throw new ContractLoadError(file, `${owner.label} xs:group`, 'a local group needs ref');
      const { comp } = this.component('group', node, ref, owner.schema, `${owner.label} xs:group ref="${ref}"`);
      const inner = comp.node.children.find((c) => c.ns === XSD_NS && c.local !== 'annotation');
      if (!inner || !['sequence', 'choice', 'all'].includes(inner.local)) {
        throw new ContractLoadError(comp.schema.doc.path, `xs:group "${comp.node.attrs.get('name')}"`, 'needs a sequence, choice or all');
      }
      if (this.groupsInProgress.has(comp.node)) {
        throw new ContractLoadError(comp.schema.doc.path, `xs:group "${comp.node.attrs.get('name') ?? ''}"`, `contains itself (through ${owner.label}); a model group may not be circular`);
      }
      this.groupsInProgress.add(comp.node);
      const group = this.nested(`${owner.label} xs:group ref="${ref}"`, file, () => this.modelGroup(inner, { ...owner, schema: comp.schema }));
      this.groupsInProgress.delete(comp.node);
      return { ...group, minOccurs: minOccurs * group.minOccurs, maxOccurs: multiplyMax(maxOccurs, group.maxOccurs) };
    }
    const group: ModelGroup = { kind: node.local as ModelGroup['kind'], minOccurs, maxOccurs, particles: [] };
    for (const c of node.children) {
      if (c.ns !== XSD_NS || c.local === 'annotation') continue;
      const construct = `${owner.label} xs:${node.local}/xs:${c.local}`;
      if (c.local === 'element') group.particles.push(this.localElement(c, owner));
      else if (c.local === 'any') group.particles.push(anyParticle(c, file, construct));
      else if (c.local === 'sequence' || c.local === 'choice' || c.local === 'group') {
        if (node.local === 'all') throw new ContractLoadError(file, construct, 'xs:all may contain only elements');
        group.particles.push(this.nested(construct, file, () => this.modelGroup(c, owner)));
      } else throw new ContractLoadError(file, construct, 'is not supported in a model group');
    }
    if (group.kind === 'all' && group.maxOccurs !== 1) throw new ContractLoadError(file, `${owner.label} xs:all`, 'maxOccurs must be 1');
    return group;
  }

  /**
   * A local element, or a reference to a global one. A reference to the head of a substitution group
   * becomes a choice of the head (unless abstract) and every member, with the reference's occurrence.
   */
  private localElement(node: XNode, owner: Owner): ElementDecl | ModelGroup {
    const file = owner.schema.doc.path;
    const ref = node.attrs.get('ref');
    const { minOccurs, maxOccurs } = occurs(node, file, `${owner.label} xs:element ${ref ? `ref="${ref}"` : `"${node.attrs.get('name')}"`}`);
    if (ref !== undefined) {
      const { key } = this.component('element', node, ref, owner.schema, `${owner.label} xs:element ref="${ref}"`);
      const members = this.substitutionMembers(key);
      if (members.length > 0) {
        const heads = this.components.element.get(key)?.node.attrs.get('abstract') === 'true' ? [] : [key];
        const particles = [...heads, ...members].map((k) => this.elementRefDecl(k, node, 1, 1));
        return { kind: 'choice', minOccurs, maxOccurs, particles };
      }
      return this.elementRefDecl(key, node, minOccurs, maxOccurs);
    }
    const name = node.attrs.get('name');
    if (name === undefined) throw new ContractLoadError(file, `${owner.label} xs:element`, 'needs a name or a ref');
    if (node.attrs.get('abstract') === 'true') throw new ContractLoadError(file, `${owner.label} element "${name}"`, 'a local element cannot be abstract');
    const form = node.attrs.get('form');
    const qualified = form === undefined ? owner.schema.elementsQualified : form === 'qualified';
    const label = `${owner.label} element "${name}"`;
    const decl: ElementDecl = {
      kind: 'element', name, ns: qualified ? owner.schema.tns : '', prop: '',
      type: this.elementType(node, { ...owner, label }, `${owner.key}/${name}`),
      minOccurs, maxOccurs, nillable: node.attrs.get('nillable') === 'true',
    };
    copyValueConstraints(node, decl);
    const doc = documentation(node);
    if (doc !== undefined) decl.documentation = doc;
    return decl;
  }

  private elementRefDecl(key: TypeKey, node: XNode, minOccurs: number, maxOccurs: number): ElementDecl {
    const global = this.globalElement(key);
    const decl: ElementDecl = { kind: 'element', name: global.name, ns: global.ns, prop: '', type: global.type, minOccurs, maxOccurs, nillable: global.nillable };
    const globalNode = this.components.element.get(key) as Component;
    copyValueConstraints(globalNode.node, decl);
    const doc = documentation(node) ?? global.documentation;
    if (doc !== undefined) decl.documentation = doc;
    return decl;
  }

  /** Every element that may substitute for `head` (transitively), in document order; abstract ones excluded. */
  private substitutionMembers(head: TypeKey): TypeKey[] {
    if (this.substitutes === undefined) {
      this.substitutes = new Map();
      for (const [key, { node, schema }] of this.components.element) {
        const heads = node.attrs.get('substitutionGroup');
        if (heads === undefined) continue;
        for (const h of heads.trim().split(/\s+/)) {
          const { ns, local } = schemaQName(node, h, schema);
          const headKey = clark(ns, local);
          if (!this.components.element.has(headKey)) {
            throw new ContractLoadError(schema.doc.path, `xs:element "${node.attrs.get('name') ?? ''}" substitutionGroup="${h}"`, `element ${headKey} is not defined (unresolved reference)`);
          }
          this.substitutes.set(headKey, [...(this.substitutes.get(headKey) ?? []), key]);
        }
      }
    }
    const result: TypeKey[] = [];
    const visit = (k: TypeKey): void => {
      for (const m of this.substitutes?.get(k) ?? []) {
        if (result.includes(m) || m === head) continue;
        if (this.components.element.get(m)?.node.attrs.get('abstract') !== 'true') result.push(m);
        visit(m);
      }
    };
    visit(head);
    return result;
  }

  // ------------------------------------------------------------------------------------- attributes

  private attributeInto(target: OwnAttributes, node: XNode, owner: Owner): void {
    const file = owner.schema.doc.path;
    const into = target.attributes;
    if (node.local === 'anyAttribute') {
      const construct = `${owner.label} xs:anyAttribute`;
      const processContents = node.attrs.get('processContents') ?? 'strict';
      if (processContents !== 'strict' && processContents !== 'lax' && processContents !== 'skip') {
        throw new ContractLoadError(file, construct, `invalid processContents "${processContents}"`);
      }
      // Within one type, several wildcards (via attribute groups) intersect; '##any' is the usual case.
      const wildcard: AttributeWildcard = { namespace: node.attrs.get('namespace') ?? '##any', processContents };
      target.anyAttribute = target.anyAttribute && target.anyAttribute.namespace !== '##any' ? target.anyAttribute : wildcard;
      return;
    }
    if (node.local === 'attributeGroup') {
      const ref = node.attrs.get('ref');
      if (ref === undefined) throw new ContractLoadError(file, `${owner.label} xs:attributeGroup`, 'a local attributeGroup needs ref');
      const { comp } = this.component('attributeGroup', node, ref, owner.schema, `${owner.label} xs:attributeGroup ref="${ref}"`);
      if (this.groupsInProgress.has(comp.node)) {
        throw new ContractLoadError(comp.schema.doc.path, `xs:attributeGroup "${comp.node.attrs.get('name') ?? ''}"`, 'contains itself; an attribute group may not be circular');
      }
      this.groupsInProgress.add(comp.node);
      for (const c of comp.node.children) {
        if (c.ns === XSD_NS && c.local !== 'annotation') this.attributeInto(target, c, { ...owner, schema: comp.schema });
      }
      this.groupsInProgress.delete(comp.node);
      return;
    }
    if (node.local !== 'attribute') throw new ContractLoadError(file, `${owner.label} xs:${node.local}`, 'is not supported among attributes');
    const use = node.attrs.get('use') ?? 'optional';
    const ref = node.attrs.get('ref');
    let decl: AttributeDecl;
    if (ref !== undefined) {
      const construct = `${owner.label} xs:attribute ref="${ref}"`;
      const { ns, local } = schemaQName(node, ref, owner.schema);
      if (ns === XML_NS && XML_ATTRIBUTES[local] !== undefined) {
        decl = { name: local, ns, prop: '', type: this.builtinRef(XML_ATTRIBUTES[local]), required: use === 'required' };
      } else {
        const { comp } = this.component('attribute', node, ref, owner.schema, construct);
        decl = {
          name: local, ns, prop: '', required: use === 'required',
          type: this.attributeType(comp.node, { schema: comp.schema, key: clark(ns, local), label: construct }),
        };
        copyValueConstraints(comp.node, decl);
      }
    } else {
      const name = node.attrs.get('name');
      if (name === undefined) throw new ContractLoadError(file, `${owner.label} xs:attribute`, 'needs a name or a ref');
      const form = node.attrs.get('form');
      const qualified = form === undefined ? owner.schema.attributesQualified : form === 'qualified';
      decl = {
        name, ns: qualified ? owner.schema.tns : '', prop: '', required: use === 'required',
        type: this.attributeType(node, { ...owner, label: `${owner.label} attribute "${name}"`, key: `${owner.key}/@${name}` }),
      };
    }
    copyValueConstraints(node, decl);
    if (use === 'prohibited') {
      const i = into.findIndex((a) => a.name === decl.name && a.ns === decl.ns);
      if (i >= 0) into.splice(i, 1);
      return;
    }
    if (into.some((a) => a.name === decl.name && a.ns === decl.ns)) {
      throw new ContractLoadError(file, `${owner.label} attribute "${decl.name}"`, 'is declared twice');
    }
    into.push(decl);
  }

  private attributeType(node: XNode, owner: Owner): TypeKey {
    const typeAttr = node.attrs.get('type');
    const inline = firstChild(node, XSD_NS, 'simpleType');
    if (typeAttr !== undefined && inline) throw new ContractLoadError(owner.schema.doc.path, owner.label, 'has both a type attribute and an inline type');
    const key = typeAttr !== undefined
      ? this.typeRef(node, typeAttr, owner.schema, owner.label)
      : inline ? this.anonymousType(inline, owner, owner.key) : this.builtinRef('anySimpleType');
    const def = this.definition(key, owner.schema, owner.label);
    if (def.kind !== 'simple') throw new ContractLoadError(owner.schema.doc.path, owner.label, `attribute type ${key} is not a simple type`);
    return key;
  }
}

// ------------------------------------------------------------------------------------- helpers

/** An extension's attribute wildcard is the union of the base's and its own. */
function unionWildcards(base: AttributeWildcard | undefined, own: AttributeWildcard | undefined): AttributeWildcard | undefined {
  if (!base || !own) return base ?? own;
  if (base.namespace === own.namespace) return own;
  const tokens = (w: AttributeWildcard): string[] => w.namespace.trim().split(/\s+/);
  if ([base, own].some((w) => w.namespace.trim() === '##any' || w.namespace.trim() === '##other')) return { namespace: '##any', processContents: own.processContents };
  return { namespace: [...new Set([...tokens(base), ...tokens(own)])].join(' '), processContents: own.processContents };
}

function site(owner: Owner): FacetSite {
  return { file: owner.schema.doc.path, label: owner.label };
}

/**
 * Identity constraints (xs:key, xs:unique, xs:keyref) are accepted and not enforced: they constrain values
 * across a document, which the handler owns (docs/engine.md says so); XSD 1.1 additions are refused.
 */
function checkElementChildren(node: XNode, owner: Owner): void {
  for (const c of node.children) {
    if (c.ns !== XSD_NS || c.local === 'annotation' || c.local === 'complexType' || c.local === 'simpleType') continue;
    if (c.local === 'key' || c.local === 'unique' || c.local === 'keyref') continue;
    throw new ContractLoadError(owner.schema.doc.path, `${owner.label} xs:${c.local}`, 'is not supported inside xs:element');
  }
}

/** Resolve a QName-valued attribute in a schema, applying the chameleon-include namespace rule. */
function schemaQName(node: XNode, value: string, schema: SchemaScope): { ns: string; local: string } {
  const q = resolveQName(node, value, schema.doc.path);
  return schema.chameleon && q.ns === '' ? { ns: schema.tns, local: q.local } : q;
}

function inlineType(node: XNode): XNode | undefined {
  return node.children.find((c) => c.ns === XSD_NS && (c.local === 'complexType' || c.local === 'simpleType'));
}

function withoutKind(def: SimpleTypeDef): Omit<SimpleTypeDef, 'kind'> {
  const { kind: _kind, ...rest } = def;
  return rest;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function documentation(node: XNode): string | undefined {
  const annotation = firstChild(node, XSD_NS, 'annotation');
  const doc = annotation ? firstChild(annotation, XSD_NS, 'documentation') : undefined;
  const text = doc?.text.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

function copyValueConstraints(node: XNode, decl: { default?: string; fixed?: string }): void {
  const dflt = node.attrs.get('default');
  const fixed = node.attrs.get('fixed');
  if (dflt !== undefined) decl.default = dflt;
  if (fixed !== undefined) decl.fixed = fixed;
}

function occurs(node: XNode, file: string, construct: string): { minOccurs: number; maxOccurs: number } {
  const minText = node.attrs.get('minOccurs') ?? '1';
  const maxText = node.attrs.get('maxOccurs') ?? '1';
  if (!/^\d+$/.test(minText)) throw new ContractLoadError(file, construct, `invalid minOccurs "${minText}"`);
  if (maxText !== 'unbounded' && !/^\d+$/.test(maxText)) throw new ContractLoadError(file, construct, `invalid maxOccurs "${maxText}"`);
  const minOccurs = Number(minText);
  const maxOccurs = maxText === 'unbounded' ? -1 : Number(maxText);
  if (maxOccurs !== -1 && maxOccurs < minOccurs) throw new ContractLoadError(file, construct, 'maxOccurs is less than minOccurs');
  return { minOccurs, maxOccurs };
}

function multiplyMax(a: number, b: number): number {
  return a === -1 || b === -1 ? -1 : a * b;
}

function anyParticle(node: XNode, file: string, construct: string): AnyParticle {
  const { minOccurs, maxOccurs } = occurs(node, file, construct);
  const pc = node.attrs.get('processContents') ?? 'strict';
  if (pc !== 'strict' && pc !== 'lax' && pc !== 'skip') throw new ContractLoadError(file, construct, `invalid processContents "${pc}"`);
  return { kind: 'any', prop: '', minOccurs, maxOccurs, namespace: node.attrs.get('namespace') ?? '##any', processContents: pc };
}

/** Extension content: the base's particles first, then the extension's. */
function concatContent(base: ModelGroup | null, own: ModelGroup | null): ModelGroup | null {
  if (!base || base.particles.length === 0) return own;
  if (!own || own.particles.length === 0) return base;
  const plain = (g: ModelGroup): boolean => g.kind === 'sequence' && g.minOccurs === 1 && g.maxOccurs === 1;
  const parts = [...(plain(base) ? base.particles : [base]), ...(plain(own) ? own.particles : [own])];
  return { kind: 'sequence', minOccurs: 1, maxOccurs: 1, particles: parts };
}

function restrictAttributes(inherited: AttributeDecl[], restated: AttributeDecl[], step: XNode, owner: Owner): AttributeDecl[] {
  const prohibited = new Set(
    step.children.filter((c) => c.ns === XSD_NS && c.local === 'attribute' && c.attrs.get('use') === 'prohibited')
      .map((c) => c.attrs.get('name') ?? resolveQName(c, c.attrs.get('ref') ?? '', owner.schema.doc.path).local),
  );
  const result = clone(inherited).filter((a) => !prohibited.has(a.name));
  for (const a of restated) {
    const i = result.findIndex((b) => b.name === a.name && b.ns === a.ns);
    if (i >= 0) result[i] = a;
    else result.push(a);
  }
  return result;
}

// ------------------------------------------------------------------------------------- property names

/**
 * Give every element, xs:any and attribute of a complex type its property name. Elements keep the
 * name (camelCased when not an identifier); a later element whose name maps to a taken property gets a
 * numeric suffix; an attribute clashing with an element gets "Attr" appended. The same element name
 * twice in one content model (choice branches, a derivation restating a base element, substitution group
 * members) gets numbered properties too; the decoder matches them in schema order.
 */
function assignProps(def: ComplexTypeDef): void {
  const taken = new Map<string, string>();
  const unique = (wanted: string, wire: string): string => {
    let prop = wanted;
    for (let i = 2; taken.has(prop); i++) prop = `${wanted}${i}`;
    taken.set(prop, wire);
    return prop;
  };
  const walk = (group: ModelGroup): void => {
    for (const p of group.particles) {
      if (p.kind === 'element') {
        const wire = clark(p.ns, p.name);
        p.prop = unique(propName(p.name), wire);
      } else if (p.kind === 'any') {
        p.prop = unique('any', '#any');
      } else {
        walk(p);
      }
    }
  };
  if (def.content) walk(def.content);
  for (const a of def.attributes) {
    const wanted = propName(a.name);
    a.prop = unique(taken.has(wanted) ? `${wanted}Attr` : wanted, `@${clark(a.ns, a.name)}`);
  }
}

