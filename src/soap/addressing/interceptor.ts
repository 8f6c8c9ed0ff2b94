/**
 * The WS-Addressing interceptor (WS-Addressing 1.0 Core + SOAP binding, and the 2004/08 submission):
 * understands Action, To, MessageID, ReplyTo, FaultTo, From and RelatesTo (so mustUnderstand="1" is
 * satisfied), checks that wsa:Action names the routed operation, and gives every reply to an addressed
 * request its own wsa:Action, a new wsa:MessageID, wsa:RelatesTo the request's MessageID and wsa:To the
 * anonymous address.
 *
 * Replies travel on the HTTP back channel only: a ReplyTo other than anonymous (and a FaultTo other than
 * anonymous or none) is refused with the standard fault rather than silently answered elsewhere.
 *
 * Conventions: the reply header blocks are added in handleRequest (so a fault raised by any later
 * interceptor, the handler or this interceptor carries them too); handleFault only swaps the Action for
 * the fault's. Which header node is read is the unique header block of that name; when the message is
 * signed, the WS-Security interceptor has already checked that a signed header block is that very node.
 * The interceptor must therefore come first in the list (createSoapEndpoint puts it there).
 */
import { randomUUID } from 'node:crypto';
import { escapeXml } from '../envelope-write';
import { SoapFault, type QName } from '../fault';
import type { SoapExchange, SoapHeaderBlock, SoapInterceptor } from '../pipeline';
import type { ContractModel } from '../schema/model';
import type { XmlElement } from '../xml/element';
import { WSP_NS } from '../policy';
import { ActionTable, type OperationActions } from './actions';
import {
  ADDRESSING_HEADERS,
  ADDRESSING_VERSIONS,
  WSA10,
  addressingVersionOf,
  type AddressingVersion,
} from './versions';

export const WS_ADDRESSING_INTERCEPTOR = 'ws-addressing';
const WSAM_NS = 'http://www.w3.org/2007/05/addressing/metadata';

export interface AddressingOptions {
  /**
   * Refuse requests that carry no WS-Addressing header (wsam:Addressing without wsp:Optional in the
   * WSDL's policy). Default false: addressing is used when the client uses it.
   */
  readonly required?: boolean;
}

/** The message addressing properties of one request, as read from its (unique) header blocks. */
export interface AddressingProperties {
  readonly version: AddressingVersion;
  readonly action: string | undefined;
  readonly to: string | undefined;
  readonly messageId: string | undefined;
  readonly replyTo: string | undefined;
  readonly faultTo: string | undefined;
}

interface AddressingState {
  readonly properties: AddressingProperties;
  readonly actions: OperationActions | undefined;
  /** Index in exchange.responseHeaders of the reply's wsa:Action block. */
  readonly actionIndex: number;
}

/** Faults this interceptor raised: they carry the addressing fault action. */
const addressingFaults = new WeakSet<SoapFault>();

function addressingFault(version: AddressingVersion, subcode: string, reason: string): SoapFault {
  const fault = new SoapFault({
    code: 'Sender',
    reason,
    subcode: { ns: version.ns, local: subcode, prefix: 'wsa' },
    subcodeIsFaultcode11: true,
  });
  addressingFaults.add(fault);
  return fault;
}

function block(version: AddressingVersion, local: string, value: string): string {
  return `<wsa:${local} xmlns:wsa="${version.ns}">${escapeXml(value)}</wsa:${local}>`;
}

/** The text of the Address child of an endpoint reference; undefined when it has none. */
function addressOf(epr: XmlElement, version: AddressingVersion): string | undefined {
  const address = epr.children.find((c) => c.ns === version.ns && c.local === 'Address');
  return address?.text.trim();
}

/** Reads the addressing header blocks; undefined when the message uses no WS-Addressing at all. */
export function readAddressingProperties(headers: readonly SoapHeaderBlock[]): AddressingProperties | undefined {
  let version: AddressingVersion | undefined;
  const found = new Map<string, XmlElement>();
  for (const header of headers) {
    const el = header.element;
    const seen = addressingVersionOf(el.ns);
    if (seen === undefined) continue;
    if (version !== undefined && version !== seen) {
      throw addressingFault(
        WSA10,
        WSA10.faults.invalidHeader,
        `The message mixes WS-Addressing ${version.name} and ${seen.name} headers`,
      );
    }
    version = seen;
    if (!ADDRESSING_HEADERS.includes(el.local) || el.local === 'RelatesTo') continue;
    if (found.has(el.local)) {
      throw addressingFault(
        seen,
        seen.faults.invalidHeader,
        `More than one wsa:${el.local} header (invalid cardinality)`,
      );
    }
    found.set(el.local, el);
  }
  if (version === undefined) return undefined;
  const v = version;
  const text = (local: string) => found.get(local)?.text.trim();
  const address = (local: string) => {
    const epr = found.get(local);
    if (epr === undefined) return undefined;
    const value = addressOf(epr, v);
    if (value === undefined) throw addressingFault(v, v.faults.invalidHeader, `wsa:${local} has no wsa:Address`);
    return value;
  };
  return {
    version: v,
    action: text('Action'),
    to: text('To'),
    messageId: text('MessageID'),
    replyTo: address('ReplyTo'),
    faultTo: address('FaultTo'),
  };
}

