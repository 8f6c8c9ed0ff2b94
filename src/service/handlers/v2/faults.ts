/**
 * Domain errors -> the v2 contract's declared faults: the same translation as v1, with the detail
 * elements in the v2 namespace.
 */
import { domainFaultResolver } from '../faults';
import * as v2 from '../../../generated/v2';

export const v2DomainFaults = domainFaultResolver(v2);
