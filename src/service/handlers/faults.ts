/**
 * Domain errors -> the contract's declared faults, as the endpoints' exception resolver (one per contract
 * version; the engine calls it for whatever a handler throws). Each contract version declares the same
 * faults with detail elements in its own namespace, so the translation is written once and given the
 * version's generated fault classes. Errors that are not tied to a contract version (authentication,
 * unavailability) answer identically in every version. Anything that is not a domain error is left to
 * the engine, which answers it with a generic Receiver fault and logs the details.
 */
import { type DeclaredFault, SoapFault, type ExceptionResolver } from '../../soap';
import { wssFault, type CredentialStore } from '../../soap/security';
import {
  InsufficientStock,
  InvalidOrderState,
  NotAuthenticated,
  NotAuthorized,
  OrderConflict,
  OrderNotFound,
  ProductNotFound,
  ServiceUnavailable,
  ValidationError,
} from '../errors';
import * as v1 from '../../generated/v1';
import type {
  InsufficientStockDetail,
  InvalidOrderStateDetail,
  NotAuthorizedDetail,
  OrderConflictDetail,
  OrderNotFoundDetail,
  ProductNotFoundDetail,
  ValidationFaultDetail,
} from '../../generated/v1';

/** Seconds a client should wait before retrying when the database is unavailable. */
const RETRY_AFTER_SECONDS = '5';
const MAX_REASON_LENGTH = 500;

/** What every port answers while the database is unreachable: retriable, after Retry-After. */
export function serviceUnavailableFault(cause: ServiceUnavailable): SoapFault<never> {
  return new SoapFault<never>({
    code: 'Receiver',
    reason: 'Service temporarily unavailable',
    httpStatus: 503,
    httpHeaders: { 'Retry-After': RETRY_AFTER_SECONDS },
    cause,
  });
}

/**
 * The WS-Security interceptor looks partners up before any handler runs and knows only SoapFaults, so its
 * lookups get the same translation of ServiceUnavailable as the handlers (instead of a generic 500).
 */
export function unavailableAsFault(store: CredentialStore): CredentialStore {
  const translated = async <T>(lookup: Promise<T>): Promise<T> => {
    try {
      return await lookup;
    } catch (error) {
      throw error instanceof ServiceUnavailable ? serviceUnavailableFault(error) : error;
    }
  };
  return {
    findAccountByUsername: (username) => translated(store.findAccountByUsername(username)),
    findCertificate: (ref) => translated(store.findCertificate(ref)),
  };
}

type FaultClass<D> = new (reason: string, detail: D) => DeclaredFault<D>;

/** One contract version's generated classes for the declared faults (their details are alike in every version). */
export interface ContractFaultClasses {
  ValidationFault: FaultClass<ValidationFaultDetail>;
  ProductNotFoundFault: FaultClass<ProductNotFoundDetail>;
  InsufficientStockFault: FaultClass<InsufficientStockDetail>;
  OrderConflictFault: FaultClass<OrderConflictDetail>;
  OrderNotFoundFault: FaultClass<OrderNotFoundDetail>;
  InvalidOrderStateFault: FaultClass<InvalidOrderStateDetail>;
  NotAuthorizedFault: FaultClass<NotAuthorizedDetail>;
}

/**
 * The declared fault for a domain error, answered with one contract version's fault classes; undefined
 * for anything else. `requestElement` prefixes violation paths so they read like the engine's schema
 * violations ("SubmitOrderRequest/line[2]/sku").
 */
export function domainFault(
  faults: ContractFaultClasses,
  error: unknown,
  requestElement: string,
): SoapFault | undefined {
  if (error instanceof ValidationError) {
    const violation = error.violations.map((v) => ({
      path: v.path ? `${requestElement}/${v.path}` : requestElement,
      message: v.message,
    }));
    return new faults.ValidationFault(summarize(violation), { violation });
  }
  if (error instanceof ProductNotFound)
    return new faults.ProductNotFoundFault(`No product with sku ${error.sku}`, { sku: error.sku });
  if (error instanceof InsufficientStock) {
    return new faults.InsufficientStockFault(`Insufficient stock for ${error.sku}`, {
      sku: error.sku,
      requested: error.requested,
      available: error.available,
    });
  }
  if (error instanceof OrderConflict) {
    return new faults.OrderConflictFault(
      `partnerOrderRef ${error.partnerOrderRef} was already used with different content`,
      {
        partnerOrderRef: error.partnerOrderRef,
        orderId: error.existingOrderId,
      },
    );
  }
  if (error instanceof OrderNotFound)
    return new faults.OrderNotFoundFault(`No order ${error.orderId}`, { orderId: error.orderId });
  if (error instanceof InvalidOrderState) {
    return new faults.InvalidOrderStateFault(`Order ${error.orderId} is ${error.currentStatus}`, {
      orderId: error.orderId,
      currentStatus: error.currentStatus,
    });
  }
  if (error instanceof NotAuthorized) {
    return new faults.NotAuthorizedFault(`This operation requires the ${error.requiredRole} role`, {
      requiredRole: error.requiredRole,
    });
  }
  if (error instanceof NotAuthenticated)
    return wssFault('FailedAuthentication', 'no authenticated principal reached the handler');
  if (error instanceof ServiceUnavailable) return serviceUnavailableFault(error);
  return undefined;
}

/** The local name of a Clark name ("{urn:x}SubmitOrderRequest" -> "SubmitOrderRequest"). */
function localName(clarkName: string): string {
  return clarkName.slice(clarkName.lastIndexOf('}') + 1);
}

/**
 * One contract version's exception resolver for its endpoints: every handler's domain errors become that
 * version's declared faults here, so the handlers need no translation of their own.
 */
export function domainFaultResolver(faults: ContractFaultClasses): ExceptionResolver {
  return (error, exchange) => domainFault(faults, error, localName(exchange.operation?.input ?? ''));
}

/** The fault reason: the problems themselves, for clients that only show the reason text. */
function summarize(violations: ReadonlyArray<{ path: string; message: string }>): string {
  const text = `Invalid request: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`;
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

/** The v1 contract's resolver. */
export const v1DomainFaults = domainFaultResolver(v1);