function missingHeaders(properties: AddressingProperties, expectsReply: boolean): string[] {
  const present: Record<string, string | undefined> = {
    Action: properties.action,
    To: properties.to,
    MessageID: properties.messageId,
  };
  const required = [...properties.version.alwaysRequired, ...(expectsReply ? ['MessageID'] : [])];
  return required.filter((name) => present[name] === undefined || present[name] === '');
}

function checkRequest(
  exchange: SoapExchange,
  properties: AddressingProperties,
  actions: OperationActions | undefined,
): void {
  const { version } = properties;
  const missing = missingHeaders(properties, actions?.output !== undefined);
  if (missing.length > 0) {
    throw addressingFault(
      version,
      version.faults.headerRequired,
      `Required WS-Addressing header${missing.length > 1 ? 's' : ''} missing: ${missing.map((m) => `wsa:${m}`).join(', ')}`,
    );
  }
  const action = properties.action ?? '';
  if (actions === undefined || !actions.input.has(action)) {
    const expected =
      actions === undefined
        ? ''
        : `; ${exchange.operation?.name ?? 'this operation'} accepts ${[...actions.input].map((a) => `'${a}'`).join(' or ')}`;
    throw addressingFault(
      version,
      version.faults.actionNotSupported,
      `The action '${action}' is not supported by this endpoint${expected}`,
    );
  }
  const soapAction = exchange.request.soapAction;
  if (soapAction !== undefined && soapAction !== '' && soapAction !== action) {
    throw addressingFault(
      version,
      version.faults.actionMismatch,
      `The SOAP action '${soapAction}' differs from wsa:Action '${action}'`,
    );
  }
  if (properties.replyTo !== undefined && properties.replyTo !== version.anonymous) {
    throw addressingFault(
      version,
      version.faults.onlyAnonymous,
      `Only the anonymous address is supported for wsa:ReplyTo (replies travel in the HTTP response), not '${properties.replyTo}'`,
    );
  }
  if (
    properties.faultTo !== undefined &&
    properties.faultTo !== version.anonymous &&
    properties.faultTo !== version.none
  ) {
    throw addressingFault(
      version,
      version.faults.onlyAnonymous,
      `Only the anonymous address is supported for wsa:FaultTo (faults travel in the HTTP response), not '${properties.faultTo}'`,
    );
  }
}

/** The addressing interceptor of one served service; `contract` and `service` give the operations' actions. */
export function addressingInterceptor(
  contract: ContractModel,
  service: string,
  options: AddressingOptions = {},
): SoapInterceptor {
  const table = new ActionTable(contract, service);
  const understands: QName[] = ADDRESSING_VERSIONS.flatMap((v) =>
    ADDRESSING_HEADERS.map((local) => ({ ns: v.ns, local, prefix: 'wsa' })),
  );

  const optional = options.required === true ? '' : ` wsp:Optional="true"`;
  return {
    name: WS_ADDRESSING_INTERCEPTOR,
    understands,
    // WS-Addressing Metadata 1.0 section 3.1: addressing supported (optional) or required; anonymous
    // responses only (3.1.3).
    policy: {
      common: [
        `<wsam:Addressing xmlns:wsam="${WSAM_NS}" xmlns:wsp="${WSP_NS}"${optional}><wsp:Policy><wsam:AnonymousResponses/></wsp:Policy></wsam:Addressing>`,
      ],
    },

    handleRequest(exchange: SoapExchange): void {
      const envelope = exchange.envelope;
      if (envelope === undefined) return;
      const properties = readAddressingProperties(envelope.headers);
      if (properties === undefined) {
        if (options.required === true) {
          throw addressingFault(
            WSA10,
            WSA10.faults.headerRequired,
            'This endpoint requires WS-Addressing: wsa:Action is missing',
          );
        }
        return;
      }
      const { version } = properties;
      const actions = exchange.operation === undefined ? undefined : table.of(version, exchange.operation.name);
      // The reply's headers first, so that every fault below (and later) is addressed too.
      const actionIndex = exchange.responseHeaders.length;
      exchange.responseHeaders.push(block(version, 'Action', actions?.output ?? version.soapFaultAction));
      exchange.responseHeaders.push(block(version, 'MessageID', `urn:uuid:${randomUUID()}`));
      if (properties.messageId !== undefined && properties.messageId !== '') {
        exchange.responseHeaders.push(block(version, 'RelatesTo', properties.messageId));
      }
      exchange.responseHeaders.push(block(version, 'To', version.anonymous));
      const state: AddressingState = { properties, actions, actionIndex };
      exchange.attributes.set(WS_ADDRESSING_INTERCEPTOR, state);
      checkRequest(exchange, properties, actions);
    },

    handleFault(exchange: SoapExchange, fault: SoapFault): void {
      const state = exchange.attributes.get(WS_ADDRESSING_INTERCEPTOR) as AddressingState | undefined;
      if (state === undefined) return;
      const final = exchange.fault ?? fault;
      const { version } = state.properties;
      let action = version.soapFaultAction;
      if (addressingFaults.has(final)) action = version.addressingFaultAction;
      else if (final.detail !== undefined) action = state.actions?.faults.get(final.detail.element) ?? action;
      exchange.responseHeaders[state.actionIndex] = block(version, 'Action', action);
    },
  };
}
