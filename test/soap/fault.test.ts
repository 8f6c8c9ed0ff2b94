import assert from 'node:assert/strict';
import { SchemaViolationError, SoapFault } from '../../src/soap/fault';

describe('SoapFault', () => {
  it('keeps code, reason and subcode', () => {
    const f = SoapFault.sender('bad', { ns: 'urn:x', local: 'Oops' });
    assert.equal(f.code, 'Sender');
    assert.equal(f.reason, 'bad');
    assert.deepEqual(f.subcode, { ns: 'urn:x', local: 'Oops' });
    assert.equal(f.lang, 'en');
  });
  it('lists every violation in the message', () => {
    const e = new SchemaViolationError([
      { path: 'A/b', message: 'required' },
      { path: 'A/c[2]', message: 'must be >= 1' },
    ]);
    assert.equal(e.message, 'A/b: required; A/c[2]: must be >= 1');
  });
});
