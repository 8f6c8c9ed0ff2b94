import assert from 'node:assert/strict';
import { SoapFault } from '../../../src/soap/fault';
import { encodeFault, notUnderstoodBlock } from '../../../src/soap/fault-encode';

describe('fault-encode', () => {
  it('writes a SOAP 1.1 Client fault with HTTP 500, xml:lang and escaped reason', () => {
    const f = encodeFault(SoapFault.sender('a < b & "c"'), '1.1');
    assert.equal(f.status, 500);
    assert.equal(f.contentType, 'text/xml; charset=utf-8');
    assert.match(f.body, /<soap:Envelope xmlns:soap="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/">/);
    assert.match(f.body, /<faultcode>soap:Client<\/faultcode>/);
    assert.match(f.body, /<faultstring xml:lang="en">a &lt; b &amp; "c"<\/faultstring>/);
    assert.doesNotMatch(f.body, /<detail>/);
  });

  it('maps Receiver/MustUnderstand/VersionMismatch to SOAP 1.1 faultcodes', () => {
    assert.match(encodeFault(SoapFault.receiver('x'), '1.1').body, /<faultcode>soap:Server<\/faultcode>/);
    assert.match(
      encodeFault(new SoapFault({ code: 'MustUnderstand', reason: 'x' }), '1.1').body,
      /soap:MustUnderstand/,
    );
    assert.match(
      encodeFault(new SoapFault({ code: 'VersionMismatch', reason: 'x' }), '1.1').body,
      /soap:VersionMismatch/,
    );
  });

  it('uses the subcode as SOAP 1.1 faultcode when asked (WS-Security style)', () => {
    const fault = new SoapFault({
      code: 'Sender',
      reason: 'bad token',
      subcodeIsFaultcode11: true,
      subcode: {
        ns: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
        local: 'FailedAuthentication',
        prefix: 'wsse',
      },
    });
    const f = encodeFault(fault, '1.1');
    assert.match(
      f.body,
      /<soap:Fault xmlns:wsse="http:\/\/docs.oasis-open.org\/wss\/2004\/01\/oasis-200401-wss-wssecurity-secext-1.0.xsd"><faultcode>wsse:FailedAuthentication<\/faultcode>/,
    );
    // Without the flag SOAP 1.1 keeps Client.
    assert.match(
      encodeFault(SoapFault.sender('x', { ns: 'urn:a', local: 'B' }), '1.1').body,
      /<faultcode>soap:Client<\/faultcode>/,
    );
  });

  it('writes a SOAP 1.2 Sender fault with subcode, Reason/Text xml:lang and HTTP 400', () => {
    const f = encodeFault(
      new SoapFault({
        code: 'Sender',
        reason: 'nope',
        lang: 'de',
        subcode: { ns: 'urn:x', local: 'Bad', prefix: 'x' },
      }),
      '1.2',
    );
    assert.equal(f.status, 400);
    assert.equal(f.contentType, 'application/soap+xml; charset=utf-8');
    assert.match(f.body, /<soap:Envelope xmlns:soap="http:\/\/www.w3.org\/2003\/05\/soap-envelope">/);
    assert.match(
      f.body,
      /<soap:Code><soap:Value>soap:Sender<\/soap:Value><soap:Subcode><soap:Value xmlns:x="urn:x">x:Bad<\/soap:Value><\/soap:Subcode><\/soap:Code>/,
    );
    assert.match(f.body, /<soap:Reason><soap:Text xml:lang="de">nope<\/soap:Text><\/soap:Reason>/);
  });

  it('uses HTTP 500 for SOAP 1.2 Receiver, MustUnderstand and VersionMismatch', () => {
    assert.equal(encodeFault(SoapFault.receiver('x'), '1.2').status, 500);
    assert.equal(encodeFault(new SoapFault({ code: 'MustUnderstand', reason: 'x' }), '1.2').status, 500);
    assert.equal(encodeFault(new SoapFault({ code: 'VersionMismatch', reason: 'x' }), '1.2').status, 500);
  });

  it('lets an explicit httpStatus win and passes extra HTTP headers', () => {
    const fault = new SoapFault({
      code: 'Sender',
      reason: 'slow down',
      httpStatus: 429,
      httpHeaders: { 'Retry-After': '3' },
    });
    for (const version of ['1.1', '1.2'] as const) {
      const f = encodeFault(fault, version);
      assert.equal(f.status, 429);
      assert.deepEqual(f.headers, { 'Retry-After': '3' });
    }
  });

  it('wraps the encoded detail element in detail / Detail', () => {
    const detailXml = '<e:EchoFaultDetail xmlns:e="urn:example:echo"><e:code>X</e:code></e:EchoFaultDetail>';
    const fault = new SoapFault({
      code: 'Sender',
      reason: 'r',
      detail: { element: '{urn:example:echo}EchoFaultDetail', value: {} },
    });
    assert.match(
      encodeFault(fault, '1.1', { detailXml }).body,
      new RegExp(`<detail>${detailXml}</detail></soap:Fault>`),
    );
    assert.match(
      encodeFault(fault, '1.2', { detailXml }).body,
      new RegExp(`<soap:Detail>${detailXml}</soap:Detail></soap:Fault>`),
    );
  });

  it('never writes the cause or a stack trace', () => {
    const cause = new Error('secret database password in here');
    const f = encodeFault(new SoapFault({ code: 'Receiver', reason: 'Internal error', cause }), '1.2');
    assert.doesNotMatch(f.body, /secret|at .*\.ts|stack/);
  });

  it('replaces characters XML cannot carry in the reason', () => {
    const f = encodeFault(SoapFault.sender('bad \u0001 char'), '1.1');
    assert.match(f.body, /bad \uFFFD char/);
  });

  it('puts header blocks (SOAP 1.2 NotUnderstood) into the fault envelope', () => {
    const block = notUnderstoodBlock({ ns: 'urn:h', local: 'Secret' });
    assert.equal(block, '<soap:NotUnderstood qname="c:Secret" xmlns:c="urn:h"/>');
    const f = encodeFault(new SoapFault({ code: 'MustUnderstand', reason: 'x' }), '1.2', { headerBlocks: [block] });
    assert.match(
      f.body,
      /<soap:Header><soap:NotUnderstood qname="c:Secret" xmlns:c="urn:h"\/><\/soap:Header><soap:Body><soap:Fault>/,
    );
  });
});
