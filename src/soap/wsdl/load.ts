/**
 * Contract loader: a WSDL 1.1 file (document/literal, WS-I Basic Profile style), the WSDLs it imports
 * (wsdl:import) and every XSD they reach -> the JSON-serialisable ContractModel. Used by codegen (and
 * tests); the runtime reads the generated model and never parses WSDL. Remote locations are read from the
 * local copies an XML catalog names (catalog.ts), never fetched.
 *
 * Only what a SOAP binding serves is read: port types no SOAP binding binds (HTTP GET/POST, MIME) and
 * their bindings and ports are skipped. Extension elements of other vocabularies (WS-Policy,
 * WS-Addressing metadata...) are ignored unless marked wsdl:required="true". Unsupported constructs
 * (rpc style, encoded use, SOAP encoding, several body parts, WSDL 2.0, ...) throw a ContractLoadError
 * naming the file and the construct.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  clark, type BindingDecl, type BindingOperation, type ContractModel, type FaultDecl, type HeaderDecl, type OperationDecl,
  type PortDecl, type PortTypeDecl, type SchemaModel, type ServiceDecl, type SoapVersion, type TypeKey, XSD_NS,
} from '../schema/model';
import { propName } from '../codegen/naming';
import { XmlCatalog } from './catalog';
import { SchemaCollector, SOAP_ENCODING_NS, type LoadedDocument } from './collect';
import { ContractLoadError } from './errors';
import { buildSchemaModel } from './model-builder';
import { childrenOf, firstChild, parseXmlTree, resolveQName, type XNode } from './xml-tree';

export { ContractLoadError } from './errors';

export const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
export const WSDL_SOAP11_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
export const WSDL_SOAP12_NS = 'http://schemas.xmlsoap.org/wsdl/soap12/';
export const SOAP_HTTP_TRANSPORT = 'http://schemas.xmlsoap.org/soap/http';
/** The HTTP transport as contracts spell it: WSDL 1.1's URI (also with a trailing slash) and SOAP 1.2's binding URI. */
const HTTP_TRANSPORTS: ReadonlySet<string> = new Set([
  SOAP_HTTP_TRANSPORT, `${SOAP_HTTP_TRANSPORT}/`, 'http://www.w3.org/2003/05/soap/bindings/HTTP/', 'http://www.w3.org/2003/05/soap/bindings/HTTP',
]);
/** How deep wsdl:imports may nest (a cycle is detected anyway; this bounds a pathological chain). */
const MAX_IMPORT_DEPTH = 32;

export interface LoadContractOptions {
  /** Contract identifier, e.g. "v1" or "echo". */
  id: string;
  /** Document paths in the model are relative to this folder. */
  projectRoot: string;
  /** OASIS XML catalog (relative to projectRoot) mapping remote schema/WSDL locations to local copies. */
  catalog?: string;
}

interface MessagePart {
  name: string;
  element?: TypeKey;
  type?: TypeKey;
}

/** One wsdl:definitions: the main WSDL or one it imports. */
interface Definitions {
  root: XNode;
  doc: LoadedDocument;
  tns: string;
}

/** A port type operation's messages, before a binding says which part is the body. */
interface AbstractOperation {
  decl: OperationDecl;
  input: TypeKey;
  output?: TypeKey;
  faults: { name: string; message: TypeKey; action?: string }[];
  construct: string;
  file: string;
  /** Set once a binding has chosen the body parts. */
  resolved: boolean;
  documentation?: string;
}

/**
 * Load `wsdlFile` (absolute, or relative to options.projectRoot) and everything it references.
 * Relative schemaLocations resolve against the referencing file, never the working directory.
 */
export function loadContract(wsdlFile: string, options: LoadContractOptions): ContractModel {
  const projectRoot = path.resolve(options.projectRoot);
  const absPath = path.resolve(projectRoot, wsdlFile);
  const catalog = options.catalog !== undefined ? XmlCatalog.load(path.resolve(projectRoot, options.catalog), options.catalog) : undefined;
  const collector = new SchemaCollector(projectRoot, catalog);
  const wsdlDoc = collector.registerDocument(absPath, 'wsdl', 'wsdl');
  return new WsdlReader(readDefinitions(absPath, wsdlDoc, wsdlDoc.path), collector, options.id).read();
}

