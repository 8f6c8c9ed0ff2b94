/**
 * Contract loader: a WSDL 1.1 file (document/literal, WS-I Basic Profile style) and every XSD it reaches
 * -> the JSON-serialisable ContractModel. Used by codegen (and tests); the runtime reads the generated
 * model and never parses WSDL.
 *
 * Unsupported constructs (rpc style, encoded use, SOAP encoding, several body parts, soap:header
 * declarations, wsdl:import, substitution groups, xs:redefine, unions, ...) throw a ContractLoadError
 * naming the file and the construct.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  clark, type BindingDecl, type BindingOperation, type ContractModel, type FaultDecl, type OperationDecl,
  type PortDecl, type PortTypeDecl, type SchemaModel, type ServiceDecl, type SoapVersion, type TypeKey, XSD_NS,
} from '../schema/model';
import { ContractLoadError } from './errors';
import { SchemaCollector, SOAP_ENCODING_NS, type LoadedDocument } from './schema';
import { childrenOf, firstChild, parseXmlTree, resolveQName, type XNode } from './xml-tree';

export { ContractLoadError } from './errors';

export const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
export const WSDL_SOAP11_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
export const WSDL_SOAP12_NS = 'http://schemas.xmlsoap.org/wsdl/soap12/';
export const SOAP_HTTP_TRANSPORT = 'http://schemas.xmlsoap.org/soap/http';

export interface LoadContractOptions {
  /** Contract identifier, e.g. "v1" or "echo". */
  id: string;
  /** Document paths in the model are relative to this folder. */
  projectRoot: string;
}

interface MessagePart {
  name: string;
  element?: TypeKey;
  type?: TypeKey;
}

/**
 * Load `wsdlFile` (absolute, or relative to options.projectRoot) and everything it references.
 * Relative schemaLocations resolve against the referencing file, never the working directory.
 */
export function loadContract(wsdlFile: string, options: LoadContractOptions): ContractModel {
  const projectRoot = path.resolve(options.projectRoot);
  const absPath = path.resolve(projectRoot, wsdlFile);
  const collector = new SchemaCollector(projectRoot);
  const wsdlDoc = collector.registerDocument(absPath, 'wsdl', 'wsdl');
  let text: string;
  try {
    text = fs.readFileSync(absPath, 'utf8');
  } catch {
    throw new ContractLoadError(wsdlDoc.path, 'WSDL', 'cannot read the file');
  }
  const root = parseXmlTree(text, wsdlDoc.path);
  return new WsdlReader(root, wsdlDoc, collector, options.id).read();
}

class WsdlReader {
  private readonly file: string;
  private readonly tns: string;
  private readonly messages = new Map<TypeKey, MessagePart[]>();

  constructor(
    private readonly root: XNode,
    private readonly doc: LoadedDocument,
    private readonly collector: SchemaCollector,
    private readonly id: string,
  ) {
    this.file = doc.path;
    if (root.ns !== WSDL_NS || root.local !== 'definitions') {
      const hint = root.local === 'description' ? ' (WSDL 2.0 is not supported)' : '';
      throw new ContractLoadError(this.file, `<${root.qname}>`, `the root element must be wsdl:definitions${hint}`);
    }
    this.tns = root.attrs.get('targetNamespace') ?? '';
  }

  read(): ContractModel {
    for (const child of this.root.children) {
      if (child.ns !== WSDL_NS) continue;
      if (child.local === 'import') {
        throw new ContractLoadError(this.file, `wsdl:import location="${child.attrs.get('location') ?? ''}"`, 'is not supported; import schemas from wsdl:types instead');
      }
    }
    for (const types of childrenOf(this.root, WSDL_NS, 'types')) {
      for (const schema of types.children) {
        if (schema.ns !== XSD_NS || schema.local !== 'schema') {
          throw new ContractLoadError(this.file, `wsdl:types <${schema.qname}>`, 'only xs:schema is supported in wsdl:types');
        }
        this.collector.addSchema(schema, this.doc);
      }
    }
    const schema = this.collector.compile();
    this.readMessages(schema);
    const portTypes = childrenOf(this.root, WSDL_NS, 'portType').map((pt) => this.readPortType(pt));
    const bindings = this.readBindings(portTypes);
    const services = this.readServices(bindings);
    const model: ContractModel = {
      id: this.id,
      targetNamespace: this.tns,
      schema,
      portTypes,
      bindings,
      services,
      documents: this.collector.documents.map((d) => ({ name: d.name, path: d.path, kind: d.kind, references: d.references })),
    };
    const doc = wsdlDocumentation(this.root);
    if (doc !== undefined) model.documentation = doc;
    return model;
  }

