/**
 * The two WS-Addressing namespaces clients send: the W3C Recommendation (1.0, 2005/08) and the
 * 2004/08 member submission older WCF (WSHttpBinding with AddressingVersion.WSAddressingAugust2004) and
 * Axis2 still speak. Everything that differs between them is written here, once.
 */

export interface AddressingVersion {
  readonly name: '1.0' | '2004/08';
  readonly ns: string;
  /** The address meaning "the back channel" (the HTTP response). */
  readonly anonymous: string;
  /** The address meaning "do not send" (1.0 only). */
  readonly none: string | undefined;
  /** [action] of a fault that is not a declared wsdl:fault. */
  readonly soapFaultAction: string;
  /** [action] of WS-Addressing's own faults (ActionNotSupported, ...). */
  readonly addressingFaultAction: string;
  /**
   * Delimiter of the default action pattern for a target namespace: 1.0 (WS-Addressing Metadata 4.4.4)
   * uses ':' for URNs, the submission always '/'.
   */
  readonly delimiter: (targetNamespace: string) => string;
  /** Header blocks that must be present whenever the message uses this version at all. */
  readonly alwaysRequired: readonly string[];
  /** Local names (in `ns`) of the fault subcodes, which the submission named differently. */
  readonly faults: {
    readonly invalidHeader: string;
    readonly headerRequired: string;
    readonly actionNotSupported: string;
    /** WS-Addressing Metadata 1.0's fault for a non-anonymous response endpoint; the submission has none. */
    readonly onlyAnonymous: string;
    readonly actionMismatch: string;
  };
}

export const WSA10: AddressingVersion = Object.freeze({
  name: '1.0',
  ns: 'http://www.w3.org/2005/08/addressing',
  anonymous: 'http://www.w3.org/2005/08/addressing/anonymous',
  none: 'http://www.w3.org/2005/08/addressing/none',
  soapFaultAction: 'http://www.w3.org/2005/08/addressing/soap/fault',
  addressingFaultAction: 'http://www.w3.org/2005/08/addressing/fault',
  delimiter: (tns: string) => (tns.toLowerCase().startsWith('urn:') ? ':' : '/'),
  alwaysRequired: ['Action'],
  faults: {
    invalidHeader: 'InvalidAddressingHeader',
    headerRequired: 'MessageAddressingHeaderRequired',
    actionNotSupported: 'ActionNotSupported',
    onlyAnonymous: 'OnlyAnonymousAddressSupported',
    actionMismatch: 'ActionMismatch',
  },
});

export const WSA200408: AddressingVersion = Object.freeze({
  name: '2004/08',
  ns: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  anonymous: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous',
  none: undefined,
  soapFaultAction: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/fault',
  addressingFaultAction: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/fault',
  delimiter: () => '/',
  // The submission makes To mandatory (section 3.1); 1.0 defaults it to anonymous.
  alwaysRequired: ['Action', 'To'],
  faults: {
    invalidHeader: 'InvalidMessageInformationHeader',
    headerRequired: 'MessageInformationHeaderRequired',
    actionNotSupported: 'ActionNotSupported',
    onlyAnonymous: 'InvalidMessageInformationHeader',
    actionMismatch: 'InvalidMessageInformationHeader',
  },
});

export const ADDRESSING_VERSIONS: readonly AddressingVersion[] = [WSA10, WSA200408];

/** The message addressing properties this engine processes (the rest of either namespace is refused). */
export const ADDRESSING_HEADERS: readonly string[] = [
  'Action',
  'To',
  'MessageID',
  'ReplyTo',
  'FaultTo',
  'From',
  'RelatesTo',
];

export function addressingVersionOf(ns: string): AddressingVersion | undefined {
  return ns === WSA10.ns ? WSA10 : ns === WSA200408.ns ? WSA200408 : undefined;
}
