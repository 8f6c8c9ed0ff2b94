/**
 * Routing: the Body's payload element (namespace URI + local name) picks the operation; the SOAPAction
 * (SOAP 1.1) or `action` parameter (SOAP 1.2) must not name a different one. All tables are built once
 * when the endpoint is created.
 */
import { SoapFault } from './fault';
import type { BindingDecl, ContractModel, OperationDecl, PortTypeDecl, SoapVersion } from './schema/model';
import { clark, splitClark } from './schema/model';
import type { OperationRef, SoapContext } from './pipeline';
import type { XmlElement } from './xml/element';

export type BoundHandler = (request: unknown, context: SoapContext) => Promise<unknown>;

/** A declared soap:header: its global element and the property it has in the typed headers object. */
export interface RoutedHeader {
  readonly element: string;
  readonly prop: string;
}

export interface RoutedOperation extends OperationRef {
  readonly decl: OperationDecl;
  /** Declared request headers (they count as understood for mustUnderstand), by Clark name. */
  readonly inputHeaders: ReadonlyMap<string, RoutedHeader>;
  readonly outputHeaders: readonly RoutedHeader[];
  /**
   * Operations sharing this one's input element (WS-I allows it when their actions differ), by soapAction;
   * undefined when the input element is this operation's alone.
   */
  sharedByAction: Map<string, RoutedOperation> | undefined;
  /** Name of the handler method, e.g. `echoPrimitives`. */
  readonly methodName: string;
  readonly invoke: BoundHandler;
  /** Clark names of the declared fault detail elements. */
  readonly faultElements: ReadonlySet<string>;
}

interface VersionTable {
  /** namespace URI -> local name -> operation. */
  readonly byPayload: Map<string, Map<string, RoutedOperation>>;
  readonly byAction: Map<string, RoutedOperation>;
}

function sameName(ref: string, name: string, ns: string): boolean {
  // The loader writes Clark names; a bare local name is accepted for hand-written models.
  return ref === name || ref === clark(ns, name);
}

function findBinding(contract: ContractModel, ref: string): BindingDecl {
  const binding = contract.bindings.find((b) => sameName(ref, b.name, b.ns));
  if (binding === undefined) throw new Error(`contract '${contract.id}': binding '${ref}' not found`);
  return binding;
}

function findPortType(contract: ContractModel, ref: string): PortTypeDecl {
  const portType = contract.portTypes.find((p) => sameName(ref, p.name, p.ns));
  if (portType === undefined) throw new Error(`contract '${contract.id}': port type '${ref}' not found`);
  return portType;
}

export interface OperationRouterInit {
  readonly contract: ContractModel;
  readonly service: string;
  readonly handlers: object;
  /** Handler method name for an operation name (codegen's `operationMethodName`). */
  readonly methodName: (operationName: string) => string;
}

export class OperationRouter {
  readonly versions: ReadonlySet<SoapVersion>;
  readonly portType: PortTypeDecl;
  private readonly tables = new Map<SoapVersion, VersionTable>();

  constructor({ contract, service: serviceName, handlers, methodName }: OperationRouterInit) {
    const service = contract.services.find((s) => s.name === serviceName);
    if (service === undefined) {
      throw new Error(
        `contract '${contract.id}' has no service '${serviceName}' (has: ${contract.services.map((s) => s.name).join(', ')})`,
      );
    }
    let portType: PortTypeDecl | undefined;
    for (const port of service.ports) {
      const binding = findBinding(contract, port.binding);
      const boundType = findPortType(contract, binding.portType);
      if (portType !== undefined && portType !== boundType) {
        throw new Error(
          `service '${serviceName}': ports bind different port types ('${portType.name}', '${boundType.name}'); serve each with its own endpoint`,
        );
      }
      portType = boundType;
      // Two ports of the same SOAP version on one URL would be indistinguishable; the first one wins.
      if (this.tables.has(binding.soapVersion)) continue;
      this.tables.set(binding.soapVersion, this.buildTable(contract, binding, boundType, handlers, methodName));
    }
    if (portType === undefined) throw new Error(`service '${serviceName}' has no SOAP ports`);
    this.portType = portType;
    this.versions = new Set(this.tables.keys());
  }

