/**
 * Which wsa:Action values name which operation, computed once per served service.
 *
 * An explicit wsam:Action (or wsaw:Action) in the WSDL is the only action of that message. Without one,
 * the WS-Addressing default action pattern applies ([target namespace][delimiter][port type][delimiter]
 * [input|output name], WS-Addressing Metadata 1.0 section 4.4.4; the 2004/08 submission always uses '/'),
 * and the binding's soapAction is accepted as well: the WS-Addressing SOAP binding makes SOAPAction and
 * wsa:Action carry the same IRI, and JAX-WS, CXF, WCF and zeep send the soapAction as wsa:Action when the
 * WSDL declares no wsam:Action.
 *
 * This table is separate from routing (src/soap/routing.ts), so that routing by wsa:Action for operations
 * sharing a body element can use it later.
 */
import type { ContractModel, OperationDecl, PortTypeDecl } from '../schema/model';
import { clark } from '../schema/model';
import type { AddressingVersion } from './versions';
import { ADDRESSING_VERSIONS } from './versions';

export interface OperationActions {
  /** Every wsa:Action accepted for the request. */
  readonly input: ReadonlySet<string>;
  /** The wsa:Action of a reply; undefined for one-way operations. */
  readonly output: string | undefined;
  /** Declared fault detail element (Clark name) -> the fault's wsa:Action. */
  readonly faults: ReadonlyMap<string, string>;
}

function sameName(ref: string, name: string, ns: string): boolean {
  return ref === name || ref === clark(ns, name);
}

/** [target namespace][delimiter][port type][delimiter]...: no doubled delimiter after a namespace ending in one. */
function defaultAction(version: AddressingVersion, portType: PortTypeDecl, ...names: string[]): string {
  const delimiter = version.delimiter(portType.ns);
  const base = portType.ns.endsWith(delimiter) ? portType.ns : portType.ns + delimiter;
  return base + [portType.name, ...names].join(delimiter);
}

function operationActions(
  version: AddressingVersion,
  portType: PortTypeDecl,
  op: OperationDecl,
  soapActions: readonly string[],
): OperationActions {
  let input: Set<string>;
  if (op.inputAction !== undefined) {
    input = new Set([op.inputAction]);
  } else {
    // WSDL 1.1 section 2.4.5 default message names: one-way <op>, request-response <op>Request / <op>Response.
    const inputName = op.inputName ?? (op.output === undefined ? op.name : `${op.name}Request`);
    input = new Set([defaultAction(version, portType, inputName), ...soapActions.filter((a) => a !== '')]);
  }
  const output =
    op.output === undefined
      ? undefined
      : (op.outputAction ?? defaultAction(version, portType, op.outputName ?? `${op.name}Response`));
  const faults = new Map<string, string>();
  for (const fault of op.faults) {
    if (!faults.has(fault.element))
      faults.set(fault.element, fault.action ?? defaultAction(version, portType, op.name, 'Fault', fault.name));
  }
  return { input, output, faults };
}

export class ActionTable {
  private readonly byVersion = new Map<AddressingVersion, Map<string, OperationActions>>();

  /** Throws at start-up when the service is unknown (the endpoint reports the same problem in more detail). */
  constructor(contract: ContractModel, serviceName: string) {
    const service = contract.services.find((s) => s.name === serviceName);
    if (service === undefined) throw new Error(`contract '${contract.id}' has no service '${serviceName}'`);
    const bindings = service.ports
      .map((port) => contract.bindings.find((b) => sameName(port.binding, b.name, b.ns)))
      .filter((b) => b !== undefined);
    for (const version of ADDRESSING_VERSIONS) {
      const table = new Map<string, OperationActions>();
      for (const binding of bindings) {
        const portType = contract.portTypes.find((p) => sameName(binding.portType, p.name, p.ns));
        if (portType === undefined) continue;
        for (const op of portType.operations) {
          if (table.has(op.name)) continue;
          const soapActions = bindings.flatMap((b) =>
            b.operations.filter((o) => o.name === op.name).map((o) => o.soapAction),
          );
          table.set(op.name, operationActions(version, portType, op, soapActions));
        }
      }
      this.byVersion.set(version, table);
    }
  }

  /** The actions of an operation of the served port type; undefined for an unknown name. */
  of(version: AddressingVersion, operation: string): OperationActions | undefined {
    return this.byVersion.get(version)?.get(operation);
  }
}
