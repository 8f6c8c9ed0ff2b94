/**
 * Domain errors -> the v2 contract's declared faults (same meaning as v1, detail elements in the v2
 * namespace). Errors that are not tied to a contract version (authentication, unavailability, anything
 * unexpected) take the v1 translation unchanged, so both versions answer them identically.
 */
import { toSoapFault as versionNeutralFault } from '../faults';
import {
  InsufficientStock,
  InvalidOrderState,
  NotAuthorized,
  OrderConflict,
  OrderNotFound,
  ProductNotFound,
  ValidationError,
} from '../../errors';
import {
  InsufficientStockFault,
  InvalidOrderStateFault,
  NotAuthorizedFault,
  OrderConflictFault,
  OrderNotFoundFault,
  ProductNotFoundFault,
  ValidationFault,
} from '../../../generated/v2';

const MAX_REASON_LENGTH = 500;

export function toSoapFaultV2(error: unknown, requestElement: string): unknown {
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
  return versionNeutralFault(error, requestElement);
}

function summarize(violations: ReadonlyArray<{ path: string; message: string }>): string {
  const text = `Invalid request: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`;
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

/** Runs a v2 handler body, translating domain errors into v2 faults. */
export async function withFaultsV2<T>(requestElement: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toSoapFaultV2(error, requestElement);
  }
}
