import assert from 'node:assert/strict';
import { SchemaViolationError } from '../../../src/soap/fault';
import { compileSchema } from '../../../src/soap/schema/compile';
import { decodeElement } from '../../../src/soap/schema/decode';
import { encodeElement, SchemaEncodeError } from '../../../src/soap/schema/encode';
import type { SchemaModel } from '../../../src/soap/schema/model';
import { domElementView, parseXmlDom } from '../../../src/soap/xml/dom';
import { parseXmlFast } from '../../../src/soap/xml/fast';
import { NS, ORDER_MODEL, SUBMIT, sampleOrder } from './order-model';

const schema = compileSchema(ORDER_MODEL);

function decodeBoth(xml: string, key = SUBMIT, s = schema): unknown {
  const fast = decodeElement(s, key, parseXmlFast(xml));
  const dom = decodeElement(s, key, domElementView(parseXmlDom(xml).documentElement));
  assert.deepEqual(dom, fast, 'fast and DOM adapters decode identically');
  return fast;
}

function violations(xml: string, key = SUBMIT, s = schema): string[] {
  const collect = (el: Parameters<typeof decodeElement>[2]): string[] => {
    try {
      decodeElement(s, key, el);
    } catch (e) {
      assert.ok(e instanceof SchemaViolationError, String(e));
      return e.violations.map((v) => `${v.path}: ${v.message}`);
    }
    assert.fail('expected a SchemaViolationError');
  };
  const fast = collect(parseXmlFast(xml));
  assert.deepEqual(collect(domElementView(parseXmlDom(xml).documentElement)), fast);
  return fast;
}

const line = (sku: string, qty: string, extra = ''): string =>
  `<o:line><sku>${sku}</sku><quantity>${qty}</quantity><unitPrice currency="EUR">10.50</unitPrice>${extra}</o:line>`;
const order = (body: string, attrs = ''): string =>
  `<o:SubmitOrderRequest xmlns:o="${NS}"${attrs}><o:partnerId> ACME  </o:partnerId><o:orderRef>PO-1</o:orderRef>${body}</o:SubmitOrderRequest>`;