  private qname(node: XNode, attr: string, construct: string): TypeKey {
    const value = node.attrs.get(attr);
    if (value === undefined) throw new ContractLoadError(this.file, construct, `has no ${attr} attribute`);
    const { ns, local } = resolveQName(node, value, this.file);
    return clark(ns, local);
  }

  private localRef(node: XNode, attr: string, construct: string, what: string): string {
    const key = this.qname(node, attr, construct);
    const expected = `{${this.tns}}`;
    if (!key.startsWith(expected)) {
      throw new ContractLoadError(this.file, construct, `refers to ${what} ${key} outside the WSDL's targetNamespace (unresolved reference)`);
    }
    return key.slice(expected.length);
  }

  private readMessages(schema: SchemaModel): void {
    for (const m of childrenOf(this.root, WSDL_NS, 'message')) {
      const name = m.attrs.get('name') ?? '';
      const parts: MessagePart[] = childrenOf(m, WSDL_NS, 'part').map((p) => {
        const construct = `wsdl:message "${name}" part "${p.attrs.get('name') ?? ''}"`;
        const part: MessagePart = { name: p.attrs.get('name') ?? '' };
        if (p.attrs.has('element')) {
          part.element = this.qname(p, 'element', construct);
          if (!schema.elements[part.element]) throw new ContractLoadError(this.file, construct, `element ${part.element} is not defined (unresolved reference)`);
        } else if (p.attrs.has('type')) {
          part.type = this.qname(p, 'type', construct);
        } else {
          throw new ContractLoadError(this.file, construct, 'needs an element attribute');
        }
        return part;
      });
      this.messages.set(clark(this.tns, name), parts);
    }
  }

  /** The one element part of a document/literal message. */
  private bodyElement(node: XNode, construct: string): TypeKey {
    const key = this.qname(node, 'message', construct);
    const parts = this.messages.get(key);
    if (!parts) throw new ContractLoadError(this.file, construct, `message ${key} is not defined (unresolved reference)`);
    if (parts.length !== 1) {
      throw new ContractLoadError(this.file, construct, `message ${key} has ${parts.length} parts; document/literal needs exactly one body part (multiple body parts are not supported)`);
    }
    const part = parts[0];
    if (part.element === undefined) {
      throw new ContractLoadError(this.file, construct, `message ${key} part "${part.name}" uses type= (rpc style); document/literal needs element=`);
    }
    return part.element;
  }

