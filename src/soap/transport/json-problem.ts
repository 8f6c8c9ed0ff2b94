/**
 * Faults as RFC 9457 problem details (application/problem+json), for the JSON binding.
 *
 * One table, built at start-up per contract: a declared fault (wsdl:fault) has its own type URI, a title
 * from its name and the HTTP status the application gives it; its detail element's fields (in their JSON
 * form) are extension members of the problem. Faults the engine raises itself map by what they are:
 * schema violations 400 with an `errors` list, WS-Security failures 401, a fault with an HTTP status of
 * its own (429, 503, 413, 415, 404...) that status with its headers (Retry-After), a fault with a subcode a
 * type named after it, anything else 400 (Sender) or 500 (Receiver). Every problem carries `requestId`,
 * the correlation id also sent as X-Request-Id.
 */
import { STATUS_CODES } from 'node:http';
import { SchemaViolationError, type SoapFault } from '../fault';
import type { CompiledSchema } from '../schema/compile';
import type { ContractModel } from '../schema/model';
import { encodeJson, type JsonValue } from './json-values';

export const PROBLEM_JSON = 'application/problem+json';

/** Members of every problem; a declared fault's detail field may not use these names (checked at start-up). */
export const RESERVED_PROBLEM_MEMBERS: ReadonlySet<string> = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'requestId',
  'errors',
]);

const WSSE_NAMESPACES: ReadonlySet<string> = new Set([
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd',
]);

export interface ProblemOptions {
  /** HTTP status per declared fault (wsdl:fault name), e.g. { OrderNotFoundFault: 404 }; unlisted: 400 (Sender) / 500. */
  readonly faultStatus?: Readonly<Record<string, number>>;
  /** Prefix of the type URIs of engine problems and declared faults (default `urn:problem-type:`, then `<contract id>:<fault>`). */
  readonly typeBase?: string;
  /** The realm announced in WWW-Authenticate on 401. */
  readonly realm?: string;
}

export interface DeclaredProblem {
  readonly name: string;
  readonly element: string;
  readonly type: string;
  readonly title: string;
  readonly status: number;
}

export interface RenderedProblem {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, JsonValue>;
}

/** "OrderNotFound" -> "Order not found", "ValidationFault" -> "Validation fault". */
export function titleOfFaultName(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');
  return words.map((w, i) => (i === 0 ? w : w.toLowerCase())).join(' ');
}

export class ProblemTable {
  /** Declared faults by detail element (Clark name). */
  readonly declared: ReadonlyMap<string, DeclaredProblem>;
  readonly typeBase: string;
  private readonly realm: string;

  constructor(
    contract: ContractModel,
    private readonly schema: CompiledSchema,
    options: ProblemOptions = {},
  ) {
    this.typeBase = options.typeBase ?? 'urn:problem-type:';
    this.realm = options.realm ?? contract.id;
    const declared = new Map<string, DeclaredProblem>();
    for (const portType of contract.portTypes) {
      for (const operation of portType.operations) {
        for (const fault of operation.faults) {
          if (declared.has(fault.element)) continue;
          this.checkDetailMembers(fault.name, fault.element);
          declared.set(fault.element, {
            name: fault.name,
            element: fault.element,
            type: `${this.typeBase}${contract.id}:${fault.name}`,
            title: titleOfFaultName(fault.name),
            status: options.faultStatus?.[fault.name] ?? 400,
          });
        }
      }
    }
    for (const name of Object.keys(options.faultStatus ?? {})) {
      if (![...declared.values()].some((d) => d.name === name))
        throw new Error(`faultStatus names ${name}, which contract '${contract.id}' does not declare`);
    }
    this.declared = declared;
  }

  /** The type URI of an engine problem, e.g. typeOf('schema-violation'). */
  typeOf(name: string): string {
    return `${this.typeBase}${name}`;
  }

  private checkDetailMembers(faultName: string, element: string): void {
    const decl = this.schema.elements.get(element);
    if (decl === undefined || decl.type.kind !== 'complex') return;
    const clash = [...decl.type.elements.map((e) => e.prop), ...decl.type.attributes.map((a) => a.prop)].filter((p) =>
      RESERVED_PROBLEM_MEMBERS.has(p),
    );
    if (clash.length > 0)
      throw new Error(`fault ${faultName}: detail field(s) ${clash.join(', ')} clash with problem-details members`);
  }

  /** The problem for a fault. Throws when a declared fault's detail cannot be encoded (the engine then answers a generic fault). */
  render(fault: SoapFault, requestId: string): RenderedProblem {
    const headers: Record<string, string> = { ...fault.httpHeaders };
    const body: Record<string, JsonValue> = {};
    let status: number;
    const declared = fault.detail === undefined ? undefined : this.declared.get(fault.detail.element);
    if (declared !== undefined && fault.detail !== undefined) {
      status = fault.httpStatus ?? declared.status;
      Object.assign(body, { type: declared.type, title: declared.title, status, detail: fault.reason });
      const fields = encodeJson(this.schema, fault.detail.element, fault.detail.value);
      if (fields !== null && typeof fields === 'object' && !Array.isArray(fields)) Object.assign(body, fields);
    } else if (fault.cause instanceof SchemaViolationError) {
      status = 400;
      Object.assign(body, {
        type: this.typeOf('schema-violation'),
        title: 'Request does not match the schema',
        status,
        detail: fault.cause.message,
        errors: fault.cause.violations.map((v) => ({ path: v.path, message: v.message })),
      });
    } else if (fault.subcode !== undefined && WSSE_NAMESPACES.has(fault.subcode.ns)) {
      status = 401;
      headers['WWW-Authenticate'] = `Basic realm="${this.realm}", charset="UTF-8"`;
      Object.assign(body, {
        type: this.typeOf('authentication'),
        title: 'Authentication failed',
        status,
        detail: fault.reason,
      });
    } else {
      status = fault.httpStatus ?? (fault.code === 'Sender' ? 400 : 500);
      const type = fault.subcode !== undefined ? this.typeOf(fault.subcode.local) : 'about:blank';
      const title =
        fault.subcode !== undefined ? titleOfFaultName(fault.subcode.local) : (STATUS_CODES[status] ?? 'Error');
      Object.assign(body, { type, title, status, detail: fault.reason });
    }
    body.requestId = requestId;
    return { status, headers, body };
  }
}
