import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { SoapFault } from '../../src/soap';
import { accessLogInterceptor, createLogger, createXmlMasker } from '../../src/ops/logging';
import { makeExchange, partner } from './exchange';

function capture(level: 'info' | 'debug') {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger: createLogger({ level }, { stream, fields: { service: 'partner-orders' } }), lines };
}
const flush = () => new Promise((resolve) => setImmediate(resolve));

const SIGNED_REQUEST = `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
 <s:Header><wsse:Security>
  <wsse:UsernameToken><wsse:Username>acme</wsse:Username>
   <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">c2VjcmV0LWRpZ2VzdA==</wsse:Password>
   <wsse:Nonce EncodingType="...#Base64Binary">bm9uY2UtdmFsdWU=</wsse:Nonce></wsse:UsernameToken>
  <wsse:BinarySecurityToken ValueType="X509v3">MIIBcert-bytes</wsse:BinarySecurityToken>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>c2lnbmF0dXJl</ds:SignatureValue></ds:Signature>
 </wsse:Security></s:Header>
 <s:Body><po:SubmitOrderRequest xmlns:po="urn:po"><po:cardNumber>4111111111111111</po:cardNumber><po:sku>A-1</po:sku></po:SubmitOrderRequest></s:Body>
</s:Envelope>`;