function readDefinitions(absPath: string, doc: LoadedDocument, from: string, construct = 'WSDL'): Definitions {
  let text: string;
  try {
    text = fs.readFileSync(absPath, 'utf8');
  } catch {
    throw new ContractLoadError(from, construct, `cannot read ${doc.path}`);
  }
  const root = parseXmlTree(text, doc.path);
  if (root.ns !== WSDL_NS || root.local !== 'definitions') {
    const hint = root.local === 'description' ? ' (WSDL 2.0 is not supported)' : '';
    throw new ContractLoadError(doc.path, `<${root.qname}>`, `the root element must be wsdl:definitions${hint}`);
  }
  return { root, doc, tns: root.attrs.get('targetNamespace') ?? '' };
}

class WsdlReader {
  private readonly main: Definitions;
  /** The main WSDL first, then the imported ones in import order. */
  private readonly all: Definitions[] = [];
  private readonly messages = new Map<TypeKey, { parts: MessagePart[]; file: string }>();
  private readonly abstract = new Map<string, AbstractOperation>();
  private schema!: SchemaModel;

  constructor(main: Definitions, private readonly collector: SchemaCollector, private readonly id: string) {
    this.main = main;
    this.collectImports(main, 0, new Set([main.doc.absPath]));
  }

  private collectImports(defs: Definitions, depth: number, seen: Set<string>): void {
    this.all.push(defs);
    for (const imp of childrenOf(defs.root, WSDL_NS, 'import')) {
      const location = imp.attrs.get('location');
      const construct = `wsdl:import location="${location ?? ''}"`;
      if (location === undefined) throw new ContractLoadError(defs.doc.path, construct, 'needs a location');
      if (depth >= MAX_IMPORT_DEPTH) throw new ContractLoadError(defs.doc.path, construct, `imports nest deeper than ${MAX_IMPORT_DEPTH}`);
      const absPath = this.collector.locate(location, defs.doc, construct);
      const isXsd = /\.xsd$/i.test(absPath);
      const doc = this.collector.registerDocument(absPath, isXsd ? 'xsd' : 'wsdl');
      defs.doc.references[location] = doc.name;
      if (seen.has(absPath)) continue; // mutual imports (allowed): each definitions is read once
      seen.add(absPath);
      if (isXsd) throw new ContractLoadError(defs.doc.path, construct, 'imports a schema; import schemas with xs:import in wsdl:types');
      const imported = readDefinitions(absPath, doc, defs.doc.path, construct);
      const expected = imp.attrs.get('namespace');
      if (expected !== undefined && expected !== imported.tns) {
        throw new ContractLoadError(defs.doc.path, construct, `imports namespace "${expected}" but ${doc.path} has targetNamespace "${imported.tns}"`);
      }
      this.collectImports(imported, depth + 1, seen);
    }
  }

  read(): ContractModel {
    for (const defs of this.all) {
      for (const types of childrenOf(defs.root, WSDL_NS, 'types')) {
        for (const schema of types.children) {
          if (schema.ns !== XSD_NS || schema.local !== 'schema') {
            if (schema.ns !== WSDL_NS && schema.attrs.get('wsdl:required') !== 'true') continue;
            throw new ContractLoadError(defs.doc.path, `wsdl:types <${schema.qname}>`, 'only xs:schema is supported in wsdl:types');
          }
          this.collector.addSchema(schema, defs.doc);
        }
      }
    }
    this.collector.finish();
    this.schema = buildSchemaModel(this.collector.collected);
    for (const defs of this.all) this.readMessages(defs);
    const soapBound = this.soapBoundPortTypes();
    const portTypes: PortTypeDecl[] = [];
    for (const defs of this.all) {
      for (const pt of childrenOf(defs.root, WSDL_NS, 'portType')) {
        if (soapBound.has(clark(defs.tns, pt.attrs.get('name') ?? ''))) portTypes.push(this.readPortType(pt, defs));
      }
    }
    const bindings = this.all.flatMap((defs) => this.readBindings(defs, portTypes));
    for (const op of this.abstract.values()) if (!op.resolved) this.resolveBody(op, undefined, undefined);
    for (const pt of portTypes) this.checkSharedInputs(pt, bindings);
    const services = this.all.flatMap((defs) => this.readServices(defs, bindings));
    const model: ContractModel = {
      id: this.id,
      targetNamespace: this.main.tns,
      schema: this.schema,
      portTypes,
      bindings,
      services,
      documents: this.collector.documents.map((d) => ({ name: d.name, path: d.path, kind: d.kind, references: d.references })),
    };
    const doc = wsdlDocumentation(this.main.root);
    if (doc !== undefined) model.documentation = doc;
    return model;
  }

