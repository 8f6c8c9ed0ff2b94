import assert from 'node:assert/strict';
import { classifySoapContentType, parseMediaType, unquoteSoapAction } from '../../../src/soap/transport/content-type';

describe('transport content type', () => {
  it('parses parameters, quoted values with ; and escapes', () => {
    const m = parseMediaType('Application/SOAP+XML; charset=UTF-8; action="urn:a;b\\"c"');
    assert.equal(m.type, 'application/soap+xml');
    assert.equal(m.params.get('charset'), 'UTF-8');
    assert.equal(m.params.get('action'), 'urn:a;b"c');
  });
  it('SOAP 1.1 takes the action from the SOAPAction header, unquoted', () => {
    assert.deepEqual(classifySoapContentType('text/xml; charset=utf-8', '"urn:x/Op"'), {
      ok: true,
      version: '1.1',
      action: 'urn:x/Op',
      charset: 'utf-8',
    });
    assert.deepEqual(classifySoapContentType('text/xml', '""'), {
      ok: true,
      version: '1.1',
      action: undefined,
      charset: undefined,
    });
    assert.deepEqual(classifySoapContentType('text/xml', undefined), {
      ok: true,
      version: '1.1',
      action: undefined,
      charset: undefined,
    });
  });
  it('SOAP 1.2 takes the action parameter and ignores SOAPAction', () => {
    assert.deepEqual(classifySoapContentType('application/soap+xml;charset=utf-8;action="urn:x/Op"', '"urn:other"'), {
      ok: true,
      version: '1.2',
      action: 'urn:x/Op',
      charset: 'utf-8',
    });
    assert.deepEqual(classifySoapContentType('application/soap+xml', undefined), {
      ok: true,
      version: '1.2',
      action: undefined,
      charset: undefined,
    });
  });
  it('refuses other media types and charsets', () => {
    const json = classifySoapContentType('application/json', undefined);
    assert.equal(json.ok, false);
    assert.equal(!json.ok && json.reason, 'media-type');
    const missing = classifySoapContentType(undefined, undefined);
    assert.equal(missing.ok, false);
    const unknown = classifySoapContentType('text/xml; charset=Shift_JIS', undefined);
    assert.equal(!unknown.ok && unknown.reason, 'charset');
    for (const charset of ['ISO-8859-1', 'UTF-16', 'utf-16le', 'UTF-16BE', 'latin1']) {
      const accepted = classifySoapContentType(`text/xml; charset=${charset}`, undefined);
      assert.equal(accepted.ok && accepted.charset, charset);
    }
    const mtom = classifySoapContentType('multipart/related; type="application/xop+xml"', undefined);
    assert.equal(mtom.ok, false);
  });
  it('unquotes SOAPAction', () => {
    assert.equal(unquoteSoapAction(' "a" '), 'a');
    assert.equal(unquoteSoapAction('a'), 'a');
    assert.equal(unquoteSoapAction(''), undefined);
  });
});