describe('ops/logging', () => {
  describe('createXmlMasker', () => {
    const mask = createXmlMasker(['cardNumber']);

    it('masks the always-secret elements and configured fields whatever their prefix', () => {
      const masked = mask(SIGNED_REQUEST);
      for (const secret of [
        'c2VjcmV0LWRpZ2VzdA==',
        'bm9uY2UtdmFsdWU=',
        'MIIBcert-bytes',
        'c2lnbmF0dXJl',
        '4111111111111111',
      ]) {
        assert.ok(!masked.includes(secret), `${secret} leaked`);
      }
      assert.match(masked, /<wsse:Password Type="[^"]+">\*\*\*<\/wsse:Password>/);
      assert.match(masked, /<ds:SignatureValue>\*\*\*<\/ds:SignatureValue>/);
      assert.match(masked, /<wsse:Username>acme<\/wsse:Username>/);
      assert.match(masked, /<po:sku>A-1<\/po:sku>/);
    });

    it('handles unprefixed (default namespace) elements and case differences', () => {
      assert.equal(
        mask('<Password xmlns="urn:x">p</Password><password>q</password>'),
        '<Password xmlns="urn:x">***</Password><password>***</password>',
      );
    });

    it('does not let a CDATA section hide the end tag', () => {
      const masked = mask('<wsse:Password><![CDATA[abc</wsse:Password>def]]></wsse:Password><b>keep</b>');
      assert.equal(masked, '<wsse:Password>***</wsse:Password><b>keep</b>');
    });

    it('leaves similar names and self-closing elements alone', () => {
      assert.equal(
        mask('<PasswordHint>h</PasswordHint><Password/><x:NonceCount>2</x:NonceCount>'),
        '<PasswordHint>h</PasswordHint><Password/><x:NonceCount>2</x:NonceCount>',
      );
    });

    it('masks nested content of a configured element entirely', () => {
      assert.equal(createXmlMasker(['Card'])('<a:Card><a:n>1</a:n><a:cvv>2</a:cvv></a:Card>'), '<a:Card>***</a:Card>');
    });

    describe('malformed messages never leak a secret (issue 14, finding 6)', () => {
      const cases: Record<string, string> = {
        'a misspelt end tag': '<wsse:Password Type="t">hunter2-secret</wsse:Pasword></wsse:UsernameToken><b>after</b>',
        'an end tag without >': '<wsse:Password>hunter2-secret</wsse:Password <wsse:Nonce>bm9uY2U=</wsse:Nonce>',
        'no end tag at all (truncated)': '<s:Envelope><wsse:Password>hunter2-secret',
        'an unterminated start tag': '<wsse:Password Type="t" hunter2-secret</wsse:Password>',
        'an unquoted attribute': '<wsse:Password Type=hunter2-secret>x</wsse:Password>',
        'an unterminated CDATA section': '<wsse:Password><![CDATA[hunter2-secret</wsse:Password>',
        'a markup character inside the secret': '<wsse:Password>abc<hunter2-secret</wsse:Pasword>',
        'a second secret after a self-closing one': '<wsse:Nonce/><wsse:Password>hunter2-secret</wsse:Passwort>',
        'mismatched case and prefix': '<WSSE:PASSWORD>hunter2-secret</wsse:password2>',
      };
      for (const [what, xml] of Object.entries(cases)) {
        it(what, () => {
          const masked = mask(xml);
          assert.ok(!masked.includes('hunter2-secret'), `leaked: ${masked}`);
          assert.ok(masked.includes('***'), masked);
        });
      }

      it('keeps what is safely outside the secret when the end tag is right', () => {
        assert.equal(
          mask('<wsse:Password>p</wsse:Password ><b>keep</b>'),
          '<wsse:Password>***</wsse:Password ><b>keep</b>',
        );
      });
    });
  });

  describe('createLogger', () => {
    it('writes JSON lines with level, timestamp and child fields', async () => {
      const { logger, lines } = capture('info');
      logger.child({ requestId: 'r-1' }).info('hello', { n: 1 });
      logger.debug('hidden');
      await flush();
      assert.equal(lines.length, 1);
      assert.equal(lines[0].message, 'hello');
      assert.equal(lines[0].level, 'info');
      assert.equal(lines[0].requestId, 'r-1');
      assert.equal(lines[0].service, 'partner-orders');
      assert.equal(lines[0].n, 1);
      assert.ok(typeof lines[0].timestamp === 'string');
      assert.equal(logger.isDebugEnabled(), false);
    });
  });

  describe('accessLogInterceptor', () => {
    it('writes one line with operation, partner, version, outcome, status, duration, bytes and correlation id', async () => {
      const { logger, lines } = capture('info');
      const interceptor = accessLogInterceptor(logger, { service: 'v1' });
      const exchange = makeExchange({
        operation: 'GetOrder',
        principal: partner('p-1', 'Acme'),
        soapVersion: '1.2',
        messageId: 'urn:uuid:abc',
        remoteAddress: '10.0.0.7',
      });
      exchange.status = 200;
      exchange.bytesOut = 321;
      exchange.response = { value: {}, xml: '<r/>' };
      interceptor.afterCompletion?.(exchange);
      await flush();
      assert.equal(lines.length, 1);
      const line = lines[0];
      assert.equal(line.message, 'access');
      assert.equal(line.service, 'v1');
      assert.equal(line.operation, 'GetOrder');
      assert.equal(line.partner, 'Acme');
      assert.equal(line.partnerId, 'p-1');
      assert.equal(line.soapVersion, '1.2');
      assert.equal(line.outcome, 'ok');
      assert.equal(line.faultCode, null);
      assert.equal(line.status, 200);
      assert.equal(line.bytesIn, exchange.request.raw.length);
      assert.equal(line.bytesOut, 321);
      assert.equal(line.requestId, 'urn:uuid:abc');
      assert.equal(line.remoteAddress, '10.0.0.7');
      assert.ok(typeof line.durationMs === 'number' && line.durationMs >= 0);
      assert.equal(line.requestXml, undefined, 'no message dump above debug');
    });

    it('logs the client address named by a trusted proxy', async () => {
      const { logger, lines } = capture('info');
      const exchange = makeExchange({
        operation: 'GetOrder',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': '198.51.100.7' },
      });
      exchange.status = 200;
      accessLogInterceptor(logger, { trustedProxies: ['10.0.0.0/8'] }).afterCompletion?.(exchange);
      await flush();
      assert.equal(lines[0].remoteAddress, '10.0.0.2');
      assert.equal(lines[0].clientAddress, '198.51.100.7');
    });

    it('records fault code and subcode', async () => {
      const { logger, lines } = capture('info');
      const exchange = makeExchange({ operation: 'SubmitOrder' });
      exchange.fault = new SoapFault({
        code: 'Sender',
        reason: 'slow down',
        subcode: { ns: 'urn:partner-orders:ops', local: 'RequestRateExceeded' },
        httpStatus: 429,
      });
      exchange.status = 429;
      accessLogInterceptor(logger).afterCompletion?.(exchange);
      await flush();
      assert.equal(lines[0].outcome, 'fault');
      assert.equal(lines[0].faultCode, 'Sender');
      assert.equal(lines[0].faultSubcode, '{urn:partner-orders:ops}RequestRateExceeded');
      assert.equal(lines[0].status, 429);
      assert.equal(lines[0].partner, null);
    });

    it('at debug level dumps request and response with secrets masked', async () => {
      const { logger, lines } = capture('debug');
      const exchange = makeExchange({ operation: 'SubmitOrder', raw: SIGNED_REQUEST });
      exchange.response = {
        value: {},
        xml: '<r><wsse:BinarySecurityToken>TOKEN</wsse:BinarySecurityToken><ok>1</ok></r>',
      };
      exchange.status = 200;
      accessLogInterceptor(logger, { maskFields: ['cardNumber'] }).afterCompletion?.(exchange);
      await flush();
      const requestXml = String(lines[0].requestXml);
      assert.ok(requestXml.includes('<po:sku>A-1</po:sku>'));
      assert.ok(!requestXml.includes('4111111111111111'));
      assert.ok(!requestXml.includes('c2VjcmV0LWRpZ2VzdA=='));
      assert.equal(lines[0].responseXml, '<r><wsse:BinarySecurityToken>***</wsse:BinarySecurityToken><ok>1</ok></r>');
    });
  });
});
