import assert from 'node:assert/strict';
import { canonicalMoney, formatMoney, MAX_MONEY_CENTS, parseMoney } from '../../src/service/money';

describe('service/money', () => {
  it('parses decimal lexical forms into exact cents', () => {
    assert.equal(parseMoney('0.10'), 10n);
    assert.equal(parseMoney('10'), 1000n);
    assert.equal(parseMoney('10.5'), 1050n);
    assert.equal(parseMoney('010.500'), 1050n);
    assert.equal(parseMoney('+.5'), 50n);
    assert.equal(parseMoney('9999999999999999.99'), MAX_MONEY_CENTS);
  });

  it('rejects negative, over-precise and non-numeric amounts', () => {
    for (const bad of ['-1', '0.105', '1e3', '', '.', 'abc', '1.2.3', 'NaN']) {
      assert.equal(parseMoney(bad), undefined, bad);
    }
  });

  it('formats cents canonically with two fraction digits', () => {
    assert.equal(formatMoney(0n), '0.00');
    assert.equal(formatMoney(5n), '0.05');
    assert.equal(formatMoney(30n), '0.30');
    assert.equal(formatMoney(999999999000n), '9999999990.00');
    assert.throws(() => formatMoney(-1n), RangeError);
  });

  it('keeps arithmetic exact where binary floating point does not', () => {
    assert.notEqual(0.1 * 3, 0.3);
    assert.equal(formatMoney(parseMoney('0.10')! * 3n), '0.30');
    assert.equal(formatMoney(parseMoney('9999999.99')! * 1000n), '9999999990.00');
  });

  it('canonicalises within decimal(18,2) only', () => {
    assert.equal(canonicalMoney('7'), '7.00');
    assert.equal(canonicalMoney('10000000000000000.00'), undefined);
  });
});
