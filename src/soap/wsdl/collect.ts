/**
 * Collects the XML Schemas of a contract: inline schemas of a WSDL, and every document reached through
 * xs:import / xs:include (schemaLocation relative to the referencing file; a remote location through the
 * XML catalog, never the network; an import without a location from the document set or the catalog's
 * entry for the namespace), with each top-level component registered by kind and Clark name. Turning the
 * components into the SchemaModel is model-builder.ts's job.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clark, XSD_NS, type TypeKey } from '../schema/model';
import type { XmlCatalog } from './catalog';
import { ContractLoadError } from './errors';
import { parseXmlTree, XML_NS, type XNode } from './xml-tree';

export const SOAP_ENCODING_NS = 'http://schemas.xmlsoap.org/soap/encoding/';

/** One WSDL/XSD file of the contract, as the loader tracks it for ?wsdl/?xsd serving. */
export interface LoadedDocument {
  name: string;
  absPath: string;
  /** Path relative to the project root, '/'-separated; used in every error message. */
  path: string;
  kind: 'wsdl' | 'xsd';
  references: Record<string, string>;
}

/** One xs:schema element with the namespace it contributes to (a chameleon include adopts the includer's). */
export interface SchemaScope {
  doc: LoadedDocument;
  node: XNode;
  tns: string;
  /** Included without a targetNamespace of its own: unqualified references mean the includer's namespace. */
  chameleon: boolean;
  elementsQualified: boolean;
  attributesQualified: boolean;
}

export interface Component {
  node: XNode;
  schema: SchemaScope;
}

export type ComponentKind = 'type' | 'element' | 'group' | 'attributeGroup' | 'attribute';

export class SchemaCollector {
  readonly documents: LoadedDocument[] = [];
  private readonly byPath = new Map<string, LoadedDocument>();
  private readonly scopes: SchemaScope[] = [];
  private readonly components: Record<ComponentKind, Map<TypeKey, Component>> = {
    type: new Map(), element: new Map(), group: new Map(), attributeGroup: new Map(), attribute: new Map(),
  };

  /** xs:imports without a schemaLocation, resolved once everything else is collected (see finish). */
  private readonly unlocatedImports: { ns: string; schema: SchemaScope }[] = [];

  constructor(private readonly projectRoot: string, private readonly catalog?: XmlCatalog) {}

  /** Project-relative, '/'-separated form of an absolute path, for messages and the model. */
  relative(absPath: string): string {
    return path.relative(this.projectRoot, absPath).split(path.sep).join('/');
  }

  /**
   * The local file a location refers to: through the catalog when it has an entry, else relative to the
   * referencing document (file: URIs too). A remote location without a catalog entry is refused.
   */
  locate(location: string, from: LoadedDocument, construct: string): string {
    const mapped = this.catalog?.resolve(location);
    if (mapped !== undefined) return mapped;
    if (/^file:\/\//i.test(location)) return fileURLToPath(location);
    if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^file:/i.test(location)) {
      throw new ContractLoadError(from.path, construct, this.catalog
        ? 'remote location has no entry in the XML catalog; add one mapping it to a local copy (documents are never fetched)'
        : 'remote locations need an XML catalog mapping them to local copies (codegen --catalog); documents are never fetched');
    }
    return path.resolve(path.dirname(from.absPath), decodeURI(location.replace(/^file:/i, '')));
  }

  /** Resolve xs:imports that named only a namespace: from the collected schemas, else the catalog. */
  finish(): void {
    for (let i = 0; i < this.unlocatedImports.length; i++) {
      const { ns, schema } = this.unlocatedImports[i];
      if (ns === XML_NS || this.scopes.some((s) => s.tns === ns)) continue;
      const mapped = this.catalog?.resolve(ns);
      if (mapped === undefined) continue; // references into it fail later, naming the component
      const target = this.loadXsdFile(mapped, schema.doc, `xs:import namespace="${ns}"`);
      this.addSchema(target.root, target.doc);
    }
  }