  private qname(node: XNode, attr: string, construct: string, file: string): TypeKey {
    const value = node.attrs.get(attr);
    if (value === undefined) throw new ContractLoadError(file, construct, `has no ${attr} attribute`);
    const { ns, local } = resolveQName(node, value, file);
    return clark(ns, local);
  }

  /** A QName reference to a WSDL component (portType, binding) of any of the definitions. */
  private componentRef(node: XNode, attr: string, construct: string, defs: Definitions, kind: 'portType' | 'binding'): { name: string; key: TypeKey } {
    const key = this.qname(node, attr, construct, defs.doc.path);
    const owner = this.all.find((d) => key.startsWith(`{${d.tns}}`) && childrenOf(d.root, WSDL_NS, kind).some((c) => clark(d.tns, c.attrs.get('name') ?? '') === key));
    if (!owner) throw new ContractLoadError(defs.doc.path, construct, `${kind} ${key} is not defined (unresolved reference)`);
    return { name: key.slice(owner.tns.length + 2), key };
  }

  private readMessages(defs: Definitions): void {
    for (const m of childrenOf(defs.root, WSDL_NS, 'message')) {
      const name = m.attrs.get('name') ?? '';
      const parts: MessagePart[] = childrenOf(m, WSDL_NS, 'part').map((p) => {
        const construct = `wsdl:message "${name}" part "${p.attrs.get('name') ?? ''}"`;
        const part: MessagePart = { name: p.attrs.get('name') ?? '' };
        if (p.attrs.has('element')) {
          part.element = this.qname(p, 'element', construct, defs.doc.path);
          if (!this.schema.elements[part.element]) throw new ContractLoadError(defs.doc.path, construct, `element ${part.element} is not defined (unresolved reference)`);
        } else if (p.attrs.has('type')) {
          part.type = this.qname(p, 'type', construct, defs.doc.path);
        } else {
          throw new ContractLoadError(defs.doc.path, construct, 'needs an element attribute');
        }
        return part;
      });
      this.messages.set(clark(defs.tns, name), { parts, file: defs.doc.path });
    }
  }

  private message(key: TypeKey, construct: string, file: string): MessagePart[] {
    const message = this.messages.get(key);
    if (!message) throw new ContractLoadError(file, construct, `message ${key} is not defined (unresolved reference)`);
    return message.parts;
  }

  /** The body element of a document/literal message: its one element part, or the one `partNames` selects. */
  private bodyElement(key: TypeKey, construct: string, file: string, partNames?: string[]): TypeKey {
    const all = this.message(key, construct, file);
    const parts = partNames === undefined ? all : all.filter((p) => partNames.includes(p.name));
    if (partNames !== undefined && parts.length !== partNames.length) {
      const missing = partNames.find((n) => !all.some((p) => p.name === n));
      throw new ContractLoadError(file, construct, `message ${key} has no part "${missing ?? ''}"`);
    }
    if (parts.length !== 1) {
      const detail = parts.length === 0
        ? 'has no body part; an empty body (a zero-part message) is not supported: give the operation a wrapper element'
        : `has ${parts.length} body parts; document/literal needs exactly one (multiple body parts are not supported; soap:body parts="..." selects one)`;
      throw new ContractLoadError(file, construct, `message ${key} ${detail}`);
    }
    const part = parts[0];
    if (part.element === undefined) {
      throw new ContractLoadError(file, construct, `message ${key} part "${part.name}" uses type= (rpc style); document/literal needs element=`);
    }
    return part.element;
  }

