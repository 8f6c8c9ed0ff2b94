/**
 * The OpenAPI 3.1 document of the JSON binding, generated from the contract at start-up: one component
 * schema per named XSD type (facets as JSON Schema keywords, documentation as description), one per
 * request, response and fault detail element, one POST path per operation with its request, its response,
 * its problem responses (each declared fault at its status, plus the engine's), examples, and the
 * security schemes (HTTP Basic; mutual TLS).
 *
 * The schemas describe the JSON form of json-values.ts: decimals and 64-bit integers are strings with a
 * lexical pattern (their bounds, which JSON Schema cannot state for strings, are in the description),
 * repeated elements are arrays, nillable elements admit null, simple content is `$value`.
 */
import { BUILTIN_REPR } from '../schema/builtins';
import { INTEGER_RANGES } from '../schema/lexical';
import {
  XSD_NS,
  splitClark,
  type ContractModel,
  type ElementDecl,
  type Facets,
  type ModelGroup,
  type OperationDecl,
  type SimpleTypeDef,
  type TypeDef,
  type TypeKey,
} from '../schema/model';
import type { ProblemTable } from './json-problem';
import type { JsonValue } from './json-values';

export type SchemaObject = { [key: string]: JsonValue | SchemaObject | SchemaObject[] | undefined };

export interface OpenApiService {
  /** The wsdl:service. */
  readonly service: string;
  /** Where its operations hang, e.g. '/api/v1/orders'. */
  readonly basePath: string;
}

export interface OpenApiOptions {
  readonly contract: ContractModel;
  readonly services: readonly OpenApiService[];
  readonly problems: ProblemTable;
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  /** Servers (absolute or relative URLs); default: the document's own origin. */
  readonly servers?: readonly string[];
  /** A JSON example of an element (request, response or fault detail), or undefined. */
  readonly example?: (elementKey: string) => JsonValue | undefined;
  /** Marks every operation deprecated (a deprecated contract version). */
  readonly deprecated?: boolean;
  /** Statuses the engine's own problems use, listed on every operation (e.g. 429 when rate limits apply). */
  readonly engineStatuses?: readonly number[];
}

const DECIMAL_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$';
const INTEGER_PATTERN = '^[+-]?[0-9]+$';
const NUMBER_SPECIALS = ['NaN', 'INF', '-INF', '-0'];

/** Component names: letters, digits, '.', '-', '_' (OpenAPI 3.1 components key rule). */
function componentName(local: string): string {
  return local.replace(/[^A-Za-z0-9._-]/g, '_');
}

const ENGINE_PROBLEMS: Readonly<Record<number, string>> = {
  400: 'The request is not valid JSON or does not match the schema (type schema-violation, with errors[]), or a declared fault',
  401: 'No credentials, or credentials that do not authenticate (WWW-Authenticate: Basic)',
  403: 'Authenticated but not allowed, or HTTP Basic over plain HTTP',
  404: 'No such operation, or a declared not-found fault',
  413: 'Request body larger than the limit',
  415: 'Content-Type is not application/json',
  429: 'Rate limit or authentication-failure limit reached; see Retry-After',
  500: 'Internal error; the detail quotes the request id',
  503: 'Temporarily unavailable; see Retry-After',
};

export function buildOpenApi(options: OpenApiOptions): SchemaObject {
  return new OpenApiBuilder(options).build();
}

class OpenApiBuilder {
  private readonly schemas: Record<string, SchemaObject> = {};
  private readonly typeNames = new Map<TypeKey, string>();
  private readonly model: ContractModel['schema'];

  constructor(private readonly options: OpenApiOptions) {
    this.model = options.contract.schema;
  }

