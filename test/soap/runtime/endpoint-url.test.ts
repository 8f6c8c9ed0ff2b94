import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { TrustedProxies, requestEndpointUrl } from '../../../src/soap/transport/endpoint-url';

function fakeRequest(headers: Record<string, string>, remoteAddress: string): IncomingMessage {
  return {
    headers,
    socket: { remoteAddress, localAddress: '127.0.0.1', localPort: 8080 },
  } as unknown as IncomingMessage;
}

describe('transport endpoint URL', () => {
  const proxies = new TrustedProxies(['10.0.0.0/8', '::1', '192.168.1.5']);

  it('matches IPs, CIDRs and IPv4-mapped IPv6', () => {
    assert.equal(proxies.isTrusted('10.1.2.3'), true);
    assert.equal(proxies.isTrusted('::ffff:10.1.2.3'), true);
    assert.equal(proxies.isTrusted('::1'), true);
    assert.equal(proxies.isTrusted('192.168.1.5'), true);
    assert.equal(proxies.isTrusted('192.168.1.6'), false);
    assert.equal(proxies.isTrusted(undefined), false);
    assert.equal(new TrustedProxies([]).isTrusted('10.0.0.1'), false);
  });

  it('rejects invalid entries at start-up', () => {
    assert.throws(() => new TrustedProxies(['not-an-ip']), /not an IP/);
    assert.throws(() => new TrustedProxies(['10.0.0.0/33']), /prefix length/);
  });

  it('honours X-Forwarded-Proto/Host only from trusted peers', () => {
    const headers = {
      host: 'internal:8080',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'partners.example.com, proxy2',
    };
    assert.equal(
      requestEndpointUrl(fakeRequest(headers, '10.9.9.9'), '/soap/v1', proxies),
      'https://partners.example.com/soap/v1',
    );
    assert.equal(
      requestEndpointUrl(fakeRequest(headers, '8.8.8.8'), '/soap/v1', proxies),
      'http://internal:8080/soap/v1',
    );
  });

  it('ignores malformed forwarded values and falls back to the socket for a bad Host', () => {
    const headers = { host: 'evil"><x', 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'a b' };
    assert.equal(requestEndpointUrl(fakeRequest(headers, '10.0.0.1'), '/e', proxies), 'http://127.0.0.1:8080/e');
  });
});