  /** Port types a SOAP binding binds (others, e.g. HTTP GET/POST ones, are not served and not read). */
  private soapBoundPortTypes(): Set<TypeKey> {
    const bound = new Set<TypeKey>();
    for (const defs of this.all) {
      for (const b of childrenOf(defs.root, WSDL_NS, 'binding')) {
        if (!soapBindingOf(b)) continue;
        bound.add(this.componentRef(b, 'type', `wsdl:binding "${b.attrs.get('name') ?? ''}"`, defs, 'portType').key);
      }
    }
    return bound;
  }

  private readPortType(pt: XNode, defs: Definitions): PortTypeDecl {
    const file = defs.doc.path;
    const name = pt.attrs.get('name') ?? '';
    const decl: PortTypeDecl = { name, ns: defs.tns, operations: [] };
    const doc = wsdlDocumentation(pt);
    if (doc !== undefined) decl.documentation = doc;
    for (const op of childrenOf(pt, WSDL_NS, 'operation')) {
      const opName = op.attrs.get('name') ?? '';
      const construct = `wsdl:portType "${name}" operation "${opName}"`;
      if (decl.operations.some((o) => o.name === opName)) throw new ContractLoadError(file, construct, 'is declared twice (overloading is not supported)');
      const input = firstChild(op, WSDL_NS, 'input');
      const output = firstChild(op, WSDL_NS, 'output');
      if (!input) throw new ContractLoadError(file, construct, 'has no input (notification and solicit-response operations are not supported)');
      if (output && op.children.indexOf(output) < op.children.indexOf(input)) {
        throw new ContractLoadError(file, construct, 'solicit-response operations are not supported');
      }
      const operation: OperationDecl = { name: opName, input: '', faults: [] };
      addAddressingFacts(operation, input, output);
      const abstract: AbstractOperation = {
        decl: operation, construct, file, resolved: false,
        input: this.qname(input, 'message', `${construct} input`, file),
        faults: [],
      };
      if (output) abstract.output = this.qname(output, 'message', `${construct} output`, file);
      for (const f of childrenOf(op, WSDL_NS, 'fault')) {
        const faultName = f.attrs.get('name');
        if (!faultName) throw new ContractLoadError(file, `${construct} fault`, 'has no name');
        const fault: AbstractOperation['faults'][number] = { name: faultName, message: this.qname(f, 'message', `${construct} fault "${faultName}"`, file) };
        const faultAction = addressingAction(f);
        if (faultAction !== undefined) fault.action = faultAction;
        abstract.faults.push(fault);
      }
      const opDoc = wsdlDocumentation(op);
      if (opDoc !== undefined) abstract.documentation = opDoc;
      decl.operations.push(operation);
      this.abstract.set(`${clark(defs.tns, name)}#${opName}`, abstract);
    }
    return decl;
  }

  /** Fix the operation's body elements from the first binding's soap:body parts (later bindings must agree). */
  private resolveBody(op: AbstractOperation, inputParts: string[] | undefined, outputParts: string[] | undefined): void {
    const input = this.bodyElement(op.input, `${op.construct} input`, op.file, inputParts);
    const output = op.output !== undefined ? this.bodyElement(op.output, `${op.construct} output`, op.file, outputParts) : undefined;
    if (op.resolved) {
      if (op.decl.input !== input || op.decl.output !== output) {
        throw new ContractLoadError(op.file, op.construct, 'two bindings choose different body parts (soap:body parts)');
      }
      return;
    }
    op.decl.input = input;
    if (output !== undefined) op.decl.output = output;
    for (const f of op.faults) {
      const fault: FaultDecl = { name: f.name, element: this.bodyElement(f.message, `${op.construct} fault "${f.name}"`, op.file) };
      if (f.action !== undefined) fault.action = f.action;
      op.decl.faults.push(fault);
    }
    if (op.documentation !== undefined) op.decl.documentation = op.documentation;
    op.resolved = true;
  }

