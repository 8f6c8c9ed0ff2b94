/**
 * Throttles password guessing and forged-signature floods. The WS-Security interceptor refuses bad
 * credentials with a fault before the per-partner rate limiter ever runs, and each attempt costs a password
 * hash; this interceptor, placed before the security interceptor, counts authentication faults
 * (handleFault) and, past a limit, refuses further attempts for a while with 429 and Retry-After before any
 * credential is checked (handleRequest). Counted in Redis when given, so all instances agree.
 *
 * Two counters: per client address and username (the tight one: guessing one partner's password), and per
 * client address alone with a higher limit (spraying many usernames). Keying the tight counter by username
 * too means a guesser cannot lock every partner out of an address shared by many (a NAT, or a proxy not
 * listed in trustedProxies); it can only lock out the username it attacks, from its own address.
 */
import { SoapFault, type QName, type EngineLogger, type SoapExchange, type SoapInterceptor } from '../soap';
import { basicCredentials } from '../soap/security';
import { clientAddressResolver } from './client-address';
import { OPS_NAMESPACE } from './rate-limit';
import type { RedisCircuit } from './redis';
import { sharedLimiter, type SharedLimiter } from './shared-limiter';

export const AUTHENTICATION_THROTTLED: QName = { ns: OPS_NAMESPACE, local: 'AuthenticationThrottled', prefix: 'ops' };

const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** Refusals that mean "these credentials are wrong" (not expired timestamps or policy problems). */
const CREDENTIAL_FAILURES = new Set(['FailedAuthentication', 'FailedCheck', 'InvalidSecurityToken']);

export function isCredentialFailure(fault: SoapFault): boolean {
  return fault.subcode?.ns === WSSE_NS && CREDENTIAL_FAILURES.has(fault.subcode.local);
}

export interface AuthFailureLimitOptions {
  /** Failures allowed per address and username per window. */
  points: number;
  /** Failures allowed per address (any usernames) per window; default 5 x points. */
  addressPoints?: number;
  durationSeconds: number;
  /** How long an address is refused once over the limit. */
  blockSeconds: number;
  /** Counted in Redis through this circuit (per instance while Redis is unavailable). */
  redis?: RedisCircuit;
  keyPrefix?: string;
  /** Proxies whose X-Forwarded-For is believed (server.trustedProxies). */
  trustedProxies?: readonly string[];
  isFailure?: (fault: SoapFault) => boolean;
  onReject?: (limiter: 'authentication-failures') => void;
  /** Called each time a count falls back to this instance because Redis is unavailable. */
  onFallback?: () => void;
  logger?: EngineLogger;
}

/** The UsernameToken's Username in the request's wsse:Security header, else the HTTP Basic user name, if any. */
function attemptedUsername(exchange: SoapExchange): string | undefined {
  if (exchange.envelope === undefined)
    return basicCredentials(exchange.request.httpHeaders.authorization)?.username.slice(0, 128) || undefined;
  for (const block of exchange.envelope?.headers ?? []) {
    if (block.element.ns !== WSSE_NS || block.element.local !== 'Security') continue;
    for (const token of block.element.children) {
      if (token.ns !== WSSE_NS || token.local !== 'UsernameToken') continue;
      const username = token.children.find((child) => child.ns === WSSE_NS && child.local === 'Username')?.text.trim();
      if (username) return username.slice(0, 128);
    }
  }
  return undefined;
}

export function authFailureLimitInterceptor(options: AuthFailureLimitOptions): SoapInterceptor {
  const keyPrefix = `${options.keyPrefix ?? 'partner-orders:rl'}:authfail`;
  const makeLimiter = (points: number, prefix: string): SharedLimiter =>
    sharedLimiter(
      { points, duration: options.durationSeconds, blockDuration: options.blockSeconds, keyPrefix: prefix },
      options.redis,
      options.onFallback,
    );
  const addressPoints = options.addressPoints ?? options.points * 5;
  const counters = [
    {
      limiter: makeLimiter(options.points, `${keyPrefix}:user`),
      points: options.points,
      key: (address: string, username?: string) => (username === undefined ? undefined : `${address}|${username}`),
    },
    {
      limiter: makeLimiter(addressPoints, `${keyPrefix}:addr`),
      points: addressPoints,
      key: (address: string) => address,
    },
  ];
  const clientAddress = clientAddressResolver(options.trustedProxies ?? []);
  const isFailure = options.isFailure ?? isCredentialFailure;

  return {
    name: 'auth-failure-limit',
    async handleRequest(exchange: SoapExchange): Promise<void> {
      const address = clientAddress(exchange.request);
      const username = attemptedUsername(exchange);
      let msBeforeNext = 0;
      for (const counter of counters) {
        const key = counter.key(address, username);
        if (key === undefined) continue;
        try {
          const state = await counter.limiter.get(key);
          if (state !== null && state.consumedPoints > counter.points)
            msBeforeNext = Math.max(msBeforeNext, state.msBeforeNext);
        } catch (error) {
          options.logger?.warn('authentication failure counter unavailable', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      if (msBeforeNext === 0) return;
      const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
      options.onReject?.('authentication-failures');
      exchange.httpHeaders['Retry-After'] = String(retryAfter);
      throw new SoapFault<never>({
        code: 'Sender',
        reason: `Too many failed authentication attempts; retry after ${retryAfter} s`,
        subcode: AUTHENTICATION_THROTTLED,
        httpStatus: 429,
        httpHeaders: { 'Retry-After': String(retryAfter) },
      });
    },
    async handleFault(exchange: SoapExchange, fault: SoapFault): Promise<void> {
      if (!isFailure(fault)) return;
      const address = clientAddress(exchange.request);
      const username = attemptedUsername(exchange);
      for (const counter of counters) {
        const key = counter.key(address, username);
        if (key === undefined) continue;
        try {
          await counter.limiter.consume(key);
        } catch (rejection) {
          // A RateLimiterRes rejection means the key is now blocked; this request has failed anyway.
          if (rejection instanceof Error)
            options.logger?.warn('authentication failure counter unavailable', { error: rejection.message });
        }
      }
    },
  };
}
