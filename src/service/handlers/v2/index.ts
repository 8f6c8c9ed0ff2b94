/**
 * Contract v2 adapters: thin mappings between the v2 wire types and the one domain (src/service).
 * Mounted at /soap/v2/orders and /soap/v2/admin beside v1.
 */
export { partnerOrderAdminHandlersV2 } from './admin';
export { partnerOrderHandlersV2 } from './orders';
export { partnerNamesOf, type V2Dependencies } from './dependencies';
export { v2DomainFaults } from './faults';