  private readBindings(defs: Definitions, portTypes: PortTypeDecl[]): BindingDecl[] {
    const file = defs.doc.path;
    const result: BindingDecl[] = [];
    for (const b of childrenOf(defs.root, WSDL_NS, 'binding')) {
      const name = b.attrs.get('name') ?? '';
      const construct = `wsdl:binding "${name}"`;
      const soapBinding = soapBindingOf(b);
      // Non-SOAP bindings (HTTP GET/POST, MIME) are not served; their ports are skipped too.
      if (!soapBinding) continue;
      const version: SoapVersion = soapBinding.ns === WSDL_SOAP11_NS ? '1.1' : '1.2';
      const bindNs = soapBinding.ns;
      const transport = soapBinding.attrs.get('transport');
      if (transport === undefined || !HTTP_TRANSPORTS.has(transport)) {
        throw new ContractLoadError(file, `${construct} transport="${transport ?? ''}"`, `only the HTTP transport (${SOAP_HTTP_TRANSPORT}) is supported`);
      }
      const defaultStyle = soapBinding.attrs.get('style') ?? 'document';
      const ref = this.componentRef(b, 'type', construct, defs, 'portType');
      const portType = portTypes.find((p) => clark(p.ns, p.name) === ref.key) as PortTypeDecl;
      const operations: BindingOperation[] = [];
      for (const op of childrenOf(b, WSDL_NS, 'operation')) {
        const opName = op.attrs.get('name') ?? '';
        const opConstruct = `${construct} operation "${opName}"`;
        const abstract = this.abstract.get(`${ref.key}#${opName}`);
        if (!abstract) throw new ContractLoadError(file, opConstruct, `is not an operation of portType "${portType.name}"`);
        const soapOp = firstChild(op, bindNs, 'operation');
        const style = soapOp?.attrs.get('style') ?? defaultStyle;
        if (style !== 'document') throw new ContractLoadError(file, `${opConstruct} style="${style}"`, 'only document style is supported (rpc style is not)');
        const headers: { input: HeaderDecl[]; output: HeaderDecl[] } = { input: [], output: [] };
        let inputParts: string[] | undefined;
        let outputParts: string[] | undefined;
        for (const child of op.children) {
          if (child.ns === WSDL_NS && (child.local === 'input' || child.local === 'output' || child.local === 'fault')) {
            const parts = this.checkBindingMessage(child, bindNs, `${opConstruct} ${child.local}`, abstract, file,
              child.local === 'fault' ? undefined : headers[child.local]);
            if (child.local === 'input') inputParts = parts;
            else if (child.local === 'output') outputParts = parts;
          } else if (!(child.ns === bindNs && child.local === 'operation') && !(child.ns === WSDL_NS && child.local === 'documentation')) {
            checkIgnorableExtension(child, `${opConstruct} <${child.qname}>`, file, bindNs);
          }
        }
        this.resolveBody(abstract, inputParts, outputParts);
        mergeHeaders(abstract.decl, 'inputHeaders', headers.input);
        mergeHeaders(abstract.decl, 'outputHeaders', headers.output);
        operations.push({ name: opName, soapAction: soapOp?.attrs.get('soapAction') ?? '' });
      }
      for (const declared of portType.operations) {
        if (!operations.some((o) => o.name === declared.name)) {
          throw new ContractLoadError(file, construct, `does not bind operation "${declared.name}" of portType "${portType.name}"`);
        }
      }
      result.push({ name, ns: defs.tns, portType: portType.name, soapVersion: version, operations });
    }
    return result;
  }