  build(): SchemaObject {
    const { contract, problems } = this.options;
    this.schemas.Problem = {
      type: 'object',
      description: 'RFC 9457 problem details; requestId is the correlation id also sent as X-Request-Id',
      properties: {
        type: { type: 'string', format: 'uri-reference' },
        title: { type: 'string' },
        status: { type: 'integer', minimum: 100, maximum: 599 },
        detail: { type: 'string' },
        instance: { type: 'string' },
        requestId: { type: 'string' },
        errors: {
          type: 'array',
          description: 'Schema violations: path in JSON terms with 1-based indexes, e.g. line[3].quantity',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, message: { type: 'string' } },
            required: ['path', 'message'],
          },
        },
      },
      required: ['type', 'title', 'status', 'requestId'],
    };
    for (const fault of problems.declared.values()) {
      this.schemas[`${componentName(fault.name)}Problem`] = {
        description: `${fault.title} (wsdl:fault ${fault.name}), HTTP ${fault.status}`,
        allOf: [
          { $ref: '#/components/schemas/Problem' },
          this.elementSchemaRef(fault.element),
          { type: 'object', properties: { type: { const: fault.type } } },
        ],
      };
    }
    const paths: Record<string, SchemaObject> = {};
    for (const { service, basePath } of this.options.services) {
      for (const operation of this.operationsOf(service)) {
        paths[`${basePath.replace(/\/+$/, '')}/${operation.name}`] = { post: this.operation(operation, service) };
      }
    }
    const doc: SchemaObject = {
      openapi: '3.1.0',
      info: {
        title: this.options.title,
        version: this.options.version,
        description: this.options.description ?? contract.documentation,
      },
      servers: this.options.servers?.map((url) => ({ url })),
      security: [{ basicAuth: [] }, { mutualTLS: [] }],
      paths,
      components: {
        schemas: this.schemas,
        headers: {
          'X-Request-Id': {
            description: "The correlation id (the request's X-Request-Id when safe, else generated)",
            schema: { type: 'string' },
          },
        },
        securitySchemes: {
          basicAuth: {
            type: 'http',
            scheme: 'basic',
            description: 'The partner user name and password (as for WS-Security PasswordText); HTTPS only',
          },
          mutualTLS: { type: 'mutualTLS', description: 'A TLS client certificate registered for the partner' },
        },
      },
    };
    return stripUndefined(doc) as SchemaObject;
  }

  private operationsOf(serviceName: string): OperationDecl[] {
    const { contract } = this.options;
    const service = contract.services.find((s) => s.name === serviceName);
    if (service === undefined) throw new Error(`contract '${contract.id}' has no service '${serviceName}'`);
    const bindingRef = service.ports[0]?.binding ?? '';
    const binding = contract.bindings.find((b) => bindingRef === b.name || bindingRef === `{${b.ns}}${b.name}`);
    const portType = contract.portTypes.find(
      (p) => binding !== undefined && (binding.portType === p.name || binding.portType === `{${p.ns}}${p.name}`),
    );
    if (portType === undefined) throw new Error(`service '${serviceName}' has no port type`);
    return portType.operations;
  }

  private operation(operation: OperationDecl, service: string): SchemaObject {
    const { problems } = this.options;
    const requestExample = this.options.example?.(operation.input);
    const responses: Record<string, SchemaObject> = {};
    if (operation.output === undefined) responses['202'] = { description: 'Accepted (one-way operation)' };
    else {
      const example = this.options.example?.(operation.output);
      responses['200'] = {
        description: `${splitClark(operation.output).local}`,
        headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
        content: {
          'application/json': {
            schema: this.elementSchemaRef(operation.output),
            ...(example === undefined ? {} : { example }),
          },
        },
      };
    }
    const byStatus = new Map<number, SchemaObject[]>();
    for (const fault of operation.faults) {
      const declared = problems.declared.get(fault.element);
      if (declared === undefined) continue;
      const list = byStatus.get(declared.status) ?? [];
      list.push({ $ref: `#/components/schemas/${componentName(declared.name)}Problem` });
      byStatus.set(declared.status, list);
    }
    const statuses = new Set<number>([
      400,
      401,
      403,
      404,
      413,
      415,
      500,
      503,
      ...(this.options.engineStatuses ?? [429]),
      ...byStatus.keys(),
    ]);
    for (const status of [...statuses].sort((a, b) => a - b)) {
      const declared = byStatus.get(status) ?? [];
      const schema: SchemaObject =
        declared.length === 0
          ? { $ref: '#/components/schemas/Problem' }
          : { anyOf: [...declared, { $ref: '#/components/schemas/Problem' }] };
      const response: SchemaObject = {
        description: [
          ENGINE_PROBLEMS[status],
          ...operation.faults.filter((f) => problems.declared.get(f.element)?.status === status).map((f) => f.name),
        ]
          .filter((x) => x !== undefined)
          .join('; '),
        content: { 'application/problem+json': { schema } },
      };
      if (status === 429 || status === 503)
        response.headers = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } };
      responses[String(status)] = response;
    }
    return {
      operationId: operation.name,
      summary: operation.name,
      description: operation.documentation,
      tags: [service],
      deprecated: this.options.deprecated === true ? true : undefined,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: this.elementSchemaRef(operation.input),
            ...(requestExample === undefined ? {} : { example: requestExample }),
          },
        },
      },
      responses,
    };
  }

  /** A $ref to the component of a global element (created on first use). */
  private elementSchemaRef(elementKey: string): SchemaObject {
    const element = this.model.elements[elementKey];
    if (element === undefined) throw new Error(`no global element ${elementKey}`);
    const name = componentName(element.name);
    if (this.schemas[name] === undefined) {
      this.schemas[name] = {}; // reserve (recursion)
      const schema = this.typeSchema(element.type);
      if (element.documentation !== undefined) schema.description = element.documentation;
      this.schemas[name] = element.nillable ? { anyOf: [schema, { type: 'null' }] } : schema;
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  /** A named type: a $ref to its component; an anonymous one: inline. */
  private typeSchema(key: TypeKey): SchemaObject {
    const def = this.model.types[key];
    const { ns, local } = splitClark(key);
    if (def === undefined) {
      if (ns === XSD_NS) return this.simple({ kind: 'simple', builtin: local as SimpleTypeDef['builtin'], facets: {} });
      throw new Error(`type ${key} is not defined`);
    }
    // Built-ins and anonymous types are written in place; named types once, as components.
    if (def.name === undefined || local.includes('/') || ns === XSD_NS) return this.inline(def);
    let name = this.typeNames.get(key);
    if (name === undefined) {
      name = componentName(local);
      while (this.schemas[name] !== undefined) name = `${name}_`;
      this.typeNames.set(key, name);
      this.schemas[name] = {};
      this.schemas[name] = this.inline(def);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  private inline(def: TypeDef): SchemaObject {
    if (def.kind === 'simple') return this.simple(def);
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    for (const a of def.attributes) {
      properties[a.prop] = { ...this.typeSchema(a.type), description: `attribute ${a.name}` };
      if (a.required) required.push(a.prop);
    }
    if (def.simpleContent !== undefined) {
      properties.$value = { ...this.typeSchema(def.simpleContent), description: "the element's text content" };
      required.push('$value');
    }
    if (def.content !== null) this.group(def.content, properties, required, false, true);
    return {
      type: 'object',
      description: def.documentation,
      properties,
      required: required.length === 0 ? undefined : required,
      additionalProperties: false,
    };
  }

  private group(
    group: ModelGroup,
    properties: Record<string, SchemaObject>,
    required: string[],
    repeated: boolean,
    mandatory: boolean,
  ): void {
    const groupRepeats = repeated || group.maxOccurs !== 1;
    const groupMandatory = mandatory && group.minOccurs > 0 && group.kind !== 'choice';
    for (const p of group.particles) {
      if (p.kind === 'element') this.element(p, properties, required, groupRepeats, groupMandatory);
      else if (p.kind === 'any') {
        properties[p.prop] = {
          type: 'array',
          items: { type: 'string', description: 'one XML element' },
          description: `wildcard (namespace ${p.namespace}) elements as XML text`,
        };
      } else this.group(p, properties, required, groupRepeats, groupMandatory);
    }
  }

  private element(
    e: ElementDecl,
    properties: Record<string, SchemaObject>,
    required: string[],
    inRepeatingGroup: boolean,
    mandatory: boolean,
  ): void {
    let item = this.typeSchema(e.type);
    if (e.documentation !== undefined)
      item =
        item.$ref === undefined
          ? { ...item, description: e.documentation }
          : { allOf: [item], description: e.documentation };
    if (e.nillable) item = { anyOf: [item, { type: 'null' }] };
    if (inRepeatingGroup || e.maxOccurs !== 1) {
      properties[e.prop] = {
        type: 'array',
        items: item,
        minItems: !inRepeatingGroup && e.minOccurs > 0 ? e.minOccurs : undefined,
        maxItems: !inRepeatingGroup && e.maxOccurs > 0 ? e.maxOccurs : undefined,
      };
    } else {
      properties[e.prop] = item;
    }
    if (mandatory && e.minOccurs > 0) required.push(e.prop);
  }

  private simple(def: SimpleTypeDef): SchemaObject {
    if (def.listOf !== undefined) {
      return {
        type: 'array',
        items: this.typeSchema(def.listOf),
        description: def.documentation,
        minItems: def.facets.length ?? def.facets.minLength,
        maxItems: def.facets.length ?? def.facets.maxLength,
      };
    }
    const f: Facets = def.facets;
    const schema: SchemaObject = { description: def.documentation };
    const notes: string[] = [];
    const b = def.builtin;
    const range = INTEGER_RANGES[b];
    if (b === 'boolean') schema.type = 'boolean';
    else if (b === 'float' || b === 'double') {
      schema.anyOf = [{ type: 'number' }, { type: 'string', enum: NUMBER_SPECIALS }];
      this.numberBounds(schema, f);
    } else if (range !== undefined && BUILTIN_REPR[b] === 'number') {
      schema.type = 'integer';
      if (range.min !== undefined) schema.minimum = Number(range.min);
      if (range.max !== undefined) schema.maximum = Number(range.max);
      this.numberBounds(schema, f);
    } else {
      schema.type = 'string';
      if (b === 'decimal') {
        schema.pattern = DECIMAL_PATTERN;
        schema.format = 'decimal';
        notes.push('a decimal number written as a string, so no digit is lost');
      } else if (range !== undefined) {
        schema.pattern = INTEGER_PATTERN;
        schema.format = b === 'long' ? 'int64' : undefined;
        notes.push(`an integer (xs:${b}) written as a string, so no digit is lost`);
      } else if (b === 'base64Binary') schema.contentEncoding = 'base64';
      else if (b === 'hexBinary') schema.pattern = '^([0-9A-Fa-f]{2})*$';
      else if (
        ['date', 'dateTime', 'time', 'duration', 'gYear', 'gYearMonth', 'gMonth', 'gMonthDay', 'gDay'].includes(b)
      ) {
        notes.push(
          `xs:${b} lexical form (ISO 8601${b === 'date' || b === 'dateTime' || b === 'time' ? ', optional time zone' : ''})`,
        );
      }
      if (range !== undefined || b === 'decimal') {
        for (const [facet, word] of [
          ['minInclusive', '>='],
          ['minExclusive', '>'],
          ['maxInclusive', '<='],
          ['maxExclusive', '<'],
        ] as const) {
          if (f[facet] !== undefined) notes.push(`${word} ${f[facet]}`);
        }
      }
      if (f.length !== undefined) {
        schema.minLength = f.length;
        schema.maxLength = f.length;
      }
      if (f.minLength !== undefined) schema.minLength = f.minLength;
      if (f.maxLength !== undefined) schema.maxLength = f.maxLength;
      const patterns = f.pattern ?? [];
      if (patterns.length === 1) schema.pattern = `^(?:${patterns[0]})$`;
      else if (patterns.length > 1) schema.allOf = patterns.map((p) => ({ pattern: `^(?:${p})$` }));
    }
    if (f.totalDigits !== undefined) notes.push(`at most ${f.totalDigits} digits`);
    if (f.fractionDigits !== undefined) notes.push(`at most ${f.fractionDigits} fraction digits`);
    if (f.enumeration !== undefined) {
      schema.enum = schema.type === 'integer' ? f.enumeration.map(Number) : [...f.enumeration];
    }
    if (notes.length > 0)
      schema.description = [def.documentation, `Value: ${notes.join('; ')}.`].filter((x) => x !== undefined).join(' ');
    schema['x-xsd-type'] = def.name ?? `xs:${b}`;
    return schema;
  }

  private numberBounds(schema: SchemaObject, f: Facets): void {
    const target = schema.anyOf === undefined ? schema : ((schema.anyOf as SchemaObject[])[0] as SchemaObject);
    if (f.minInclusive !== undefined) target.minimum = Number(f.minInclusive);
    if (f.maxInclusive !== undefined) target.maximum = Number(f.maxInclusive);
    if (f.minExclusive !== undefined) target.exclusiveMinimum = Number(f.minExclusive);
    if (f.maxExclusive !== undefined) target.exclusiveMaximum = Number(f.maxExclusive);
  }
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
    return out;
  }
  return value;
}
