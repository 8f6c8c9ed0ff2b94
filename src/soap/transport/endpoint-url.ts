/**
 * The endpoint URL as the client used it: scheme and host from the request, X-Forwarded-Proto and
 * X-Forwarded-Host only when the TCP peer is a configured trusted proxy. The result is written into
 * served WSDLs, so every part is validated; anything suspicious falls back to the socket's own view.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const PROTO = /^https?$/;

/** Normalizes IPv4-mapped IPv6 (`::ffff:10.0.0.1`) to plain IPv4 so CIDR lists work either way. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  /** Entries are IPs (`10.0.0.1`, `::1`) or CIDRs (`10.0.0.0/8`, `fd00::/8`). Invalid entries throw at start-up. */
  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      const [address = '', bits] = entry.trim().split('/');
      const family = isIP(address);
      if (family === 0) throw new Error(`trustedProxies: '${entry}' is not an IP address or CIDR`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) {
        this.list.addAddress(address, type);
      } else {
        const prefix = Number(bits);
        if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128))
          throw new Error(`trustedProxies: '${entry}' has an invalid prefix length`);
        this.list.addSubnet(address, prefix, type);
      }
    }
  }

  isTrusted(remoteAddress: string | undefined): boolean {
    if (this.empty || remoteAddress === undefined) return false;
    const address = normalizeAddress(remoteAddress);
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return (comma < 0 ? value : value.slice(0, comma)).trim();
}

function socketHost(req: IncomingMessage): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const port = req.socket.localPort;
  const host = isIP(normalizeAddress(address)) === 6 ? `[${address}]` : normalizeAddress(address);
  return port === undefined ? host : `${host}:${port}`;
}

/** Scheme + host + path (no query) of the request, e.g. `https://partners.example.com/soap/v1`. */
export function requestEndpointUrl(req: IncomingMessage, pathname: string, proxies: TrustedProxies): string {
  let proto = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
  let host = firstValue(req.headers.host);
  if (proxies.isTrusted(req.socket.remoteAddress)) {
    const forwardedProto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
    if (forwardedProto !== undefined && PROTO.test(forwardedProto)) proto = forwardedProto;
    const forwardedHost = firstValue(req.headers['x-forwarded-host']);
    if (forwardedHost !== undefined && HOST.test(forwardedHost)) host = forwardedHost;
  }
  if (host === undefined || !HOST.test(host)) host = socketHost(req);
  return `${proto}://${host}${pathname}`;
}

/** The path part of a request target (`/soap/echo?wsdl` -> `/soap/echo`). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The query part without '?' ('' when none). */
export function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}
