/**
 * SoapFault -> SOAP 1.1 or SOAP 1.2 fault envelope with the HTTP status and headers to send.
 *
 * The detail element (a declared fault's typed detail) is encoded through the schema by the caller and
 * passed in as XML text, so this module stays free of the codec. Nothing here ever looks at `cause` or
 * `stack`: only the fault's code, reason, subcode and detail reach the client.
 */
import type { FaultCode, QName, SoapFault } from './fault';
import type { SoapVersion } from './schema/model';
import { SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS } from './constants';
import { escapeXml, escapeXmlText, soapContentType, wrapEnvelope } from './envelope-write';

export interface EncodedFault {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** HTTP headers to set besides Content-Type (the fault's own `httpHeaders`). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface FaultEncodeOptions {
  /** The declared detail element, already serialized (one complete element with its namespace declarations). */
  readonly detailXml?: string;
  /** SOAP header blocks for the fault envelope (e.g. SOAP 1.2 NotUnderstood, interceptors' response headers). */
  readonly headerBlocks?: readonly string[];
}

const CODE_11: Readonly<Record<FaultCode, string>> = {
  Sender: 'Client',
  Receiver: 'Server',
  MustUnderstand: 'MustUnderstand',
  VersionMismatch: 'VersionMismatch',
  // SOAP 1.1 has no DataEncodingUnknown; the sender chose the encoding, so it is the sender's problem.
  DataEncodingUnknown: 'Client',
};

const NCNAME = /^[A-Za-z_][\w.-]*$/;
const EMPTY_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export function defaultFaultStatus(code: FaultCode, version: SoapVersion): number {
  if (version === '1.1') return 500;
  return code === 'Sender' || code === 'DataEncodingUnknown' ? 400 : 500;
}

/** `<el xmlns:p="ns">p:local</el>`-style content for a QName-valued element; returns [nsDecl, text]. */
function qnameValue(q: QName, avoidPrefix: string): [string, string] {
  if (q.ns === '') return ['', escapeXml(q.local)];
  let prefix = q.prefix !== undefined && NCNAME.test(q.prefix) && q.prefix !== 'xml' ? q.prefix : 'c';
  if (prefix === avoidPrefix) prefix = 'c';
  return [` xmlns:${prefix}="${escapeXml(q.ns)}"`, `${prefix}:${escapeXml(q.local)}`];
}

// SOAP 1.1: the faultcode QName's namespace is declared on soap:Fault, so faultcode is plain QName text as
// in the specification's examples (and as WS-Security's faultcodes are usually matched).
function fault11(fault: SoapFault, detailXml: string | undefined): string {
  let faultcode: string;
  let decl = '';
  if (fault.subcode !== undefined && fault.subcodeIsFaultcode11) {
    const [subcodeDecl, value] = qnameValue(fault.subcode, 'soap');
    decl = subcodeDecl;
    faultcode = `<faultcode>${value}</faultcode>`;
  } else {
    faultcode = `<faultcode>soap:${CODE_11[fault.code]}</faultcode>`;
  }
  const detail = detailXml === undefined ? '' : `<detail>${detailXml}</detail>`;
  return (
    `<soap:Fault${decl}>${faultcode}` +
    `<faultstring xml:lang="${escapeXml(fault.lang)}">${escapeXmlText(fault.reason)}</faultstring>` +
    `${detail}</soap:Fault>`
  );
}

function fault12(fault: SoapFault, detailXml: string | undefined): string {
  let subcode = '';
  if (fault.subcode !== undefined) {
    const [decl, value] = qnameValue(fault.subcode, 'soap');
    subcode = `<soap:Subcode><soap:Value${decl}>${value}</soap:Value></soap:Subcode>`;
  }
  const detail = detailXml === undefined ? '' : `<soap:Detail>${detailXml}</soap:Detail>`;
  return (
    `<soap:Fault><soap:Code><soap:Value>soap:${fault.code}</soap:Value>${subcode}</soap:Code>` +
    `<soap:Reason><soap:Text xml:lang="${escapeXml(fault.lang)}">${escapeXmlText(fault.reason)}</soap:Text></soap:Reason>` +
    `${detail}</soap:Fault>`
  );
}

export function encodeFault(fault: SoapFault, version: SoapVersion, options: FaultEncodeOptions = {}): EncodedFault {
  const content = version === '1.1' ? fault11(fault, options.detailXml) : fault12(fault, options.detailXml);
  return {
    status: fault.httpStatus ?? defaultFaultStatus(fault.code, version),
    contentType: soapContentType(version),
    body: wrapEnvelope(version, options.headerBlocks ?? [], content),
    headers: fault.httpHeaders ?? EMPTY_HEADERS,
  };
}

/** The SOAP 1.2 `NotUnderstood` header block for one header the receiver did not understand. */
export function notUnderstoodBlock(q: QName): string {
  const [decl, value] = qnameValue(q, 'soap');
  return `<soap:NotUnderstood qname="${value}"${decl}/>`;
}

/**
 * The SOAP 1.2 `Upgrade` header block (SOAP 1.2 part 1, 5.4.7) for VersionMismatch faults: the envelope
 * versions this node supports, in order of preference. Written with its own prefix so it fits a SOAP 1.1
 * fault too (part 1, appendix A).
 */
export function upgradeBlock(versions: readonly SoapVersion[]): string {
  const supported = versions
    .map(
      (v) =>
        `<u:SupportedEnvelope qname="e:Envelope" xmlns:e="${v === '1.1' ? SOAP11_ENVELOPE_NS : SOAP12_ENVELOPE_NS}"/>`,
    )
    .join('');
  return `<u:Upgrade xmlns:u="${SOAP12_ENVELOPE_NS}">${supported}</u:Upgrade>`;
}