  /** Register a document (the WSDL is registered by the caller with name 'wsdl'). */
  registerDocument(absPath: string, kind: 'wsdl' | 'xsd', preferredName?: string): LoadedDocument {
    const existing = this.byPath.get(absPath);
    if (existing) return existing;
    const taken = new Set(this.documents.map((d) => d.name));
    const base = preferredName ?? (path.basename(absPath).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '_') || 'schema');
    let name = base;
    for (let i = 2; taken.has(name) || (kind === 'xsd' && name === 'wsdl'); i++) name = `${base}-${i}`;
    const doc: LoadedDocument = {
      name, absPath, kind, references: {},
      path: path.relative(this.projectRoot, absPath).split(path.sep).join('/'),
    };
    this.documents.push(doc);
    this.byPath.set(absPath, doc);
    return doc;
  }

  /** Add an xs:schema element found in `doc` (inline in a WSDL, or the root of an XSD file). */
  addSchema(node: XNode, doc: LoadedDocument, includerTns?: string): void {
    const declared = node.attrs.get('targetNamespace');
    if (includerTns !== undefined && declared !== undefined && declared !== includerTns) {
      throw new ContractLoadError(doc.path, 'xs:include', `included schema has targetNamespace "${declared}" but the including schema has "${includerTns}"`);
    }
    const tns = declared ?? includerTns ?? '';
    // The same schema may be reached twice (diamond imports); a chameleon include once per namespace.
    if (this.scopes.some((s) => s.node === node && s.tns === tns)) return;
    const schema: SchemaScope = {
      doc, node, tns, chameleon: declared === undefined && tns !== '',
      elementsQualified: node.attrs.get('elementFormDefault') === 'qualified',
      attributesQualified: node.attrs.get('attributeFormDefault') === 'qualified',
    };
    this.scopes.push(schema);
    for (const child of node.children) {
      if (child.ns !== XSD_NS) {
        throw new ContractLoadError(doc.path, `<${child.qname}>`, 'unexpected element in xs:schema');
      }
      switch (child.local) {
        case 'annotation':
          break;
        case 'include':
        case 'import':
          this.followReference(child, schema);
          break;
        case 'redefine':
          throw new ContractLoadError(doc.path, 'xs:redefine', 'is not supported');
        case 'override':
          throw new ContractLoadError(doc.path, 'xs:override', 'is not supported (XSD 1.1)');
        case 'simpleType':
        case 'complexType':
          this.register('type', child, schema);
          break;
        case 'element':
        case 'group':
        case 'attributeGroup':
        case 'attribute':
          this.register(child.local, child, schema);
          break;
        case 'notation':
          throw new ContractLoadError(doc.path, 'xs:notation', 'is not supported');
        default:
          throw new ContractLoadError(doc.path, `xs:${child.local}`, 'is not supported at the top level of a schema');
      }
    }
  }

  private followReference(node: XNode, schema: SchemaScope): void {
    const location = node.attrs.get('schemaLocation');
    const construct = `xs:${node.local}${location ? ` schemaLocation="${location}"` : ''}`;
    if (node.local === 'import' && node.attrs.get('namespace') === schema.tns && schema.tns !== '') {
      throw new ContractLoadError(schema.doc.path, construct, 'an import must name a namespace other than the schema\'s own (use xs:include)');
    }
    if (location === undefined) {
      // An import without a location refers to a schema elsewhere in the contract (e.g. inline), or in the catalog.
      if (node.local === 'include') throw new ContractLoadError(schema.doc.path, construct, 'schemaLocation is required');
      this.unlocatedImports.push({ ns: node.attrs.get('namespace') ?? '', schema });
      return;
    }
    // The xml: namespace is built in (xml:lang, xml:space, xml:base, xml:id); its schema is read only when mapped locally.
    if (node.local === 'import' && node.attrs.get('namespace') === XML_NS && this.catalog?.resolve(location) === undefined && /^[a-z][a-z0-9+.-]*:/i.test(location)) return;
    const absPath = this.locate(location, schema.doc, construct);
    const target = this.loadXsdFile(absPath, schema.doc, construct);
    schema.doc.references[location] = target.doc.name;
    if (node.local === 'import') {
      const expected = node.attrs.get('namespace') ?? '';
      const actual = target.root.attrs.get('targetNamespace') ?? '';
      if (expected !== actual) {
        throw new ContractLoadError(schema.doc.path, construct, `imports namespace "${expected}" but ${target.doc.path} has targetNamespace "${actual}"`);
      }
      this.addSchema(target.root, target.doc);
    } else {
      this.addSchema(target.root, target.doc, schema.tns);
    }
  }

  private readonly parsed = new Map<string, XNode>();

  private loadXsdFile(absPath: string, from: LoadedDocument, construct: string): { doc: LoadedDocument; root: XNode } {
    let root = this.parsed.get(absPath);
    if (root === undefined) {
      let text: string;
      try {
        text = fs.readFileSync(absPath, 'utf8');
      } catch {
        throw new ContractLoadError(from.path, construct, `cannot read ${path.relative(this.projectRoot, absPath).split(path.sep).join('/')}`);
      }
      const doc = this.registerDocument(absPath, 'xsd');
      root = parseXmlTree(text, doc.path);
      if (root.ns !== XSD_NS || root.local !== 'schema') {
        throw new ContractLoadError(doc.path, `<${root.qname}>`, 'the referenced document is not an XML Schema');
      }
      this.parsed.set(absPath, root);
    }
    return { doc: this.registerDocument(absPath, 'xsd'), root };
  }

  private register(kind: ComponentKind, node: XNode, schema: SchemaScope): void {
    const name = node.attrs.get('name');
    if (name === undefined) throw new ContractLoadError(schema.doc.path, `top-level xs:${node.local}`, 'has no name');
    const key = clark(schema.tns, name);
    const existing = this.components[kind].get(key);
    if (existing) {
      if (existing.node === node) return;
      throw new ContractLoadError(schema.doc.path, `xs:${node.local} "${name}"`,
        `${kind} ${key} is already defined in ${existing.schema.doc.path} (name clash)`);
    }
    this.components[kind].set(key, { node, schema });
  }

  /** Every top-level component collected so far, by kind and key (for the model builder). */
  get collected(): Readonly<Record<ComponentKind, ReadonlyMap<TypeKey, Component>>> {
    return this.components;
  }
}
