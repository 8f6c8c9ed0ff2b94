/**
 * Throttles password guessing and forged-signature floods per client address. The WS-Security interceptor
 * refuses bad credentials with a fault before the per-partner rate limiter ever runs, and each attempt costs
 * a password hash; this interceptor, placed before the security interceptor, counts authentication faults
 * per address (handleFault) and, past the limit, refuses that address for a while with 429 and Retry-After
 * before any credential is checked (handleRequest). Counted in Redis when given, so all instances agree.
 */
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { SoapFault, type QName } from '../soap/fault';
import type { EngineLogger, SoapExchange, SoapInterceptor } from '../soap/pipeline';
import { clientAddressResolver } from './client-address';
import { OPS_NAMESPACE } from './rate-limit';

export const AUTHENTICATION_THROTTLED: QName = { ns: OPS_NAMESPACE, local: 'AuthenticationThrottled', prefix: 'ops' };

const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** Refusals that mean "these credentials are wrong" (not expired timestamps or policy problems). */
const CREDENTIAL_FAILURES = new Set(['FailedAuthentication', 'FailedCheck', 'InvalidSecurityToken']);

export function isCredentialFailure(fault: SoapFault): boolean {
  return fault.subcode?.ns === WSSE_NS && CREDENTIAL_FAILURES.has(fault.subcode.local);
}

export interface AuthFailureLimitOptions {
  /** Failures allowed per address per window. */
  points: number;
  durationSeconds: number;
  /** How long an address is refused once over the limit. */
  blockSeconds: number;
  redis?: Redis;
  keyPrefix?: string;
  /** Proxies whose X-Forwarded-For is believed (server.trustedProxies). */
  trustedProxies?: readonly string[];
  isFailure?: (fault: SoapFault) => boolean;
  onReject?: (limiter: 'authentication-failures') => void;
  logger?: EngineLogger;
}

export function authFailureLimitInterceptor(options: AuthFailureLimitOptions): SoapInterceptor {
  const settings = {
    points: options.points,
    duration: options.durationSeconds,
    blockDuration: options.blockSeconds,
    keyPrefix: `${options.keyPrefix ?? 'partner-orders:rl'}:authfail`,
  };
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ ...settings, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(settings) })
    : new RateLimiterMemory(settings);
  const clientAddress = clientAddressResolver(options.trustedProxies ?? []);
  const isFailure = options.isFailure ?? isCredentialFailure;

  return {
    name: 'auth-failure-limit',
    async handleRequest(exchange: SoapExchange): Promise<void> {
      const address = clientAddress(exchange.request);
      let state;
      try {
        state = await limiter.get(address);
      } catch (error) {
        options.logger?.warn('authentication failure counter unavailable', { error: error instanceof Error ? error.message : String(error) });
        return;
      }
      if (state === null || state.consumedPoints <= options.points) return;
      const retryAfter = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
      options.onReject?.('authentication-failures');
      exchange.httpHeaders['Retry-After'] = String(retryAfter);
      throw new SoapFault<never>({
        code: 'Sender',
        reason: `Too many failed authentication attempts from this address; retry after ${retryAfter} s`,
        subcode: AUTHENTICATION_THROTTLED,
        httpStatus: 429,
        httpHeaders: { 'Retry-After': String(retryAfter) },
      });
    },
    async handleFault(exchange: SoapExchange, fault: SoapFault): Promise<void> {
      if (!isFailure(fault)) return;
      const address = clientAddress(exchange.request);
      try {
        await limiter.consume(address);
      } catch (rejection) {
        // Over the limit: the address is now blocked; this request already failed anyway.
        if (rejection instanceof Error) options.logger?.warn('authentication failure counter unavailable', { error: rejection.message });
        else options.logger?.warn('address blocked after repeated authentication failures', { address });
      }
    },
  };
}
