/**
 * The v1 typed handlers for both ports; the composition root (src/app.ts) wires them to the domain and
 * mounts `orders` at /soap/v1/orders and `admin` at /soap/v1/admin.
 */
export { partnerOrderAdminHandlers } from './admin';
export { partnerOrderHandlers } from './orders';
export { v1DomainFaults } from './faults';