  private readPortType(pt: XNode): PortTypeDecl {
    const name = pt.attrs.get('name') ?? '';
    const decl: PortTypeDecl = { name, ns: this.tns, operations: [] };
    const doc = wsdlDocumentation(pt);
    if (doc !== undefined) decl.documentation = doc;
    const inputs = new Map<TypeKey, string>();
    for (const op of childrenOf(pt, WSDL_NS, 'operation')) {
      const opName = op.attrs.get('name') ?? '';
      const construct = `wsdl:portType "${name}" operation "${opName}"`;
      if (decl.operations.some((o) => o.name === opName)) throw new ContractLoadError(this.file, construct, 'is declared twice (overloading is not supported)');
      const input = firstChild(op, WSDL_NS, 'input');
      const output = firstChild(op, WSDL_NS, 'output');
      if (!input) throw new ContractLoadError(this.file, construct, 'has no input (notification and solicit-response operations are not supported)');
      if (output && op.children.indexOf(output) < op.children.indexOf(input)) {
        throw new ContractLoadError(this.file, construct, 'solicit-response operations are not supported');
      }
      const operation: OperationDecl = { name: opName, input: this.bodyElement(input, `${construct} input`), faults: [] };
      const other = inputs.get(operation.input);
      if (other !== undefined) {
        throw new ContractLoadError(this.file, construct, `has the same input element ${operation.input} as operation "${other}"; dispatch by body element would be ambiguous`);
      }
      inputs.set(operation.input, opName);
      if (output) operation.output = this.bodyElement(output, `${construct} output`);
      addAddressingFacts(operation, input, output);
      for (const f of childrenOf(op, WSDL_NS, 'fault')) {
        const faultName = f.attrs.get('name');
        if (!faultName) throw new ContractLoadError(this.file, `${construct} fault`, 'has no name');
        const fault: FaultDecl = { name: faultName, element: this.bodyElement(f, `${construct} fault "${faultName}"`) };
        const faultAction = addressingAction(f);
        if (faultAction !== undefined) fault.action = faultAction;
        operation.faults.push(fault);
      }
      const opDoc = wsdlDocumentation(op);
      if (opDoc !== undefined) operation.documentation = opDoc;
      decl.operations.push(operation);
    }
    return decl;
  }

  private readBindings(portTypes: PortTypeDecl[]): BindingDecl[] {
    const result: BindingDecl[] = [];
    for (const b of childrenOf(this.root, WSDL_NS, 'binding')) {
      const name = b.attrs.get('name') ?? '';
      const construct = `wsdl:binding "${name}"`;
      const soapBinding = firstChild(b, WSDL_SOAP11_NS, 'binding') ?? firstChild(b, WSDL_SOAP12_NS, 'binding');
      // Non-SOAP bindings (HTTP GET/POST, MIME) are not served; their ports are skipped too.
      if (!soapBinding) continue;
      const version: SoapVersion = soapBinding.ns === WSDL_SOAP11_NS ? '1.1' : '1.2';
      const bindNs = soapBinding.ns;
      const transport = soapBinding.attrs.get('transport');
      if (transport !== SOAP_HTTP_TRANSPORT) {
        throw new ContractLoadError(this.file, `${construct} transport="${transport ?? ''}"`, `only ${SOAP_HTTP_TRANSPORT} is supported`);
      }
      const defaultStyle = soapBinding.attrs.get('style') ?? 'document';
      const portTypeName = this.localRef(b, 'type', construct, 'portType');
      const portType = portTypes.find((p) => p.name === portTypeName);
      if (!portType) throw new ContractLoadError(this.file, construct, `portType "${portTypeName}" is not defined (unresolved reference)`);
      const operations: BindingOperation[] = [];
      for (const op of childrenOf(b, WSDL_NS, 'operation')) {
        const opName = op.attrs.get('name') ?? '';
        const opConstruct = `${construct} operation "${opName}"`;
        const declared = portType.operations.find((o) => o.name === opName);
        if (!declared) throw new ContractLoadError(this.file, opConstruct, `is not an operation of portType "${portTypeName}"`);
        const soapOp = firstChild(op, bindNs, 'operation');
        const style = soapOp?.attrs.get('style') ?? defaultStyle;
        if (style !== 'document') throw new ContractLoadError(this.file, `${opConstruct} style="${style}"`, 'only document style is supported (rpc style is not)');
        for (const child of op.children) {
          if (child.ns === WSDL_NS && (child.local === 'input' || child.local === 'output' || child.local === 'fault')) {
            this.checkBindingMessage(child, bindNs, `${opConstruct} ${child.local}`, declared);
          } else if (!(child.ns === bindNs && child.local === 'operation') && !(child.ns === WSDL_NS && child.local === 'documentation')) {
            throw new ContractLoadError(this.file, `${opConstruct} <${child.qname}>`, 'is not supported in a binding operation');
          }
        }
        operations.push({ name: opName, soapAction: soapOp?.attrs.get('soapAction') ?? '' });
      }
      for (const declared of portType.operations) {
        if (!operations.some((o) => o.name === declared.name)) {
          throw new ContractLoadError(this.file, construct, `does not bind operation "${declared.name}" of portType "${portTypeName}"`);
        }
      }
      result.push({ name, ns: this.tns, portType: portTypeName, soapVersion: version, operations });
    }
    return result;
  }

