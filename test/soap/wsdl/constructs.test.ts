/**
 * One small fixture WSDL per construct (test/fixtures/wsdl-constructs): load, generate (type-checked
 * by the corpus-style tsc run in real-world.test.ts is not needed here: the generated text is asserted),
 * decode a message, encode it back in schema order, and a failure path with its violation path.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateContract } from '../../../src/soap/codegen/generate';
import { SchemaViolationError } from '../../../src/soap/fault';
import { compileSchema, type CompiledSchema } from '../../../src/soap/schema/compile';
import { decodeElement } from '../../../src/soap/schema/decode';
import { encodeElement } from '../../../src/soap/schema/encode';
import type { ContractModel } from '../../../src/soap/schema/model';
import { ContractLoadError, loadContract } from '../../../src/soap/wsdl/load';
import { loadFixture } from './construct-fixtures';
import { parseXmlFast } from '../../../src/soap/xml/fast';


function typesOf(model: ContractModel): string {
  return generateContract(model, { wsdl: 'x.wsdl', outDir: 'out' }).get('types.ts') as string;
}

/** The generated declaration of `name` (interface body or type alias). */
function declaration(types: string, name: string): string {
  const m = new RegExp(`export (?:interface ${name} \\{[\\s\\S]*?\\n\\}|type ${name} = [^\\n]*)`).exec(types);
  assert.ok(m, `no declaration of ${name}`);
  return m[0];
}

function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SchemaViolationError) return err.violations.map((v) => `${v.path}: ${v.message}`);
    throw err;
  }
  assert.fail('expected schema violations');
}

/**
 * Decode `xml` as element `key` and check the value; encode it back and check that decoding that gives the
 * same value, and (unless the message carries xs:any content, which keeps its in-scope namespace
 * declarations) that the XML is `xml` again.
 */
function roundTrip(schema: CompiledSchema, key: string, xml: string, expected: unknown, sameText = true): void {
  const value = decodeElement(schema, key, parseXmlFast(xml));
  assert.deepEqual(value, expected);
  const again = encodeElement(schema, key, value);
  if (sameText) assert.equal(again, xml);
  assert.deepEqual(decodeElement(schema, key, parseXmlFast(again)), value);
}

