import assert from 'node:assert/strict';
import { SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS } from '../../src/soap/constants';
import { parseEnvelope } from '../../src/soap/envelope';
import { SoapFault, type FaultCode } from '../../src/soap/fault';
import { domNodeOf } from '../../src/soap/xml/dom';
import { XmlRejectedError } from '../../src/soap/xml/guard';

const env = (ns: string, header: string, body: string, extra = ''): Buffer =>
  Buffer.from(
    `<?xml version="1.0"?><e:Envelope xmlns:e="${ns}">${header}<e:Body>${body}</e:Body>${extra}</e:Envelope>`,
  );

function faults(raw: Buffer, code: FaultCode, pattern: RegExp): void {
  for (const dom of [false, true]) {
    assert.throws(
      () => parseEnvelope(raw, { dom }),
      (e: unknown) => {
        assert.ok(e instanceof SoapFault, String(e));
        assert.equal(e.code, code);
        assert.match(e.reason, pattern);
        return true;
      },
    );
  }
}

describe('envelope', () => {
  for (const [version, ns] of [
    ['1.1', SOAP11_ENVELOPE_NS],
    ['1.2', SOAP12_ENVELOPE_NS],
  ] as const) {
    describe(`SOAP ${version}`, () => {
      it('parses header blocks and the payload, on both paths', () => {
        const mu =
          version === '1.1' ? 'e:mustUnderstand="1" e:actor="urn:next"' : 'e:mustUnderstand="true" e:role="urn:next"';
        const raw = env(
          ns,
          `<e:Header><h:A xmlns:h="urn:h" ${mu}/><h:B xmlns:h="urn:h" e:mustUnderstand="0"/></e:Header>`,
          '<p:Req xmlns:p="urn:p"><x>1</x></p:Req>',
        );
        for (const dom of [false, true]) {
          const parsed = parseEnvelope(raw, { dom });
          assert.equal(parsed.version, version);
          assert.equal(parsed.headers.length, 2);
          assert.equal(parsed.headers[0].mustUnderstand, true);
          assert.equal(parsed.headers[0].role, 'urn:next');
          assert.equal(parsed.headers[1].mustUnderstand, false);
          assert.equal(parsed.headers[1].role, undefined);
          assert.equal(parsed.payload?.ns, 'urn:p');
          assert.equal(parsed.payload?.local, 'Req');
          assert.equal(parsed.payload?.children[0].text, '1');
          assert.equal(parsed.dom !== undefined, dom);
          assert.equal(domNodeOf(parsed.body) !== undefined, dom);
        }
      });
      it('allows an empty Body and no Header', () => {
        const parsed = parseEnvelope(env(ns, '', ''), { dom: false });
        assert.equal(parsed.payload, undefined);
        assert.deepEqual(parsed.headers, []);
      });
      it('rejects structural problems as Sender faults', () => {
        faults(env(ns, '', '<a/><b/>'), 'Sender', /exactly one element/);
        faults(env(ns, '', '<a/>', '<e:Header/>'), 'Sender', /nothing may follow/);
        faults(env(ns, '', '<a/>', '<x/>'), 'Sender', /nothing may follow/);
        faults(Buffer.from(`<e:Envelope xmlns:e="${ns}"><e:Header/></e:Envelope>`), 'Sender', /Body is missing/);
        faults(
          Buffer.from(`<e:Envelope xmlns:e="${ns}"><e:Body/><e:Header/></e:Envelope>`),
          'Sender',
          /nothing may follow/,
        );
        faults(env(ns, '<e:Header><plain/></e:Header>', ''), 'Sender', /namespace-qualified/);
        faults(
          env(ns, '<e:Header><h:A xmlns:h="urn:h" e:mustUnderstand="yes"/></e:Header>', ''),
          'Sender',
          /mustUnderstand/,
        );
        faults(env(ns, '', 'text'), 'Sender', /text/);
        faults(Buffer.from('<Root/>'), 'Sender', /SOAP Envelope/);
      });
    });
  }
  it('1.1 does not accept "true" for mustUnderstand', () => {
    faults(
      env(SOAP11_ENVELOPE_NS, '<e:Header><h:A xmlns:h="urn:h" e:mustUnderstand="true"/></e:Header>', ''),
      'Sender',
      /mustUnderstand/,
    );
  });
  it('an unknown envelope namespace is VersionMismatch', () => {
    faults(env('urn:not-soap', '', '<a/>'), 'VersionMismatch', /unsupported SOAP envelope namespace/);
  });
  it('resolves default namespaces on envelope parts', () => {
    const raw = Buffer.from(`<Envelope xmlns="${SOAP12_ENVELOPE_NS}"><Body><Req xmlns="urn:p"/></Body></Envelope>`);
    assert.equal(parseEnvelope(raw, { dom: false }).payload?.ns, 'urn:p');
  });
  it('passes XML rejections through', () => {
    assert.throws(
      () => parseEnvelope(Buffer.from(`<!DOCTYPE x><e:Envelope xmlns:e="${SOAP11_ENVELOPE_NS}"/>`), { dom: false }),
      (e: unknown) => e instanceof XmlRejectedError && e.reason === 'doctype',
    );
    assert.throws(
      () => parseEnvelope(env(SOAP11_ENVELOPE_NS, '', '<a/>'), { dom: false, limits: { maxDepth: 2 } }),
      (e: unknown) => e instanceof XmlRejectedError && e.reason === 'too-deep',
    );
  });
  const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
  it('switches to the DOM for a ds:Signature in wsse:Security, however its namespace is spelled', () => {
    const sneaky = env(
      SOAP11_ENVELOPE_NS,
      `<e:Header><w:Security xmlns:w="${WSSE}"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig&#x23;"/></w:Security></e:Header>`,
      '<a/>',
    );
    assert.ok(!sneaky.includes('xmldsig#'));
    const parsed = parseEnvelope(sneaky, { dom: false });
    assert.ok(parsed.dom, 'parsed into a DOM');
    assert.ok(domNodeOf(parsed.payload!));
  });
  it('keeps the fast path when the XML-DSig namespace appears anywhere but a ds:Signature in wsse:Security (issue 14)', () => {
    const DS = 'http://www.w3.org/2000/09/xmldsig#';
    const elsewhere = [
      env(SOAP11_ENVELOPE_NS, '', `<a>${DS}</a>`),
      env(SOAP11_ENVELOPE_NS, '', `<a xmlns:ds="${DS}"><ds:Signature/></a>`),
      env(SOAP11_ENVELOPE_NS, `<e:Header><ds:Signature xmlns:ds="${DS}"/></e:Header>`, '<a/>'),
      env(
        SOAP11_ENVELOPE_NS,
        `<e:Header><w:Security xmlns:w="urn:not-wsse"><ds:Signature xmlns:ds="${DS}"/></w:Security></e:Header>`,
        '<a/>',
      ),
      env(
        SOAP11_ENVELOPE_NS,
        `<e:Header><w:Security xmlns:w="${WSSE}"><x:Holder xmlns:x="urn:x"><ds:Signature xmlns:ds="${DS}"/></x:Holder></w:Security></e:Header>`,
        '<a/>',
      ),
    ];
    for (const raw of elsewhere) assert.equal(parseEnvelope(raw, { dom: false }).dom, undefined, raw.toString());
  });
});
