/**
 * The engine's public API. Applications import from here only; everything else under src/soap is internal.
 */
export { createSoapEndpoint, DEFAULT_LIMITS, DEFAULT_REQUEST_TIMEOUT_MS } from './endpoint';
export type { SoapEndpoint, SoapEndpointOptions, SoapLimits } from './endpoint';
export { soapRouter, soapRouterFor } from './transport/express';
export { soapRequestListener } from './transport/http';
export type { HttpSoapHandler } from './transport/http';
export { MessageDispatcher } from './message-dispatcher';
export type { ReplyChannel, SoapMessage } from './message-dispatcher';
export { SoapFault, DeclaredFault, SchemaViolationError } from './fault';
export type { FaultCode, QName, SoapFaultInit, Violation } from './fault';
export type {
  EngineLogger, ExceptionResolver, HandlerSet, OperationHandler, OperationRef, ParsedEnvelope, Principal, SoapContext, SoapExchange,
  SoapHeaderBlock, SoapInterceptor, SoapRequestInfo, SoapResponse,
} from './pipeline';
export type { ContractModel, SoapVersion } from './schema/model';
export type { XmlElement, XmlAttribute } from './xml/element';
export { encodeFault } from './fault-encode';
export type { EncodedFault } from './fault-encode';