describe('WSDL constructs end to end', () => {
  describe('xs:anyAttribute, xs:any, complexContent extension of simple content', () => {
    const model = loadFixture('any-attribute.wsdl');
    const schema = compileSchema(model.schema);
    const W = 'urn:example:wild';

    it('models the wildcard (through an attribute group, inherited by extension) and types it', () => {
      const special = model.schema.types[`{${W}}SpecialItem`];
      assert.deepEqual(special.kind === 'complex' ? special.anyAttribute : undefined, { namespace: '##other', processContents: 'lax' });
      const taggedAmount = model.schema.types[`{${W}}TaggedAmount`];
      assert.ok(taggedAmount.kind === 'complex' && taggedAmount.simpleContent === `{http://www.w3.org/2001/XMLSchema}decimal`);
      const types = typesOf(model);
      assert.match(declaration(types, 'SpecialItem'), /\$attributes\?: Record<string, string>;/);
      assert.match(declaration(types, 'TaggedAmount'), /\$value: string;[\s\S]*tag\?: string;[\s\S]*\$attributes\?: Record<string, string>;/);
    });

    it('round-trips foreign attributes and elements unchanged', () => {
      const xml = `<tns:Put xmlns:tns="${W}"><tns:item id="7" xmlns:wc1="urn:other" wc1:note="a &amp; b"><tns:name>n</tns:name>`
        + `<o:x xmlns:o="urn:other">1</o:x><tns:rank>2</tns:rank></tns:item><tns:price currency="EUR" tag="t" lang="en">1.50</tns:price></tns:Put>`;
      roundTrip(schema, `{${W}}Put`, xml, {
        item: {
          id: 7, $attributes: { '{urn:other}note': 'a & b' }, name: 'n', rank: 2,
          any: [`<o:x xmlns:o="urn:other" xmlns:wc1="urn:other" xmlns:tns="${W}">1</o:x>`],
        },
        price: { $value: '1.50', currency: 'EUR', tag: 't', $attributes: { lang: 'en' } },
      }, false);
    });

    it('refuses an attribute outside the wildcard, with its path, both ways', () => {
      const xml = `<tns:Put xmlns:tns="${W}"><tns:item id="7" bad="1"><tns:name>n</tns:name><tns:rank>2</tns:rank></tns:item><tns:price>1</tns:price></tns:Put>`;
      assert.deepEqual(violations(() => decodeElement(schema, `{${W}}Put`, parseXmlFast(xml))), ['Put/item/@bad: unknown attribute']);
      assert.throws(() => encodeElement(schema, `{${W}}Put`, { item: { id: 1, name: 'n', rank: 1, $attributes: { [`{${W}}own`]: 'x' } }, price: { $value: '1' } }),
        /Put\/item\/@own: attribute \{urn:example:wild\}own is not allowed by the attribute wildcard/);
    });
  });

  describe('xs:union (and a list of a union, a restricted union) over the SOAP 1.2 binding URI', () => {
    const model = loadFixture('union.wsdl');
    const schema = compileSchema(model.schema);
    const U = 'urn:example:union';

    it('types a union as the TypeScript union of its members', () => {
      const types = typesOf(model);
      assert.match(declaration(types, 'SizeOrCount'), /= Size \| number;/);
      assert.match(declaration(types, 'OpenSize'), /= Size \| OpenSizeMember1;/);
      assert.match(declaration(types, 'OpenSizeMember1'), /= string;/);
      assert.match(declaration(types, 'Sizes'), /= SizeOrCount\[\];/);
      assert.equal(model.bindings[0].soapVersion, '1.2');
    });

    it('reads each text with the first member that accepts it and writes it back', () => {
      const xml = `<tns:Measure xmlns:tns="${U}"><tns:size>large</tns:size><tns:open>urn:x:huge</tns:open><tns:tag>42</tns:tag><tns:all>small 3 large</tns:all></tns:Measure>`;
      roundTrip(schema, `{${U}}Measure`, xml, { size: 'large', open: 'urn:x:huge', tag: 42, all: ['small', 3, 'large'] });
    });

    it('refuses a text no member accepts, and a restricted union\'s facet, with their paths', () => {
      const xml = `<tns:Measure xmlns:tns="${U}"><tns:size>medium</tns:size><tns:open>small</tns:open><tns:tag>123456</tns:tag><tns:all>1 x</tns:all></tns:Measure>`;
      assert.deepEqual(violations(() => decodeElement(schema, `{${U}}Measure`, parseXmlFast(xml))), [
        "Measure/size: 'medium' is not a valid value of any member type of the union (Size, int)",
        "Measure/tag: '123456' does not match pattern [a-z0-9]{1,5}",
        "Measure/all: 'x' is not a valid value of any member type of the union (Size, int)",
      ]);
      assert.throws(() => encodeElement(schema, `{${U}}Measure`, { size: true, open: 'a', tag: 'b', all: [] }), /Measure\/size: true is not a value of any member type/);
    });
  });

  describe('identity constraints (accepted, not enforced), NMTOKENS/IDREFS, WS-Policy (ignored)', () => {
    const model = loadFixture('identity-nmtokens-policy.wsdl');
    const schema = compileSchema(model.schema);
    const B = 'urn:example:bad';

    it('types the built-in lists as arrays and ignores the policy elements', () => {
      const types = typesOf(model);
      assert.match(declaration(types, 'Catalog'), /tags: string\[\];[\s\S]*refs\?: string\[\];/);
      assert.deepEqual(model.bindings.map((b) => b.operations.map((o) => o.soapAction)), [['urn:example:bad/Ping']]);
    });

    it('round-trips; a duplicate key value is not refused (xs:unique is not enforced)', () => {
      const xml = `<tns:Catalog xmlns:tns="${B}"><tns:sku>a</tns:sku><tns:sku>a</tns:sku><tns:tags>x y-1 z.2</tns:tags></tns:Catalog>`;
      roundTrip(schema, `{${B}}Catalog`, xml, { sku: ['a', 'a'], tags: ['x', 'y-1', 'z.2'] });
    });

    it('refuses an empty NMTOKENS and a token that is not an NMTOKEN, with their paths', () => {
      const xml = `<tns:Catalog xmlns:tns="${B}"><tns:sku>a</tns:sku><tns:tags></tns:tags><tns:refs>1x</tns:refs></tns:Catalog>`;
      const found = violations(() => decodeElement(schema, `{${B}}Catalog`, parseXmlFast(xml)));
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found[0], /^Catalog\/tags: /);
      assert.match(found[1], /^Catalog\/refs: /);
    });
  });

  describe('substitution groups with an abstract head, element names repeated by derivation and across choice branches', () => {
    const model = loadFixture('substitution.wsdl');
    const schema = compileSchema(model.schema);
    const S = 'urn:example:subst';

    it('types each substitute and each repeated name as its own property', () => {
      const types = typesOf(model);
      assert.match(declaration(types, 'GetFields'), /FieldURI\?: FieldPath\[\];[\s\S]*IndexedFieldURI\?: IndexedPath\[\];/);
      assert.doesNotMatch(declaration(types, 'GetFields'), /Path\??:/);
      assert.match(declaration(types, 'DerivedResponse'), /MsgSubID\?: string;[\s\S]*code: number;[\s\S]*MsgSubID2\?: string;/);
      assert.match(declaration(types, 'Get'), /id\?: number;[\s\S]*when\?: string;[\s\S]*name\?: string;[\s\S]*id2\?: number;/);
    });

    it('round-trips substitutes and repeated names in schema order', () => {
      const get = `<tns:Get xmlns:tns="${S}"><tns:fields><tns:FieldURI uri="a"/><tns:FieldURI uri="b"/><tns:IndexedFieldURI index="2"/></tns:fields>`
        + '<tns:name>n</tns:name><tns:id>1</tns:id></tns:Get>';
      roundTrip(schema, `{${S}}Get`, get, { fields: { FieldURI: [{ uri: 'a' }, { uri: 'b' }], IndexedFieldURI: [{ index: 2 }] }, name: 'n', id2: 1 });
      const response = `<tns:GetResponse xmlns:tns="${S}"><tns:MsgSubID>x</tns:MsgSubID><tns:code>3</tns:code><tns:MsgSubID>y</tns:MsgSubID></tns:GetResponse>`;
      roundTrip(schema, `{${S}}GetResponse`, response, { MsgSubID: 'x', code: 3, MsgSubID2: 'y' });
    });

    it('refuses the abstract head itself and a missing substitute, with their paths', () => {
      const xml = `<tns:Get xmlns:tns="${S}"><tns:fields><tns:Path/></tns:fields><tns:id>1</tns:id><tns:when>2026-01-01</tns:when></tns:Get>`;
      const found = violations(() => decodeElement(schema, `{${S}}Get`, parseXmlFast(xml)));
      assert.ok(found.some((v) => v.startsWith('Get/fields/Path: unknown element')), found.join('\n'));
    });
  });

  describe('recursion', () => {
    const model = loadFixture('recursion.wsdl');
    const schema = compileSchema(model.schema);
    const R = 'urn:example:rec';

    it('loads a group recursing through an anonymous type as one recursive type', () => {
      const types = typesOf(model);
      assert.match(declaration(types, 'Tree'), /child\?: TreeChild\[\];/);
      assert.match(declaration(types, 'TreeChild'), /label: string;[\s\S]*child\?: TreeChild\[\];/);
      assert.match(declaration(types, 'Node'), /next\?: Node;/);
    });

    it('round-trips recursive values, and reports a violation deep inside with its path', () => {
      const xml = `<tns:Tree xmlns:tns="${R}"><tns:label>r</tns:label><tns:child><tns:label>a</tns:label><tns:child><tns:label>b</tns:label></tns:child></tns:child>`
        + '<tns:list><tns:next><tns:next/></tns:next></tns:list><tns:Part n="1"><tns:Part n="2"/></tns:Part></tns:Tree>';
      roundTrip(schema, `{${R}}Tree`, xml, {
        label: 'r', child: [{ label: 'a', child: [{ label: 'b', child: [] }] }], list: { next: { next: {} } }, Part: { n: 1, Part: [{ n: 2, Part: [] }] },
      });
      const bad = xml.replace('<tns:label>b</tns:label>', '').replace('n="2"', 'n="two"');
      assert.deepEqual(violations(() => decodeElement(schema, `{${R}}Tree`, parseXmlFast(bad))), [
        'Tree/child[1]/child[1]/label: required element missing',
        "Tree/Part/Part[1]/@n: 'two' is not a valid int",
      ]);
    });

    it('refuses a document nested beyond the bound with file and construct, without a stack overflow', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deep-wsdl-'));
      try {
        fs.writeFileSync(path.join(dir, 'deep.wsdl'), `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">${'<documentation>'.repeat(100_000)}${'</documentation>'.repeat(100_000)}</definitions>`);
        assert.throws(() => loadContract(path.join(dir, 'deep.wsdl'), { id: 'deep', projectRoot: dir }),
          (err: unknown) => err instanceof ContractLoadError && /^deep\.wsdl: XML: /.test(err.message));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

