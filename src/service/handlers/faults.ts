/**
 * Domain errors -> the contract's declared faults. Anything that is not a domain error is rethrown
 * unchanged: the engine answers it with a generic Receiver fault and logs the details.
 */
import { SoapFault } from '../../soap/fault';
import { wssFault } from '../../soap/security/faults';
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
import {
  InsufficientStockFault,
  InvalidOrderStateFault,
  NotAuthorizedFault,
  OrderConflictFault,
  OrderNotFoundFault,
  ProductNotFoundFault,
  ValidationFault,
} from '../../generated/v1';

/** Seconds a client should wait before retrying when the database is unavailable. */
const RETRY_AFTER_SECONDS = '5';
const MAX_REASON_LENGTH = 500;

/**
 * The fault for `error`, or `error` itself when it is not a domain error.
 * `requestElement` prefixes violation paths so they read like the engine's schema violations
 * ("SubmitOrderRequest/line[2]/sku").
 */
export function toSoapFault(error: unknown, requestElement: string): unknown {
  if (error instanceof SoapFault) return error;
  if (error instanceof ValidationError) {
    const violation = error.violations.map((v) => ({ path: v.path ? `${requestElement}/${v.path}` : requestElement, message: v.message }));
    return new ValidationFault(summarize(violation), { violation });
  }
  if (error instanceof ProductNotFound) return new ProductNotFoundFault(`No product with sku ${error.sku}`, { sku: error.sku });
  if (error instanceof InsufficientStock) {
    return new InsufficientStockFault(`Insufficient stock for ${error.sku}`, { sku: error.sku, requested: error.requested, available: error.available });
  }
  if (error instanceof OrderConflict) {
    return new OrderConflictFault(`partnerOrderRef ${error.partnerOrderRef} was already used with different content`, {
      partnerOrderRef: error.partnerOrderRef,
      orderId: error.existingOrderId,
    });
  }
  if (error instanceof OrderNotFound) return new OrderNotFoundFault(`No order ${error.orderId}`, { orderId: error.orderId });
  if (error instanceof InvalidOrderState) {
    return new InvalidOrderStateFault(`Order ${error.orderId} is ${error.currentStatus}`, { orderId: error.orderId, currentStatus: error.currentStatus });
  }
  if (error instanceof NotAuthorized) {
    return new NotAuthorizedFault(`This operation requires the ${error.requiredRole} role`, { requiredRole: error.requiredRole });
  }
  if (error instanceof NotAuthenticated) return wssFault('FailedAuthentication', 'no authenticated principal reached the handler');
  if (error instanceof ServiceUnavailable) {
    return new SoapFault<never>({
      code: 'Receiver',
      reason: 'Service temporarily unavailable',
      httpStatus: 503,
      httpHeaders: { 'Retry-After': RETRY_AFTER_SECONDS },
      cause: error,
    });
  }
  return error;
}

/** The fault reason: the problems themselves, for clients that only show the reason text. */
function summarize(violations: ReadonlyArray<{ path: string; message: string }>): string {
  const text = `Invalid request: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`;
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

/** Runs a handler body, translating domain errors into faults. */
export async function withFaults<T>(requestElement: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toSoapFault(error, requestElement);
  }
}