  /** Checks one binding input/output/fault; collects its declared headers; returns soap:body's parts, if given. */
  private checkBindingMessage(node: XNode, bindNs: string, construct: string, op: AbstractOperation, file: string, headers: HeaderDecl[] | undefined): string[] | undefined {
    let bodyParts: string[] | undefined;
    for (const ext of node.children) {
      if (ext.ns === WSDL_NS && ext.local === 'documentation') continue;
      const extConstruct = `${construct} <${ext.qname}>`;
      if (ext.ns !== bindNs) {
        if (ext.ns === WSDL_NS) throw new ContractLoadError(file, extConstruct, 'is not supported here');
        checkIgnorableExtension(ext, extConstruct, file, bindNs);
        continue;
      }
      if (ext.local === 'headerfault') continue; // header faults are not sent by this engine; declaring them is harmless
      if (ext.local !== 'body' && ext.local !== 'fault' && ext.local !== 'header') throw new ContractLoadError(file, extConstruct, 'is not supported');
      const use = ext.attrs.get('use') ?? 'literal';
      if (use !== 'literal') throw new ContractLoadError(file, `${extConstruct} use="${use}"`, 'only use="literal" is supported (encoded is not)');
      const encodingStyle = ext.attrs.get('encodingStyle');
      if (encodingStyle !== undefined && encodingStyle.includes(SOAP_ENCODING_NS)) {
        throw new ContractLoadError(file, `${extConstruct} encodingStyle`, 'SOAP encoding is not supported');
      }
      if (ext.local === 'header') {
        if (!headers) throw new ContractLoadError(file, extConstruct, 'a fault cannot declare headers');
        headers.push(this.header(ext, extConstruct, file));
        continue;
      }
      const parts = ext.attrs.get('parts');
      if (parts !== undefined) {
        const names = parts.trim().split(/\s+/).filter((p) => p !== '');
        if (names.length > 1) throw new ContractLoadError(file, `${extConstruct} parts="${parts}"`, 'multiple body parts are not supported');
        bodyParts = names;
      }
      if (ext.local === 'fault') {
        const faultName = ext.attrs.get('name') ?? node.attrs.get('name');
        if (!op.faults.some((f) => f.name === faultName)) {
          throw new ContractLoadError(file, extConstruct, `fault "${faultName ?? ''}" is not declared by the portType operation`);
        }
      }
    }
    return bodyParts;
  }

  /** soap:header message="..." part="...": the part's global element is the header block. */
  private header(ext: XNode, construct: string, file: string): HeaderDecl {
    const messageKey = this.qname(ext, 'message', construct, file);
    const partName = ext.attrs.get('part');
    if (partName === undefined) throw new ContractLoadError(file, construct, 'has no part attribute');
    const part = this.message(messageKey, construct, file).find((p) => p.name === partName);
    if (!part) throw new ContractLoadError(file, construct, `message ${messageKey} has no part "${partName}"`);
    if (part.element === undefined) throw new ContractLoadError(file, construct, `header part "${partName}" uses type=; a header needs element=`);
    return { element: part.element, prop: '' };
  }

  /**
   * Operations of one port type may share an input element only when every SOAP binding gives them
   * distinct, non-empty soapActions (WS-I R2710 allows this); the endpoint then routes by the action.
   */
  private checkSharedInputs(pt: PortTypeDecl, bindings: BindingDecl[]): void {
    const byInput = new Map<TypeKey, OperationDecl[]>();
    for (const op of pt.operations) byInput.set(op.input, [...(byInput.get(op.input) ?? []), op]);
    for (const [input, ops] of byInput) {
      if (ops.length < 2) continue;
      for (const b of bindings.filter((x) => x.portType === pt.name && x.ns === pt.ns)) {
        const actions = ops.map((o) => b.operations.find((bo) => bo.name === o.name)?.soapAction ?? '');
        if (actions.some((a) => a === '') || new Set(actions).size !== actions.length) {
          const abstract = this.abstract.get(`${clark(pt.ns, pt.name)}#${ops[1].name}`) as AbstractOperation;
          throw new ContractLoadError(abstract.file, abstract.construct,
            `has the same input element ${input} as operation "${ops[0].name}" and binding "${b.name}" does not give them distinct soapActions; dispatch would be ambiguous`);
        }
      }
    }
  }

