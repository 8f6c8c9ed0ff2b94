/**
 * Domain errors -> the v2 contract's declared faults: the same translation as v1, with the detail
 * elements in the v2 namespace.
 */
import { faultTranslation } from '../faults';
import * as v2 from '../../../generated/v2';

export const { toSoapFault: toSoapFaultV2, withFaults: withFaultsV2 } = faultTranslation(v2);