  private checkBindingMessage(node: XNode, bindNs: string, construct: string, declared: OperationDecl): void {
    for (const ext of node.children) {
      if (ext.ns === WSDL_NS && ext.local === 'documentation') continue;
      const extConstruct = `${construct} <${ext.qname}>`;
      if (ext.ns !== bindNs) throw new ContractLoadError(this.file, extConstruct, 'is not supported (MIME and other extensions are not)');
      if (ext.local === 'header' || ext.local === 'headerfault') {
        throw new ContractLoadError(this.file, extConstruct, 'declared SOAP headers are not supported; headers are handled by interceptors');
      }
      if (ext.local !== 'body' && ext.local !== 'fault') throw new ContractLoadError(this.file, extConstruct, 'is not supported');
      const use = ext.attrs.get('use') ?? 'literal';
      if (use !== 'literal') throw new ContractLoadError(this.file, `${extConstruct} use="${use}"`, 'only use="literal" is supported (encoded is not)');
      const encodingStyle = ext.attrs.get('encodingStyle');
      if (encodingStyle !== undefined && encodingStyle.includes(SOAP_ENCODING_NS)) {
        throw new ContractLoadError(this.file, `${extConstruct} encodingStyle`, 'SOAP encoding is not supported');
      }
      const parts = ext.attrs.get('parts');
      if (parts !== undefined && parts.trim().split(/\s+/).length > 1) {
        throw new ContractLoadError(this.file, `${extConstruct} parts="${parts}"`, 'multiple body parts are not supported');
      }
      if (ext.local === 'fault') {
        const faultName = ext.attrs.get('name') ?? node.attrs.get('name');
        if (!declared.faults.some((f) => f.name === faultName)) {
          throw new ContractLoadError(this.file, extConstruct, `fault "${faultName ?? ''}" is not declared by the portType operation`);
        }
      }
    }
  }

  private readServices(bindings: BindingDecl[]): ServiceDecl[] {
    return childrenOf(this.root, WSDL_NS, 'service').map((s) => {
      const name = s.attrs.get('name') ?? '';
      const ports: PortDecl[] = [];
      for (const p of childrenOf(s, WSDL_NS, 'port')) {
        const portName = p.attrs.get('name') ?? '';
        const construct = `wsdl:service "${name}" port "${portName}"`;
        const bindingName = this.localRef(p, 'binding', construct, 'binding');
        const binding = bindings.find((b) => b.name === bindingName);
        if (!binding) {
          const exists = childrenOf(this.root, WSDL_NS, 'binding').some((b) => b.attrs.get('name') === bindingName);
          if (exists) continue; // a non-SOAP binding
          throw new ContractLoadError(this.file, construct, `binding "${bindingName}" is not defined (unresolved reference)`);
        }
        const addressNs = binding.soapVersion === '1.1' ? WSDL_SOAP11_NS : WSDL_SOAP12_NS;
        const address = firstChild(p, addressNs, 'address');
        if (!address) throw new ContractLoadError(this.file, construct, `needs a ${binding.soapVersion === '1.1' ? 'soap' : 'soap12'}:address matching its binding`);
        const location = address.attrs.get('location');
        if (location === undefined) throw new ContractLoadError(this.file, `${construct} address`, 'has no location');
        ports.push({ name: portName, binding: bindingName, address: location });
      }
      const service: ServiceDecl = { name, ports };
      const doc = wsdlDocumentation(s);
      if (doc !== undefined) service.documentation = doc;
      return service;
    });
  }
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
