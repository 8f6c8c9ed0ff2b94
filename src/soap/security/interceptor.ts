/**
 * The WS-Security interceptor: authenticates every request from its wsse:Security header (Timestamp,
 * UsernameToken, X.509 signature), puts the partner on the exchange, and signs responses for partners
 * whose policy asks for it. Storage is reached only through CredentialStore and ReplayCache.
 */
import { SoapFault, type QName } from '../fault';
import type { EngineLogger, SoapExchange, SoapInterceptor } from '../pipeline';
import { domNodeOf } from '../xml/dom';
import { WSSE_NS } from './constants';
import { WssFault, wssFault } from './faults';
import type { ReplayCache } from './replay-cache';
import { signResponseEnvelope, type ServiceKey } from './response-signer';
import { processSecurityHeader, type SecurityOutcome } from './security-header';
import type { CredentialStore } from './store';
import type { PasswordCheck } from './verified-passwords';
import { USERNAME_TOKEN_OVER_HTTPS, X509_SIGNATURE } from './policy';

export const WS_SECURITY_INTERCEPTOR = 'ws-security';
export const WSSE_SECURITY_QNAME: QName = { ns: WSSE_NS, local: 'Security', prefix: 'wsse' };

export interface WsSecurityOptions {
  readonly store: CredentialStore;
  readonly replayCache: ReplayCache;
  /** Current time; injectable for tests. */
  readonly clock?: () => Date;
  /** Oldest accepted Timestamp / UsernameToken Created, in seconds (default 300). */
  readonly maxAgeSeconds?: number;
  /** How far in the future Created may be, for clock skew, in seconds (default 60). */
  readonly futureSkewSeconds?: number;
  /** Bound on the canonical octets a signature's References digest together (default MAX_SIGNED_BYTES, 8 MiB). */
  readonly maxSignedBytes?: number;
  /** Key and certificate that sign responses for partners whose policy has signResponse. */
  readonly serviceKey?: ServiceKey;
  readonly logger?: EngineLogger;
  /** How PasswordText is checked (default: scrypt every time; cachedPasswordCheck remembers successes). */
  readonly checkPassword?: PasswordCheck;
}

/** What the interceptor leaves in exchange.attributes under WS_SECURITY_INTERCEPTOR. */
export type WsSecurityState = SecurityOutcome;

export function wsSecurityInterceptor(options: WsSecurityOptions): SoapInterceptor {
  const clock = options.clock ?? (() => new Date());
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  const futureSkewSeconds = options.futureSkewSeconds ?? 60;
  const log = (exchange: SoapExchange) => options.logger ?? exchange.log;

  return {
    name: WS_SECURITY_INTERCEPTOR,
    understands: [WSSE_SECURITY_QNAME],
    policy: { alternatives: [USERNAME_TOKEN_OVER_HTTPS, X509_SIGNATURE] },

    async handleRequest(exchange: SoapExchange): Promise<void> {
      const envelope = exchange.envelope;
      if (!envelope) throw wssFault('InvalidSecurity', 'no parsed envelope');
      try {
        const outcome = await processSecurityHeader(
          {
            envelope,
            nodeOf: domNodeOf,
            now: clock(),
            clientCertificate: exchange.request.clientCertificate,
          },
          {
            store: options.store,
            replayCache: options.replayCache,
            maxAgeSeconds,
            futureSkewSeconds,
            checkPassword: options.checkPassword,
            maxSignedBytes: options.maxSignedBytes,
          },
        );
        exchange.principal = outcome.principal;
        if (outcome.header !== undefined) exchange.understood.add(outcome.header.element);
        exchange.attributes.set(WS_SECURITY_INTERCEPTOR, outcome);
        log(exchange).debug('ws-security: authenticated', {
          partner: outcome.principal.id,
          by: outcome.principal.authenticatedBy,
        });
      } catch (error) {
        if (error instanceof WssFault) {
          log(exchange).warn('ws-security: request rejected', { fault: error.wssCode, why: error.why });
          throw error;
        }
        // An answer a store already decided (503 + Retry-After while it is unavailable): the outage is logged
        // once where it is detected, not once per request here.
        if (error instanceof SoapFault) throw error;
        // Not the client's fault (e.g. the credential store is unreachable): the engine answers a generic
        // Receiver fault for it and logs the details.
        log(exchange).error('ws-security: could not process the Security header', { error: (error as Error).message });
        throw error;
      }
    },

    handleResponse(exchange: SoapExchange): void {
      const state = exchange.attributes.get(WS_SECURITY_INTERCEPTOR) as WsSecurityState | undefined;
      if (!state?.policy.signResponse || !exchange.response) return;
      if (!options.serviceKey) {
        // Our configuration is wrong, not the request: answer with a Receiver fault rather than unsigned data.
        log(exchange).error('ws-security: partner policy asks for signed responses but no service key is configured');
        throw SoapFault.receiver('The response could not be secured');
      }
      exchange.response.xml = signResponseEnvelope(exchange.response.xml, options.serviceKey, {
        now: clock(),
        ttlSeconds: maxAgeSeconds,
      });
    },
  };
}