  private readServices(defs: Definitions, bindings: BindingDecl[]): ServiceDecl[] {
    const file = defs.doc.path;
    return childrenOf(defs.root, WSDL_NS, 'service').map((s) => {
      const name = s.attrs.get('name') ?? '';
      const ports: PortDecl[] = [];
      for (const p of childrenOf(s, WSDL_NS, 'port')) {
        const portName = p.attrs.get('name') ?? '';
        const construct = `wsdl:service "${name}" port "${portName}"`;
        const { name: bindingName, key } = this.componentRef(p, 'binding', construct, defs, 'binding');
        const binding = bindings.find((b) => clark(b.ns, b.name) === key);
        if (!binding) continue; // a non-SOAP binding
        const addressNs = binding.soapVersion === '1.1' ? WSDL_SOAP11_NS : WSDL_SOAP12_NS;
        const address = firstChild(p, addressNs, 'address');
        if (!address) throw new ContractLoadError(file, construct, `needs a ${binding.soapVersion === '1.1' ? 'soap' : 'soap12'}:address matching its binding`);
        const location = address.attrs.get('location');
        if (location === undefined) throw new ContractLoadError(file, `${construct} address`, 'has no location');
        ports.push({ name: portName, binding: bindingName, address: location });
      }
      const service: ServiceDecl = { name, ports };
      const doc = wsdlDocumentation(s);
      if (doc !== undefined) service.documentation = doc;
      return service;
    });
  }
}

function soapBindingOf(b: XNode): XNode | undefined {
  return firstChild(b, WSDL_SOAP11_NS, 'binding') ?? firstChild(b, WSDL_SOAP12_NS, 'binding');
}

/**
 * WSDL 1.1 extensibility: an element of another vocabulary (WS-Policy, addressing metadata...) that is
 * not marked wsdl:required="true" may be ignored; a required one, or another binding vocabulary's, may not.
 */
function checkIgnorableExtension(ext: XNode, construct: string, file: string, bindNs: string): void {
  const required = [...ext.attrs].some(([name, value]) => /(^|:)required$/.test(name) && name !== 'required' && value === 'true');
  if (ext.ns === WSDL_NS || ext.ns === bindNs || ext.ns === WSDL_SOAP11_NS || ext.ns === WSDL_SOAP12_NS
    || ext.ns === 'http://schemas.xmlsoap.org/wsdl/mime/' || required) {
    throw new ContractLoadError(file, construct, 'is not supported in a binding operation (MIME and required extensions are not)');
  }
}

/** Headers declared by several bindings of one operation are merged by element; each gets its property name. */
function mergeHeaders(op: OperationDecl, key: 'inputHeaders' | 'outputHeaders', headers: HeaderDecl[]): void {
  if (headers.length === 0) return;
  const list = op[key] ?? [];
  for (const h of headers) {
    if (list.some((x) => x.element === h.element)) continue;
    const wanted = propName(h.element.slice(h.element.indexOf('}') + 1));
    let prop = wanted;
    for (let i = 2; list.some((x) => x.prop === prop); i++) prop = `${wanted}${i}`;
    list.push({ element: h.element, prop });
  }
  op[key] = list;
}

function wsdlDocumentation(node: XNode): string | undefined {
  const doc = firstChild(node, WSDL_NS, 'documentation');
  const text = doc?.text.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

/** WS-Addressing Metadata 1.0 and the 2006/05 WSDL binding (wsaw), whose Action attribute WCF still writes. */
const WSAM_NS = 'http://www.w3.org/2007/05/addressing/metadata';
const WSAW_NS = 'http://www.w3.org/2006/05/addressing/wsdl';

/** The explicit wsam:Action (or wsaw:Action) attribute of a portType input, output or fault. */
function addressingAction(node: XNode): string | undefined {
  for (const [name, value] of node.attrs) {
    const colon = name.indexOf(':');
    if (colon < 0 || name.slice(colon + 1) !== 'Action') continue;
    const ns = node.scope.get(name.slice(0, colon));
    if (ns === WSAM_NS || ns === WSAW_NS) return value.trim();
  }
  return undefined;
}

/** Only what is written goes into the model, so contracts without these facts generate unchanged code. */
function addAddressingFacts(operation: OperationDecl, input: XNode, output: XNode | undefined): void {
  const inputName = input.attrs.get('name');
  if (inputName !== undefined) operation.inputName = inputName;
  const inputAction = addressingAction(input);
  if (inputAction !== undefined) operation.inputAction = inputAction;
  if (output === undefined) return;
  const outputName = output.attrs.get('name');
  if (outputName !== undefined) operation.outputName = outputName;
  const outputAction = addressingAction(output);
  if (outputAction !== undefined) operation.outputAction = outputAction;
}