describe('schema codec', () => {
  describe('decode', () => {
    it('decodes a valid order into the value mapping', () => {
      const v = decodeBoth(
        order(
          `${line('ABC-1', '3')}${line('ABC-2', '1', '<requestedDate>2026-02-28</requestedDate><note xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>')}<o:pickup>1</o:pickup>`,
          ' version="7"',
        ),
      );
      assert.deepEqual(v, {
        version: 7,
        partnerId: 'ACME',
        orderRef: 'PO-1',
        extension: [],
        line: [
          { sku: 'ABC-1', quantity: 3, unitPrice: { $value: '10.50', currency: 'EUR' } },
          {
            sku: 'ABC-2',
            quantity: 1,
            unitPrice: { $value: '10.50', currency: 'EUR' },
            requestedDate: '2026-02-28',
            note: null,
          },
        ],
        pickup: true,
      });
    });

    it('keeps wildcard content as standalone XML strings', () => {
      const v = decodeBoth(
        order(
          `${line('ABC-1', '3')}<o:deliverTo>x</o:deliverTo><e:ext xmlns:e="urn:ext" a="1"><e:b>&amp;</e:b></e:ext>`,
        ),
      ) as { extension: string[] };
      assert.equal(v.extension.length, 1);
      const ext = parseXmlFast(v.extension[0]);
      assert.equal(ext.ns, 'urn:ext');
      assert.equal(ext.children[0].text, '&');
    });

    it('reports every violation with its path', () => {
      const xml = order(
        `${line('ABC-1', '3')}${line('abc', '0')}${line('ABC-3', 'x', '<bogus/>')}<o:deliverTo>x</o:deliverTo>`,
        ' version="big" extra="1"',
      );
      assert.deepEqual(
        violations(xml).sort(),
        [
          'SubmitOrderRequest/@extra: unknown attribute',
          "SubmitOrderRequest/@version: 'big' is not a valid int",
          "SubmitOrderRequest/line[2]/sku: 'abc' does not match pattern [A-Z]{3}-[0-9]+",
          'SubmitOrderRequest/line[2]/quantity: must be >= 1',
          "SubmitOrderRequest/line[3]/quantity: 'x' is not a valid int",
          'SubmitOrderRequest/line[3]/bogus: unknown element',
        ].sort(),
      );
    });

    it('reports missing, misplaced and surplus elements', () => {
      assert.deepEqual(
        violations(
          `<o:SubmitOrderRequest xmlns:o="${NS}"><o:orderRef>1</o:orderRef><o:pickup>true</o:pickup></o:SubmitOrderRequest>`,
        ),
        ['SubmitOrderRequest/partnerId: required element missing', 'SubmitOrderRequest/line: required element missing'],
      );
      const both = violations(order(`${line('ABC-1', '1')}<o:deliverTo>x</o:deliverTo><o:pickup>true</o:pickup>`));
      assert.deepEqual(both, ['SubmitOrderRequest/pickup: only one of (deliverTo | pickup) may be present']);
      const none = violations(order(line('ABC-1', '1')));
      assert.deepEqual(none, ['SubmitOrderRequest: one of (deliverTo | pickup) is required']);
      const twice = violations(
        `<o:SubmitOrderRequest xmlns:o="${NS}"><o:partnerId>a</o:partnerId><o:partnerId>b</o:partnerId><o:orderRef>1</o:orderRef>${line('ABC-1', '1')}<o:pickup>0</o:pickup></o:SubmitOrderRequest>`,
      );
      assert.deepEqual(twice, ['SubmitOrderRequest/partnerId: appears more than once (at most once allowed)']);
      const order2 = violations(
        `<o:SubmitOrderRequest xmlns:o="${NS}"><o:orderRef>1</o:orderRef><o:partnerId>a</o:partnerId>${line('ABC-1', '1')}<o:pickup>0</o:pickup></o:SubmitOrderRequest>`,
      );
      assert.deepEqual(order2, [
        'SubmitOrderRequest/partnerId: required element missing',
        'SubmitOrderRequest/partnerId: out of order (expected order: partnerId, orderRef, total, line, deliverTo, pickup)',
      ]);
    });

    it('checks namespaces of children (qualified vs unqualified)', () => {
      const v = violations(
        `<o:SubmitOrderRequest xmlns:o="${NS}"><partnerId>a</partnerId><o:orderRef>1</o:orderRef>${line('ABC-1', '1')}<o:pickup>0</o:pickup></o:SubmitOrderRequest>`,
      );
      assert.deepEqual(v, [
        'SubmitOrderRequest/partnerId: unknown element',
        'SubmitOrderRequest/partnerId: required element missing',
      ]);
      const defaultNs = violations(
        `<SubmitOrderRequest xmlns="${NS}"><partnerId>a</partnerId><orderRef>1</orderRef><line><sku>ABC-1</sku><quantity>1</quantity><unitPrice currency="EUR">1</unitPrice></line><pickup>0</pickup></SubmitOrderRequest>`,
      );
      assert.ok(defaultNs.includes(`SubmitOrderRequest/line[1]/sku: unknown element {${NS}}sku`), defaultNs.join('\n'));
    });

    it('rejects text where only elements belong, elements in simple content, nil on non-nillable', () => {
      const v = violations(
        order(
          `<o:line>oops<sku>ABC-1</sku><quantity><x/></quantity><unitPrice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true" currency="EUR"/></o:line><o:pickup>0</o:pickup>`,
        ),
      );
      assert.deepEqual(v, [
        'SubmitOrderRequest/line[1]: text content is not allowed here',
        'SubmitOrderRequest/line[1]/quantity: must not contain elements (found x)',
        'SubmitOrderRequest/line[1]/unitPrice: is not nillable (xsi:nil not allowed)',
      ]);
    });

    it('rejects a payload that is not the expected element', () => {
      assert.throws(() => decodeElement(schema, SUBMIT, parseXmlFast('<x/>')), SchemaViolationError);
    });
  });

  describe('encode', () => {
    it('writes schema order, prefixes declared once, unqualified children in no namespace, escaping, xsi:nil', () => {
      const xml = encodeElement(schema, SUBMIT, {
        partnerId: 'ACME',
        orderRef: 'a]]>b & "c"',
        version: 1,
        deliverTo: 'x',
        line: [{ quantity: 2, sku: 'ABC-1', note: null, unitPrice: { currency: 'USD', $value: '1.5' } }],
      });
      assert.equal(
        xml,
        `<tns:SubmitOrderRequest xmlns="" xmlns:tns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1">` +
          '<tns:partnerId>ACME</tns:partnerId><tns:orderRef>a]]&gt;b &amp; "c"</tns:orderRef>' +
          '<tns:line><sku>ABC-1</sku><quantity>2</quantity><unitPrice currency="USD">1.5</unitPrice><note xsi:nil="true"/></tns:line>' +
          '<tns:deliverTo>x</tns:deliverTo></tns:SubmitOrderRequest>',
      );
    });

    it('round-trips: decode(encode(x)) deep-equals x, on both adapters', () => {
      const value = sampleOrder(50);
      const xml = encodeElement(schema, SUBMIT, value);
      assert.deepEqual(decodeBoth(xml), value);
      // Embedded under a default namespace, unqualified children still land in no namespace.
      const wrapped = parseXmlFast(`<w xmlns="urn:other">${xml}</w>`).children[0];
      assert.deepEqual(decodeElement(schema, SUBMIT, wrapped), value);
    });

    it('round-trips wildcard content', () => {
      const value = { ...sampleOrder(1), extension: ['<e:x xmlns:e="urn:e" k="v"><e:y>1</e:y></e:x>'] };
      const back = decodeBoth(encodeElement(schema, SUBMIT, value)) as { extension: string[] };
      assert.equal(back.extension.length, 1);
      assert.equal(parseXmlFast(back.extension[0]).children[0].text, '1');
    });

    it('collects every problem in the value and never emits invalid XML', () => {
      assert.throws(
        () =>
          encodeElement(schema, SUBMIT, {
            partnerId: 'A',
            version: 1.5,
            pickup: 'yes',
            line: [
              { sku: 'bad', quantity: 0, unitPrice: { $value: '1.234', currency: 'GBP' } },
              { sku: 'ABC-1', quantity: 1, unitPrice: { currency: 'EUR' } },
            ],
            orderRef: 'bell\u0007',
          }),
        (e: unknown) => {
          assert.ok(e instanceof SchemaEncodeError);
          assert.deepEqual(
            e.violations.map((v) => `${v.path}: ${v.message}`),
            [
              'SubmitOrderRequest/@version: 1.5 is not an integer (int)',
              'SubmitOrderRequest/orderRef: character U+0007 cannot be written in XML 1.0',
              "SubmitOrderRequest/line[1]/sku: 'bad' does not match pattern [A-Z]{3}-[0-9]+",
              'SubmitOrderRequest/line[1]/quantity: must be >= 1',
              "SubmitOrderRequest/line[1]/unitPrice/@currency: 'GBP' must be one of: EUR, USD",
              'SubmitOrderRequest/line[1]/unitPrice: must have at most 2 fraction digits',
              'SubmitOrderRequest/line[2]/unitPrice: the simple content ($value) is missing',
              'SubmitOrderRequest/pickup: must be a boolean, got string',
            ],
          );
          return true;
        },
      );
      assert.throws(
        () => encodeElement(schema, SUBMIT, { partnerId: 'A', orderRef: 'B', line: [], deliverTo: 'x', pickup: true }),
        /line: at least 1 required.*only one of \(deliverTo \| pickup\)/,
      );
    });
  });

  describe('constructs', () => {
    const T = 'urn:t';
    const xs = (l: string): string => `{http://www.w3.org/2001/XMLSchema}${l}`;
    const el = (name: string, type: string, min = 1, max = 1, extra: Record<string, unknown> = {}) => ({
      kind: 'element' as const,
      name,
      ns: '',
      prop: name,
      type,
      minOccurs: min,
      maxOccurs: max,
      nillable: false,
      ...extra,
    });
    const model: SchemaModel = {
      types: {
        [`{${T}}All`]: {
          kind: 'complex',
          attributes: [],
          content: {
            kind: 'all',
            minOccurs: 1,
            maxOccurs: 1,
            particles: [el('a', xs('int')), el('b', xs('string'), 0)],
          },
        },
        [`{${T}}Pairs`]: {
          kind: 'complex',
          attributes: [],
          content: {
            kind: 'sequence',
            minOccurs: 0,
            maxOccurs: -1,
            particles: [el('k', xs('string')), el('v', xs('int'))],
          },
        },
        [`{${T}}Base`]: {
          kind: 'complex',
          attributes: [],
          content: { kind: 'sequence', minOccurs: 1, maxOccurs: 1, particles: [el('id', xs('long'))] },
        },
        [`{${T}}Derived`]: {
          kind: 'complex',
          base: `{${T}}Base`,
          attributes: [],
          content: {
            kind: 'sequence',
            minOccurs: 1,
            maxOccurs: 1,
            particles: [el('id', xs('long')), el('extra', xs('string'))],
          },
        },
        [`{${T}}Holder`]: {
          kind: 'complex',
          attributes: [],
          content: {
            kind: 'sequence',
            minOccurs: 1,
            maxOccurs: 1,
            particles: [
              el('item', `{${T}}Base`, 0, -1),
              el('tags', `{${T}}Tags`, 0),
              el('d', xs('string'), 0, 1, { default: 'dflt' }),
            ],
          },
        },
        [`{${T}}Either`]: {
          kind: 'complex',
          attributes: [],
          content: {
            kind: 'choice',
            minOccurs: 1,
            maxOccurs: 3,
            particles: [el('a', xs('int')), el('b', xs('string'))],
          },
        },
        [`{${T}}Text`]: {
          kind: 'complex',
          content: null,
          simpleContent: xs('string'),
          attributes: [
            {
              name: 'lang',
              ns: 'http://www.w3.org/XML/1998/namespace',
              prop: 'lang',
              type: xs('language'),
              required: false,
            },
          ],
        },
        [`{${T}}Tags`]: { kind: 'simple', builtin: 'token', listOf: xs('int'), facets: { maxLength: 3 } },
      },
      elements: {
        [`{${T}}all`]: { name: 'all', ns: T, type: `{${T}}All`, nillable: false },
        [`{${T}}pairs`]: { name: 'pairs', ns: T, type: `{${T}}Pairs`, nillable: false },
        [`{${T}}holder`]: { name: 'holder', ns: T, type: `{${T}}Holder`, nillable: true },
        [`{${T}}either`]: { name: 'either', ns: T, type: `{${T}}Either`, nillable: false },
        [`{${T}}text`]: { name: 'text', ns: T, type: `{${T}}Text`, nillable: false },
      },
    };
    const s = compileSchema(model);
    it('xs:all in any order, each at most once', () => {
      assert.deepEqual(decodeBoth(`<t:all xmlns:t="${T}"><b>x</b><a>1</a></t:all>`, `{${T}}all`, s), { a: 1, b: 'x' });
      assert.deepEqual(violations(`<t:all xmlns:t="${T}"><a>1</a><a>2</a></t:all>`, `{${T}}all`, s), [
        'all/a: appears more than once (at most once allowed)',
      ]);
      assert.deepEqual(violations(`<t:all xmlns:t="${T}"><b>x</b></t:all>`, `{${T}}all`, s), [
        'all/a: required element missing',
      ]);
    });
    it('repeating sequence groups become parallel arrays and round-trip', () => {
      const v = decodeBoth(`<t:pairs xmlns:t="${T}"><k>a</k><v>1</v><k>b</k><v>2</v></t:pairs>`, `{${T}}pairs`, s);
      assert.deepEqual(v, { k: ['a', 'b'], v: [1, 2] });
      assert.deepEqual(decodeBoth(encodeElement(s, `{${T}}pairs`, v), `{${T}}pairs`, s), v);
      assert.deepEqual(decodeBoth(`<t:pairs xmlns:t="${T}"/>`, `{${T}}pairs`, s), { k: [], v: [] });
      assert.deepEqual(violations(`<t:pairs xmlns:t="${T}"><k>a</k></t:pairs>`, `{${T}}pairs`, s), [
        'pairs/v: required element missing',
      ]);
    });
    it('xml:lang uses the predefined xml prefix, never declared', () => {
      const xml = encodeElement(s, `{${T}}text`, { $value: 'Hallo', lang: 'de' });
      assert.equal(xml, `<tns:text xmlns:tns="${T}" xml:lang="de">Hallo</tns:text>`);
      assert.deepEqual(decodeBoth(xml, `{${T}}text`, s), { $value: 'Hallo', lang: 'de' });
    });
    it('repeating choices collect one array per branch and round-trip', () => {
      const key = `{${T}}either`;
      const v = decodeBoth(`<t:either xmlns:t="${T}"><a>1</a><b>x</b><a>2</a></t:either>`, key, s);
      assert.deepEqual(v, { a: [1, 2], b: ['x'] });
      assert.deepEqual(decodeBoth(encodeElement(s, key, v), key, s), v);
      assert.deepEqual(violations(`<t:either xmlns:t="${T}"/>`, key, s), ['either: one of (a | b) is required']);
      assert.deepEqual(violations(`<t:either xmlns:t="${T}"><a>1</a><a>2</a><b>3</b><b>4</b></t:either>`, key, s), [
        'either/b: out of order, or too many occurrences of its repeating group',
      ]);
      assert.throws(() => encodeElement(s, key, { a: [1, 2], b: ['x', 'y'] }), /at most 3 of \(a \| b\) allowed/);
    });
    it('xsi:type selects a type derived by extension', () => {
      const xml = `<t:holder xmlns:t="${T}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><item><id>1</id></item><item xsi:type="t:Derived"><id>2</id><extra>e</extra></item></t:holder>`;
      assert.deepEqual(decodeBoth(xml, `{${T}}holder`, s), { item: [{ id: 1n }, { id: 2n, extra: 'e' }] });
      const bad = xml.replace('t:Derived', 't:Nope');
      assert.deepEqual(violations(bad, `{${T}}holder`, s), [
        `holder/item[2]: xsi:type {${T}}Nope is not {${T}}Base or a type derived from it by extension`,
      ]);
    });
    it('xs:list values are arrays with item and length checks', () => {
      assert.deepEqual(decodeBoth(`<t:holder xmlns:t="${T}"><tags> 1  2 3 </tags><d/></t:holder>`, `{${T}}holder`, s), {
        item: [],
        tags: [1, 2, 3],
        d: 'dflt',
      });
      assert.deepEqual(violations(`<t:holder xmlns:t="${T}"><tags>1 x 3 4</tags></t:holder>`, `{${T}}holder`, s), [
        "holder/tags: 'x' is not a valid int",
      ]);
      assert.deepEqual(violations(`<t:holder xmlns:t="${T}"><tags>1 2 3 4</tags></t:holder>`, `{${T}}holder`, s), [
        'holder/tags: must be at most 3 items long (is 4)',
      ]);
      assert.equal(
        encodeElement(s, `{${T}}holder`, { tags: [1, 2] }),
        `<tns:holder xmlns="" xmlns:tns="${T}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><tags>1 2</tags></tns:holder>`,
      );
    });
    it('nillable global element', () => {
      assert.equal(
        decodeBoth(
          `<t:holder xmlns:t="${T}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>`,
          `{${T}}holder`,
          s,
        ),
        null,
      );
      assert.equal(
        encodeElement(s, `{${T}}holder`, null),
        `<tns:holder xmlns="" xmlns:tns="${T}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>`,
      );
    });
  });
});
