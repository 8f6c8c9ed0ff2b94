/**
 * The caller's address for per-address limits and logs: the TCP peer, unless that peer is a trusted proxy,
 * in which case X-Forwarded-For is walked from the right, skipping trusted proxies, to the first address
 * nobody we trust vouches for. Entries a client could have forged (left of an untrusted hop) are ignored.
 */
import { isIP } from 'node:net';
import { type SoapRequestInfo, TrustedProxies, normalizeAddress } from '../soap';

export type ClientAddressResolver = (request: Pick<SoapRequestInfo, 'remoteAddress' | 'httpHeaders'>) => string;

export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressResolver {
  const proxies = new TrustedProxies(trustedProxies);
  return (request) => {
    let address = normalizeAddress(request.remoteAddress);
    if (!proxies.isTrusted(address)) return address;
    const header = request.httpHeaders['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => hop.trim())
      .filter((hop) => hop !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeAddress(hops[i]);
      if (isIP(hop) === 0) return address;
      address = hop;
      if (!proxies.isTrusted(hop)) return hop;
    }
    return address;
  };
}
