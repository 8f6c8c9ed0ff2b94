/**
 * The JSON binding of the partner-orders service, for the composition root: every SOAP endpoint
 * `/soap/<version>/<port>` gets its JSON twin `/api/<version>/<port>/<Operation>` over the same handlers,
 * exception resolver and interceptors (HTTP Basic / mTLS instead of WS-Security), and each contract
 * version its OpenAPI document at `/api/<version>/openapi.json`. docs/json-binding.md is the reference.
 */
import type { RequestListener } from 'node:http';
import type { Operations } from './ops';
import { sampleElement } from './portal';
import {
  buildOpenApi,
  createJsonEndpoint,
  jsonRequestListener,
  type ContractModel,
  type EngineLogger,
  type ExceptionResolver,
  type HandlerSet,
  type JsonEndpoint,
  type OpenApiService,
} from './soap';
import { httpAuthenticationInterceptor, type CredentialStore } from './soap/security';

/** One SOAP endpoint whose operations the JSON binding serves too. */
export interface JsonTwinSource {
  /** The SOAP path, /soap/<version>/<port>; the JSON base path is /api/<version>/<port>. */
  readonly path: string;
  readonly version: string;
  readonly contract: ContractModel;
  readonly service: string;
  readonly handlers: HandlerSet<object>;
  readonly exceptionResolver?: ExceptionResolver;
}

export interface JsonApiOptions {
  readonly sources: readonly JsonTwinSource[];
  readonly ops: Operations;
  readonly credentials: CredentialStore;
  /** Accept HTTP Basic over plain HTTP (see docs/json-binding.md). */
  readonly allowBasicOverHttp: boolean;
  readonly limits: { readonly maxBodyBytes: number; readonly maxDepth: number; readonly maxElements: number };
  readonly trustedProxies: readonly string[];
  readonly requestTimeoutMs: number;
  readonly logger: EngineLogger;
  /** Contract versions announced as deprecated (their operations are marked so in OpenAPI). */
  readonly deprecatedVersions: ReadonlySet<string>;
}

export interface JsonApi {
  readonly endpoints: readonly JsonEndpoint[];
  /** OpenAPI documents by path (/api/<version>/openapi.json). */
  readonly documents: Readonly<Record<string, object>>;
  /** JSON paths and documents first, everything else to `fallback`. */
  listener(fallback: RequestListener): RequestListener;
}

/** The declared faults' HTTP statuses (wsdl:fault names are the same in every version). */
export const FAULT_STATUS: Readonly<Record<string, number>> = Object.freeze({
  ValidationFault: 400,
  NotAuthorized: 403,
  ProductNotFound: 404,
  OrderNotFound: 404,
  OrderConflict: 409,
  InvalidOrderState: 409,
  InsufficientStock: 409,
});

export const PROBLEM_TYPE_BASE = 'urn:partner-orders:problem:';

export function jsonBasePath(soapPath: string): string {
  return soapPath.replace(/^\/soap\//, '/api/');
}

export function createJsonApi(options: JsonApiOptions): JsonApi {
  const { ops, logger } = options;
  const endpoints: JsonEndpoint[] = [];
  const byVersion = new Map<string, { contract: ContractModel; services: OpenApiService[]; endpoint: JsonEndpoint }>();
  for (const source of options.sources) {
    const basePath = jsonBasePath(source.path);
    const authentication = httpAuthenticationInterceptor({
      store: options.credentials,
      allowBasicOverHttp: options.allowBasicOverHttp,
      realm: `partner-orders ${source.version}`,
    });
    const endpoint = createJsonEndpoint({
      contract: source.contract,
      service: source.service,
      handlers: source.handlers,
      basePath,
      exceptionResolver: source.exceptionResolver,
      interceptors: ops.interceptors({ service: source.service, version: source.version, security: [authentication] }),
      limits: options.limits,
      trustedProxies: options.trustedProxies,
      requestTimeoutMs: options.requestTimeoutMs,
      logger,
      faultStatus: FAULT_STATUS,
      typeBase: PROBLEM_TYPE_BASE,
      realm: `partner-orders ${source.version}`,
    });
    endpoints.push(endpoint);
    const entry = byVersion.get(source.version) ?? { contract: source.contract, services: [], endpoint };
    entry.services.push({ service: source.service, basePath });
    byVersion.set(source.version, entry);
  }
  const documents: Record<string, object> = {};
  for (const [version, { contract, services, endpoint }] of byVersion) {
    documents[`/api/${version}/openapi.json`] = buildOpenApi({
      contract,
      services,
      problems: endpoint.problems,
      title: `Partner Order Service ${version} (JSON binding)`,
      version: contract.id,
      description:
        `${contract.documentation ?? ''}\n\nThe JSON binding of the SOAP contract ${version}: the same operations, handlers and faults. ` +
        'Decimals and 64-bit integers are strings, repeated elements arrays, faults RFC 9457 problem details.',
      servers: ['/'],
      // The portal's sample of each element, in its JSON form (left out when a sample does not decode).
      example: (elementKey) => endpoint.jsonOfXml(elementKey, sampleElement(contract, elementKey)),
      deprecated: options.deprecatedVersions.has(version),
    });
  }
  return {
    endpoints,
    documents,
    listener: (fallback) => jsonRequestListener(endpoints, documents, fallback),
  };
}
