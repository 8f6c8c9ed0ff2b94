import { strict as assert } from 'node:assert';
import { compileXsdPattern, translateXsdPattern, XsdPatternError } from '../../../src/soap/wsdl/xsd-regex';

function matcher(pattern: string): RegExp {
  return compileXsdPattern(translateXsdPattern(pattern));
}

describe('translateXsdPattern', () => {
  it('keeps ordinary syntax and makes groups non-capturing', () => {
    assert.equal(translateXsdPattern('[A-Z]{3}(ab|cd)?x+'), '[A-Z]{3}(?:ab|cd)?x+');
  });

  it('treats ^ and $ as ordinary characters (XSD has no anchors)', () => {
    const re = matcher('^a$');
    assert.ok(re.test('^a$'));
    assert.ok(!re.test('a'));
  });

  it('matches the whole value only', () => {
    assert.ok(!matcher('[0-9]+').test('12a'));
    assert.ok(matcher('a|bc').test('bc'));
    assert.ok(!matcher('a|bc').test('abc'));
  });

  it('makes . exclude only newline and carriage return', () => {
    const re = matcher('.+');
    assert.ok(re.test('a\u2028b'));
    assert.ok(!re.test('a\nb'));
    assert.ok(!re.test('a\rb'));
  });

  it('translates \\d and \\w to their Unicode meaning', () => {
    assert.equal(translateXsdPattern('\\d'), '\\p{Nd}');
    assert.ok(matcher('\\d+').test('\u0661\u0662'), 'Arabic-Indic digits are \\d in XSD');
    assert.ok(matcher('\\w+').test('éA1'));
    assert.ok(!matcher('\\w').test('-'));
    assert.ok(!matcher('\\w').test(' '));
    assert.ok(matcher('\\W').test('.'));
    assert.ok(matcher('\\D').test('x') && !matcher('\\D').test('7'));
  });

  it('translates \\s, \\i, \\c and their complements', () => {
    assert.ok(matcher('a\\sb').test('a\tb'));
    assert.ok(!matcher('\\S').test(' '));
    assert.ok(matcher('\\i\\c*').test('xsd:élément-1.x'));
    assert.ok(!matcher('\\i').test('1'));
    assert.ok(!matcher('\\i').test('-'));
    assert.ok(matcher('\\I').test('1'));
    assert.ok(matcher('\\C').test(' ') && !matcher('\\C').test('a'));
  });

  it('translates character class subtraction, also nested and negated', () => {
    assert.equal(translateXsdPattern('[a-z-[aeiou]]'), '[[a-z]--[aeiou]]');
    const consonant = matcher('[a-z-[aeiou]]+');
    assert.ok(consonant.test('bcd') && !consonant.test('bad'));
    const re = matcher('[a-z-[b-y-[m]]]');
    assert.ok(re.test('a') && re.test('m') && re.test('z') && !re.test('c'));
    assert.ok(matcher('[^a-c-[x]]').test('d') && !matcher('[^a-c-[x]]').test('x') && !matcher('[^a-c-[x]]').test('b'));
  });

  it('translates Unicode categories and blocks', () => {
    assert.ok(matcher('\\p{Lu}+').test('ÀB') && !matcher('\\p{Lu}').test('a'));
    assert.ok(matcher('\\P{L}').test('1'));
    assert.ok(matcher('\\p{IsBasicLatin}+').test('abc~') && !matcher('\\p{IsBasicLatin}').test('é'));
    assert.ok(matcher('\\p{IsGreek}').test('λ'));
    assert.ok(matcher('\\P{IsBasicLatin}').test('é'));
  });

  it('handles escapes and literal punctuation inside and outside classes', () => {
    assert.ok(matcher('\\-\\.\\?\\*\\+\\(\\)\\{\\}\\[\\]\\^\\|\\\\').test('-.?*+(){}[]^|\\'));
    assert.ok(matcher('[+\\-]?\\d+').test('-12') && matcher('[+\\-]?\\d+').test('+1'));
    assert.ok(matcher('[-a]').test('-') && matcher('[a-]').test('-'));
    assert.ok(matcher('[&!#%,:;<=>@`~/]+').test('&!#%,:;<=>@`~/'));
    assert.ok(matcher('a/b').test('a/b'));
    assert.ok(matcher('\\n\\t').test('\n\t'));
    assert.ok(matcher('[\\s\\d]+').test(' 1 2'));
  });

  it('supports quantifier forms {n}, {n,}, {n,m}', () => {
    assert.ok(matcher('a{2}').test('aa') && !matcher('a{2}').test('aaa'));
    assert.ok(matcher('a{2,}').test('aaaa') && !matcher('a{2,}').test('a'));
    assert.ok(matcher('a{1,2}').test('aa') && !matcher('a{1,2}').test('aaa'));
  });

  it('fails loudly on what it cannot translate or what is not XSD syntax', () => {
    for (const bad of ['\\p{IsKlingon}', '\\p{Foo}', '(a', 'a)', '[a', '[]', '\\k', 'a{2,1}', 'a{,3}', '*a', '[z-a]', '\\', '[a-[b]', '[a-c-[b]x]']) {
      assert.throws(() => translateXsdPattern(bad), XsdPatternError, bad);
    }
  });
});
