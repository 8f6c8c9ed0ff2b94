/**
 * WS-Security faults (WSS 1.1 section 12): the SOAP 1.1 faultcode is the wsse QName itself, the SOAP 1.2
 * Subcode carries it under Sender. Reasons stay generic so a fault never tells whether a user exists.
 */
import { SoapFault } from '../fault';
import { WSSE_NS } from './constants';

export type WssFaultCode =
  | 'UnsupportedSecurityToken'
  | 'UnsupportedAlgorithm'
  | 'InvalidSecurity'
  | 'InvalidSecurityToken'
  | 'FailedAuthentication'
  | 'FailedCheck'
  | 'SecurityTokenUnavailable'
  | 'MessageExpired';

/** The reason strings of WSS 1.1 table 12-2, deliberately unspecific. */
const STANDARD_REASONS: Record<WssFaultCode, string> = {
  UnsupportedSecurityToken: 'An unsupported token was provided',
  UnsupportedAlgorithm: 'An unsupported signature or encryption algorithm was used',
  InvalidSecurity: 'An error was discovered processing the <wsse:Security> header',
  InvalidSecurityToken: 'An invalid security token was provided',
  FailedAuthentication: 'The security token could not be authenticated or authorized',
  FailedCheck: 'The signature or decryption was invalid',
  SecurityTokenUnavailable: 'Referenced security token could not be retrieved',
  MessageExpired: 'The message has expired',
};

/**
 * A WS-Security fault. `why` is for the server log only (kept on the error as `cause`), never sent.
 */
export class WssFault extends SoapFault<never> {
  readonly wssCode: WssFaultCode;
  readonly why: string;

  constructor(wssCode: WssFaultCode, why: string) {
    super({
      code: 'Sender',
      reason: STANDARD_REASONS[wssCode],
      subcode: { ns: WSSE_NS, local: wssCode, prefix: 'wsse' },
      subcodeIsFaultcode11: true,
    });
    this.wssCode = wssCode;
    this.why = why;
  }
}

export const wssFault = (code: WssFaultCode, why: string): WssFault => new WssFault(code, why);
