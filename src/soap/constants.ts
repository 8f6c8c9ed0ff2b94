/** SOAP 1.1 and 1.2 namespace URIs, roles and media types, written once for the whole engine. */

export const SOAP11_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** The header roles (SOAP 1.2) and actor (SOAP 1.1) that address this receiver besides "no role". */
export const SOAP11_ACTOR_NEXT = 'http://schemas.xmlsoap.org/soap/actor/next';
export const SOAP12_ROLE_NEXT = 'http://www.w3.org/2003/05/soap-envelope/role/next';
export const SOAP12_ROLE_ULTIMATE_RECEIVER = 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver';

/** Media types that select the SOAP version of a request, and the Content-Types of responses. */
export const SOAP11_MEDIA_TYPE = 'text/xml';
export const SOAP12_MEDIA_TYPE = 'application/soap+xml';
export const SOAP11_CONTENT_TYPE = `${SOAP11_MEDIA_TYPE}; charset=utf-8`;
export const SOAP12_CONTENT_TYPE = `${SOAP12_MEDIA_TYPE}; charset=utf-8`;
