// Builds synthetic SoapExchange values for interceptor-level tests (the real engine builds them per request).
import type { EngineLogger, Principal, SoapExchange, SoapVersion, XmlElement } from '../../src/soap';

export const silentLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface ExchangeSpec {
  operation?: string;
  principal?: Principal;
  soapVersion?: SoapVersion;
  raw?: string;
  remoteAddress?: string;
  messageId?: string;
  headers?: Record<string, string>;
}

export function partner(id: string, name = `Partner ${id}`): Principal {
  return { id, name, roles: ['partner'], authenticatedBy: 'UsernameToken/PasswordText' };
}

export function makeExchange(spec: ExchangeSpec = {}): SoapExchange {
  const raw = Buffer.from(
    spec.raw ?? '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>',
  );
  const exchange: SoapExchange = {
    request: {
      raw,
      httpHeaders: spec.headers ?? {},
      method: 'POST',
      endpointUrl: 'http://127.0.0.1/partner-orders/v1',
      remoteAddress: spec.remoteAddress ?? '127.0.0.1',
    },
    messageId: spec.messageId ?? 'urn:uuid:00000000-0000-4000-8000-000000000001',
    log: silentLogger,
    understood: new Set<XmlElement>(),
    responseHeaders: [],
    httpHeaders: {},
    attributes: new Map(),
    startedAt: process.hrtime.bigint(),
  };
  if (spec.operation !== undefined) {
    exchange.operation = {
      name: spec.operation,
      input: `{urn:test}${spec.operation}Request`,
      soapAction: spec.operation,
    };
  }
  if (spec.principal !== undefined) exchange.principal = spec.principal;
  if (spec.soapVersion !== undefined) {
    // Only `version` is read by the ops interceptors; the element views are not needed here.
    exchange.envelope = { version: spec.soapVersion } as SoapExchange['envelope'];
  }
  return exchange;
}
