import assert from 'node:assert/strict';
import { SoapFault, type SoapExchange, type SoapInterceptor, type XmlElement } from '../../src/soap';
import { AUTHENTICATION_THROTTLED, authFailureLimitInterceptor } from '../../src/ops/auth-failure-limit';
import { clientAddressResolver } from '../../src/ops/client-address';
import { makeExchange } from './exchange';

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const failedAuthentication = () =>
  new SoapFault({
    code: 'Sender',
    reason: 'The security token could not be authenticated or authorized',
    subcode: { ns: WSSE, local: 'FailedAuthentication' },
    subcodeIsFaultcode11: true,
  });
const expired = () =>
  new SoapFault({
    code: 'Sender',
    reason: 'The message has expired',
    subcode: { ns: WSSE, local: 'MessageExpired' },
    subcodeIsFaultcode11: true,
  });

describe('ops/client-address', () => {
  const resolve = clientAddressResolver(['10.0.0.0/8', '::1']);
  const request = (remoteAddress: string, xff?: string) => ({
    remoteAddress,
    httpHeaders: xff === undefined ? {} : { 'x-forwarded-for': xff },
  });

  it('uses the TCP peer when it is not a trusted proxy, whatever X-Forwarded-For says', () => {
    assert.equal(resolve(request('203.0.113.9', '1.2.3.4')), '203.0.113.9');
    assert.equal(resolve(request('::ffff:203.0.113.9')), '203.0.113.9');
  });

  it('walks X-Forwarded-For from the right past trusted proxies; forged entries on the left are ignored', () => {
    assert.equal(resolve(request('10.0.0.2', '198.51.100.7')), '198.51.100.7');
    assert.equal(resolve(request('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.9')), '198.51.100.7');
    assert.equal(resolve(request('::1', '198.51.100.7')), '198.51.100.7');
  });

  it('falls back to the last trusted hop on garbage or an all-trusted chain', () => {
    assert.equal(resolve(request('10.0.0.2', 'not-an-ip, 198.51.100.7')), '198.51.100.7');
    assert.equal(resolve(request('10.0.0.2', '198.51.100.7, bogus')), '10.0.0.2');
    assert.equal(resolve(request('10.0.0.2', '10.0.0.3')), '10.0.0.3');
    assert.equal(resolve(request('10.0.0.2')), '10.0.0.2');
  });
});

/** A minimal element view: enough for the limiter to find wsse:Security/UsernameToken/Username. */
function element(ns: string, local: string, children: XmlElement[] = [], text = ''): XmlElement {
  return {
    ns,
    local,
    prefix: '',
    attributes: [],
    children,
    text,
    hasMixedText: false,
    lookupNamespace: () => undefined,
    attr: () => undefined,
    toXml: () => `<${local}/>`,
  };
}

function withUsername(exchange: SoapExchange, username: string): SoapExchange {
  const security = element(WSSE, 'Security', [
    element(WSSE, 'UsernameToken', [element(WSSE, 'Username', [], username)]),
  ]);
  exchange.envelope = {
    version: '1.1',
    headers: [{ element: security, mustUnderstand: true }],
  } as unknown as SoapExchange['envelope'];
  return exchange;
}

describe('ops/auth-failure-limit', () => {
  async function attempt(
    interceptor: SoapInterceptor,
    remoteAddress: string,
    username: string | undefined,
    fault?: SoapFault,
  ): Promise<SoapFault | undefined> {
    const exchange = makeExchange({ operation: 'GetProduct', remoteAddress });
    if (username !== undefined) withUsername(exchange, username);
    try {
      await interceptor.handleRequest?.(exchange);
    } catch (error) {
      assert.ok(error instanceof SoapFault);
      return error;
    }
    if (fault) await interceptor.handleFault?.(exchange, fault);
    return undefined;
  }
  let run = 0;
  const prefix = () => `t-${process.pid}-${Date.now()}-${run++}`;

  it('refuses a username from an address with 429 and Retry-After after too many wrong passwords', async () => {
    const rejected: string[] = [];
    const interceptor = authFailureLimitInterceptor({
      points: 3,
      durationSeconds: 60,
      blockSeconds: 120,
      keyPrefix: prefix(),
      onReject: (l) => rejected.push(l),
    });
    for (let i = 0; i < 4; i++)
      assert.equal(await attempt(interceptor, '198.51.100.1', 'alice', failedAuthentication()), undefined);
    const refused = await attempt(interceptor, '198.51.100.1', 'alice');
    assert.ok(refused);
    assert.equal(refused.httpStatus, 429);
    assert.deepEqual(refused.subcode, AUTHENTICATION_THROTTLED);
    const retryAfter = Number(refused.httpHeaders?.['Retry-After']);
    assert.ok(retryAfter > 60 && retryAfter <= 120, `blocked for the block duration, Retry-After ${retryAfter}`);
    assert.deepEqual(rejected, ['authentication-failures']);
    // Neither other partners behind the same address nor alice elsewhere are locked out.
    assert.equal(await attempt(interceptor, '198.51.100.1', 'bob'), undefined);
    assert.equal(await attempt(interceptor, '198.51.100.2', 'alice'), undefined);
  });

  it('refuses an address that sprays many usernames (or sends no username) past addressPoints', async () => {
    const interceptor = authFailureLimitInterceptor({
      points: 3,
      addressPoints: 5,
      durationSeconds: 60,
      blockSeconds: 60,
      keyPrefix: prefix(),
    });
    for (let i = 0; i < 6; i++) await attempt(interceptor, '198.51.100.3', `user-${i}`, failedAuthentication());
    assert.ok(await attempt(interceptor, '198.51.100.3', 'someone-new'));
    assert.ok(await attempt(interceptor, '198.51.100.3', undefined));
    assert.equal(await attempt(interceptor, '198.51.100.4', 'someone-new'), undefined);
  });

  it('counts only credential failures', async () => {
    const interceptor = authFailureLimitInterceptor({
      points: 1,
      addressPoints: 1,
      durationSeconds: 60,
      blockSeconds: 60,
      keyPrefix: prefix(),
    });
    for (let i = 0; i < 5; i++) await attempt(interceptor, '198.51.100.5', 'carol', expired());
    for (let i = 0; i < 5; i++)
      await attempt(interceptor, '198.51.100.5', 'carol', SoapFault.sender('schema violation'));
    assert.equal(await attempt(interceptor, '198.51.100.5', 'carol'), undefined);
  });
});
