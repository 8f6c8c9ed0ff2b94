/**
 * The engine's public runtime API. Code outside src/soap imports the engine from three entry points only:
 * this file (endpoints, transports, faults, the pipeline and contract-model types), `src/soap/security`
 * (WS-Security) and `src/soap/codegen` (loading contracts, generating code). Everything else under src/soap
 * is internal; eslint.config.mjs enforces it.
 */
export { createSoapEndpoint, DEFAULT_LIMITS, DEFAULT_REQUEST_TIMEOUT_MS } from './endpoint';
export type { SoapEndpoint, SoapEndpointOptions, SoapLimits } from './endpoint';
export { addressingInterceptor, WS_ADDRESSING_INTERCEPTOR } from './addressing/interceptor';
export type { AddressingOptions } from './addressing/interceptor';
export { soapRouter, soapRouterFor } from './transport/express';
export { soapRequestListener } from './transport/http';
export type { HttpSoapHandler } from './transport/http';
export { MessageDispatcher } from './message-dispatcher';
export type { ReplyChannel, SoapMessage, ValueMessage, ValueReplyChannel } from './message-dispatcher';
export { createJsonEndpoint, jsonRequestListener } from './transport/json-endpoint';
export type { JsonEndpoint, JsonEndpointOptions } from './transport/json-endpoint';
export { buildOpenApi } from './transport/json-openapi';
export type { OpenApiOptions, OpenApiService } from './transport/json-openapi';
export { PROBLEM_JSON, ProblemTable } from './transport/json-problem';
export type { ProblemOptions } from './transport/json-problem';
export { decodeJson, encodeJson } from './transport/json-values';
export type { JsonValue } from './transport/json-values';
export { SoapFault, DeclaredFault, SchemaViolationError } from './fault';
export type { FaultCode, QName, SoapFaultInit, Violation } from './fault';
export type {
  EngineLogger,
  ExceptionResolver,
  HandlerSet,
  OperationHandler,
  OperationRef,
  ParsedEnvelope,
  Principal,
  SoapContext,
  SoapExchange,
  SoapHeaderBlock,
  SoapInterceptor,
  SoapRequestInfo,
  SoapResponse,
} from './pipeline';
export { clark, splitClark } from './schema/model';
export type {
  AttributeDecl,
  BuiltinName,
  ComplexTypeDef,
  ContractDocument,
  ContractModel,
  ElementDecl,
  Facets,
  FaultDecl,
  GlobalElement,
  ModelGroup,
  OperationDecl,
  Particle,
  SchemaModel,
  SimpleTypeDef,
  SoapVersion,
  TypeDef,
  TypeKey,
} from './schema/model';
export { TrustedProxies, normalizeAddress } from './transport/endpoint-url';
export type { XmlElement, XmlAttribute } from './xml/element';
export { encodeFault } from './fault-encode';
export type { EncodedFault } from './fault-encode';
export {
  SOAP11_ACTOR_NEXT,
  SOAP11_CONTENT_TYPE,
  SOAP11_ENVELOPE_NS,
  SOAP11_MEDIA_TYPE,
  SOAP12_CONTENT_TYPE,
  SOAP12_ENVELOPE_NS,
  SOAP12_MEDIA_TYPE,
  SOAP12_ROLE_NEXT,
  SOAP12_ROLE_ULTIMATE_RECEIVER,
} from './constants';
