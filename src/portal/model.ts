/**
 * What the portal shows, derived from the mounted endpoints' contracts: per endpoint its service, its
 * documentation, its documents (?wsdl, ?xsd=) and its operations with their sample requests.
 */
import { splitClark, type ContractModel } from '../soap';
import { sampleElement } from './sample';
import { schemaRows, type SchemaRow } from './schema-doc';

export interface PortalEndpointSource {
  readonly path: string;
  readonly version: string;
  readonly contract: ContractModel;
  readonly service: string;
  /** Path of the OpenAPI document of the endpoint's JSON binding, when it has one. */
  readonly openApi?: string;
}

export interface PortalOperation {
  name: string;
  documentation: string;
  input: string;
  output?: string;
  faults: string[];
  soapAction: string;
  sample: string;
  /** The response body element with every required field (one-way operations: none). */
  sampleResponse?: string;
  /** Per declared fault: its name, detail element and a sample detail. */
  sampleFaults: Array<{ name: string; element: string; detail: string }>;
  requestFields: SchemaRow[];
  responseFields: SchemaRow[];
}

export interface PortalEndpoint {
  path: string;
  version: string;
  namespace: string;
  service: string;
  portType: string;
  documentation: string;
  portTypeDocumentation: string;
  documents: Array<{ name: string; href: string; kind: 'wsdl' | 'xsd' | 'openapi' }>;
  operations: PortalOperation[];
}

export function describeEndpoint(source: PortalEndpointSource): PortalEndpoint {
  const { contract } = source;
  const service = contract.services.find((s) => s.name === source.service);
  if (service === undefined) throw new Error(`Contract ${contract.id} has no service ${source.service}`);
  const bindings = service.ports
    .map((port) => contract.bindings.find((b) => b.name === port.binding))
    .filter((b) => b !== undefined);
  const portTypeName = bindings[0]?.portType;
  const portType = contract.portTypes.find((p) => p.name === portTypeName);
  if (portType === undefined) throw new Error(`Service ${source.service} of ${contract.id} has no port type`);
  const soapActionOf = (operation: string): string =>
    bindings.flatMap((b) => b.operations).find((o) => o.name === operation)?.soapAction ?? '';
  return {
    path: source.path,
    version: source.version,
    namespace: contract.targetNamespace,
    service: service.name,
    portType: portType.name,
    documentation: service.documentation ?? contract.documentation ?? '',
    portTypeDocumentation: portType.documentation ?? '',
    documents: [
      ...contract.documents.map((doc) => ({
        name: doc.kind === 'wsdl' ? 'WSDL' : `${doc.name}.xsd`,
        href: doc.kind === 'wsdl' ? `${source.path}?wsdl` : `${source.path}?xsd=${encodeURIComponent(doc.name)}`,
        kind: doc.kind,
      })),
      ...(source.openApi === undefined
        ? []
        : [{ name: 'OpenAPI (JSON binding)', href: source.openApi, kind: 'openapi' as const }]),
    ],
    operations: portType.operations.map((operation) => ({
      name: operation.name,
      documentation: operation.documentation ?? '',
      input: splitClark(operation.input).local,
      ...(operation.output !== undefined ? { output: splitClark(operation.output).local } : {}),
      faults: operation.faults.map((fault) => fault.name),
      soapAction: soapActionOf(operation.name),
      sample: sampleElement(contract, operation.input),
      ...(operation.output !== undefined
        ? { sampleResponse: sampleElement(contract, operation.output, { prefix: 'tns' }) }
        : {}),
      sampleFaults: operation.faults.map((fault) => ({
        name: fault.name,
        element: splitClark(fault.element).local,
        detail: sampleElement(contract, fault.element, { prefix: 'tns' }),
      })),
      requestFields: schemaRows(contract, operation.input),
      responseFields: operation.output === undefined ? [] : schemaRows(contract, operation.output),
    })),
  };
}
