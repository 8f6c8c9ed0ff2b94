/**
 * SOAP faults as values. Handlers and interceptors throw them; src/soap/fault-encode.ts writes them
 * as SOAP 1.1 or 1.2 with the right HTTP status.
 */

export interface QName {
  ns: string;
  local: string;
  /** Preferred prefix when written (e.g. 'wsse'); optional. */
  prefix?: string;
}

/** SOAP 1.2 top-level codes; SOAP 1.1 maps Sender->Client, Receiver->Server. */
export type FaultCode = 'Sender' | 'Receiver' | 'MustUnderstand' | 'VersionMismatch' | 'DataEncodingUnknown';

export interface SoapFaultInit<D> {
  code: FaultCode;
  reason: string;
  /**
   * SOAP 1.2 Subcode. In SOAP 1.1 it becomes the faultcode itself when `subcodeIsFaultcode11`
   * (WS-Security requires faultcode wsse:FailedAuthentication etc.); otherwise 1.1 uses Client/Server.
   */
  subcode?: QName;
  subcodeIsFaultcode11?: boolean;
  lang?: string;
  /** A declared fault's detail element and typed value, encoded through the schema. */
  detail?: { element: string; value: D };
  /** Overrides the default status (400 Sender / 500 otherwise for 1.2, 500 for 1.1), e.g. 429, 413. */
  httpStatus?: number;
  httpHeaders?: Record<string, string>;
  cause?: unknown;
}

export class SoapFault<D = unknown> extends Error {
  readonly code: FaultCode;
  readonly reason: string;
  readonly subcode?: QName;
  readonly subcodeIsFaultcode11: boolean;
  readonly lang: string;
  readonly detail?: { element: string; value: D };
  readonly httpStatus?: number;
  readonly httpHeaders?: Record<string, string>;

  constructor(init: SoapFaultInit<D>) {
    super(init.reason, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SoapFault';
    this.code = init.code;
    this.reason = init.reason;
    this.subcode = init.subcode;
    this.subcodeIsFaultcode11 = init.subcodeIsFaultcode11 ?? false;
    this.lang = init.lang ?? 'en';
    this.detail = init.detail;
    this.httpStatus = init.httpStatus;
    this.httpHeaders = init.httpHeaders;
  }

  static sender(reason: string, subcode?: QName): SoapFault<never> {
    return new SoapFault<never>({ code: 'Sender', reason, subcode });
  }

  static receiver(reason: string, subcode?: QName): SoapFault<never> {
    return new SoapFault<never>({ code: 'Receiver', reason, subcode });
  }
}

/**
 * Base of the generated per-fault classes (one per wsdl:fault). `element` is the Clark name of the
 * declared detail element; the engine encodes `detail` through the compiled schema.
 */
export abstract class DeclaredFault<D> extends SoapFault<D> {
  constructor(element: string, reason: string, detail: D, code: FaultCode = 'Sender') {
    super({ code, reason, detail: { element, value: detail } });
  }
}

/** One problem found while decoding a message against the schema. */
export interface Violation {
  /** e.g. "SubmitOrderRequest/line[3]/quantity" */
  path: string;
  message: string;
}

/** Thrown by the decoder with every violation found; the engine turns it into a Sender/Client fault. */
export class SchemaViolationError extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => `${v.path}: ${v.message}`).join('; '));
    this.name = 'SchemaViolationError';
  }
}
