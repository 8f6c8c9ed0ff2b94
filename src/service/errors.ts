/**
 * Domain errors. The domain services and the stores (src/db) throw these; the SOAP handlers map them to
 * the declared faults of the contract, the CLI to messages and exit codes. They carry data, never XML.
 */

export type OrderStatus = 'ACCEPTED' | 'CANCELLED' | 'SHIPPED';

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class ProductNotFound extends DomainError {
  readonly code = 'ProductNotFound';
  constructor(readonly sku: string) {
    super(`No product with sku ${sku}`);
    this.name = 'ProductNotFound';
  }
}

export class InsufficientStock extends DomainError {
  readonly code = 'InsufficientStock';
  /** `requested` units were asked for (or asked to be removed); only `available` can be. */
  constructor(
    readonly sku: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`Insufficient stock for ${sku}: requested ${requested}, available ${available}`);
    this.name = 'InsufficientStock';
  }
}

export class OrderConflict extends DomainError {
  readonly code = 'OrderConflict';
  constructor(
    readonly partnerOrderRef: string,
    readonly existingOrderId: string,
  ) {
    super(`partnerOrderRef ${partnerOrderRef} was already used for order ${existingOrderId} with different content`);
    this.name = 'OrderConflict';
  }
}

export interface DomainViolation {
  /** Where in the request, e.g. "line[2]/sku" (1-based like XPath). */
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'ValidationError';
  constructor(readonly violations: readonly DomainViolation[]) {
    super(violations.map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join('; '));
    this.name = 'ValidationError';
  }

  static single(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export class OrderNotFound extends DomainError {
  readonly code = 'OrderNotFound';
  constructor(readonly orderId: string) {
    super(`No order ${orderId}`);
    this.name = 'OrderNotFound';
  }
}

export class InvalidOrderState extends DomainError {
  readonly code = 'InvalidOrderState';
  constructor(
    readonly orderId: string,
    readonly currentStatus: OrderStatus,
  ) {
    super(`Order ${orderId} is ${currentStatus}`);
    this.name = 'InvalidOrderState';
  }
}

export class NotAuthorized extends DomainError {
  readonly code = 'NotAuthorized';
  constructor(readonly requiredRole: string) {
    super(`This operation requires the ${requiredRole} role`);
    this.name = 'NotAuthorized';
  }
}

/** The caller could not be identified (no principal). Security normally rejects such requests earlier. */
export class NotAuthenticated extends DomainError {
  readonly code = 'NotAuthenticated';
  constructor() {
    super('Authentication required');
    this.name = 'NotAuthenticated';
  }
}

/**
 * The database is down, the pool is exhausted or a transaction kept failing after its retries.
 * Stores throw it (with the driver error as cause) so callers fail fast with "temporarily unavailable".
 */
export class ServiceUnavailable extends DomainError {
  readonly code = 'ServiceUnavailable';
  constructor(message = 'Service temporarily unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnavailable';
  }
}

export class PartnerNotFound extends DomainError {
  readonly code = 'PartnerNotFound';
  constructor(readonly username: string) {
    super(`No partner ${username}`);
    this.name = 'PartnerNotFound';
  }
}

export class PartnerAlreadyExists extends DomainError {
  readonly code = 'PartnerAlreadyExists';
  constructor(readonly username: string) {
    super(`A partner ${username} already exists`);
    this.name = 'PartnerAlreadyExists';
  }
}