  private buildTable(
    contract: ContractModel,
    binding: BindingDecl,
    portType: PortTypeDecl,
    handlers: object,
    methodName: (operationName: string) => string,
  ): VersionTable {
    const byPayload = new Map<string, Map<string, RoutedOperation>>();
    const byAction = new Map<string, RoutedOperation>();
    for (const decl of portType.operations) {
      const name = methodName(decl.name);
      const method: unknown = (handlers as Record<string, unknown>)[name];
      if (typeof method !== 'function') {
        throw new Error(`handlers for port type '${portType.name}' lack method '${name}' (operation ${decl.name})`);
      }
      if (contract.schema.elements[decl.input] === undefined) {
        throw new Error(`operation ${decl.name}: input element ${decl.input} is not declared in the schema`);
      }
      const soapAction = binding.operations.find((o) => o.name === decl.name)?.soapAction ?? '';
      const fn = method as (this: object, request: unknown, context: SoapContext) => Promise<unknown>;
      const routed: RoutedOperation = {
        name: decl.name,
        input: decl.input,
        output: decl.output,
        soapAction,
        decl,
        methodName: name,
        invoke: (request, context) => fn.call(handlers, request, context),
        faultElements: new Set(decl.faults.map((f) => f.element)),
        inputHeaders: new Map((decl.inputHeaders ?? []).map((h) => [h.element, { element: h.element, prop: h.prop }])),
        outputHeaders: (decl.outputHeaders ?? []).map((h) => ({ element: h.element, prop: h.prop })),
        sharedByAction: undefined,
      };
      const { ns, local } = splitClark(decl.input);
      let locals = byPayload.get(ns);
      if (locals === undefined) byPayload.set(ns, (locals = new Map()));
      const clash = locals.get(local);
      if (clash !== undefined) {
        // Operations sharing a body element are told apart by their soapActions, which must then differ.
        const shared = clash.sharedByAction ?? new Map([[clash.soapAction, clash]]);
        if (clash.soapAction === '' || soapAction === '' || shared.has(soapAction)) {
          throw new Error(
            `operations ${clash.name} and ${decl.name} take the same body element ${decl.input} without distinct soapActions; routing would be ambiguous`,
          );
        }
        shared.set(soapAction, routed);
        for (const op of shared.values()) op.sharedByAction = shared;
        if (!byAction.has(soapAction)) byAction.set(soapAction, routed);
        continue;
      }
      locals.set(local, routed);
      if (soapAction !== '' && !byAction.has(soapAction)) byAction.set(soapAction, routed);
    }
    return { byPayload, byAction };
  }

  supports(version: SoapVersion): boolean {
    return this.tables.has(version);
  }

  /** Every operation of the port type by its wsdl:operation name (for bindings that name the operation, e.g. in the URL). */
  get byName(): ReadonlyMap<string, RoutedOperation> {
    if (this.named === undefined) {
      this.named = new Map();
      for (const table of this.tables.values()) {
        for (const locals of table.byPayload.values())
          for (const op of locals.values()) if (!this.named.has(op.name)) this.named.set(op.name, op);
      }
    }
    return this.named;
  }
  private named: Map<string, RoutedOperation> | undefined;

  /**
   * The operation for a payload element. Throws a Sender fault for an unknown element and for an action
   * naming a different operation. When the binding gives an operation no soapAction, an action that names
   * no operation at all is tolerated (clients then often send the operation name or a URL).
   */
  route(version: SoapVersion, payload: XmlElement, action: string | undefined): RoutedOperation {
    const table = this.tables.get(version);
    if (table === undefined) throw SoapFault.sender(`This endpoint does not accept SOAP ${version}`);
    let operation = table.byPayload.get(payload.ns)?.get(payload.local);
    if (operation === undefined) {
      throw SoapFault.sender(`No operation accepts the body element {${payload.ns}}${payload.local}`);
    }
    const shared = operation.sharedByAction;
    if (shared !== undefined) {
      operation = action === undefined ? undefined : shared.get(action);
      if (operation === undefined) {
        throw SoapFault.sender(
          `Operations ${[...shared.values()].map((o) => o.name).join(', ')} take the body element {${payload.ns}}${payload.local}; ` +
            `the ${version === '1.1' ? 'SOAPAction' : 'action'} must name one (${[...shared.keys()].join(', ')})`,
        );
      }
      return operation;
    }
    if (action !== undefined && action !== operation.soapAction) {
      const named = table.byAction.get(action);
      if (operation.soapAction !== '' || named !== undefined) {
        const what = named === undefined ? 'no operation of this endpoint' : `operation ${named.name}`;
        throw SoapFault.sender(
          `${version === '1.1' ? 'SOAPAction' : 'action'} '${action}' names ${what}, but the body element {${payload.ns}}${payload.local} is the input of operation ${operation.name}`,
        );
      }
    }
    return operation;
  }
}
