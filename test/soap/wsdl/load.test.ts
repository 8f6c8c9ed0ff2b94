import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadContract } from '../../../src/soap/wsdl/load';
import {
  XSD_NS, type ComplexTypeDef, type ContractModel, type ElementDecl, type ModelGroup, type SimpleTypeDef,
} from '../../../src/soap/schema/model';
import { compileXsdPattern } from '../../../src/soap/wsdl/xsd-regex';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const E = 'urn:example:echo';
const T = 'urn:example:echo:types';
const xs = (local: string): string => `{${XSD_NS}}${local}`;

function complex(model: ContractModel, key: string): ComplexTypeDef {
  const def = model.schema.types[key];
  assert.ok(def, `type ${key} exists`);
  assert.equal(def.kind, 'complex', `${key} is complex`);
  return def as ComplexTypeDef;
}

function simple(model: ContractModel, key: string): SimpleTypeDef {
  const def = model.schema.types[key];
  assert.ok(def, `type ${key} exists`);
  assert.equal(def.kind, 'simple', `${key} is simple`);
  return def as SimpleTypeDef;
}

function elements(group: ModelGroup | null): ElementDecl[] {
  assert.ok(group);
  return group.particles.flatMap((p) => (p.kind === 'element' ? [p] : p.kind === 'any' ? [] : elements(p)));
}

function element(group: ModelGroup | null, name: string): ElementDecl {
  const found = elements(group).find((e) => e.name === name);
  assert.ok(found, `element ${name}`);
  return found;
}

describe('loadContract: echo fixture', () => {
  let model: ContractModel;
  before(() => {
    model = loadContract('test/fixtures/echo/echo.wsdl', { id: 'echo', projectRoot: ROOT });
  });

  it('reads the WSDL header', () => {
    assert.equal(model.id, 'echo');
    assert.equal(model.targetNamespace, E);
    assert.match(model.documentation ?? '', /Echo service/);
  });

  it('lists every document with a unique name and maps each location to it', () => {
    assert.deepEqual(model.documents.map((d) => [d.name, d.path, d.kind]), [
      ['wsdl', 'test/fixtures/echo/echo.wsdl', 'wsdl'],
      ['echo', 'test/fixtures/echo/xsd/echo.xsd', 'xsd'],
      ['facets', 'test/fixtures/echo/xsd/common/facets.xsd', 'xsd'],
      ['structures', 'test/fixtures/echo/xsd/types/structures.xsd', 'xsd'],
      ['money', 'test/fixtures/echo/xsd/types/money.xsd', 'xsd'],
    ]);
    const refs = Object.fromEntries(model.documents.map((d) => [d.name, d.references]));
    assert.deepEqual(refs.wsdl, { 'xsd/echo.xsd': 'echo' });
    assert.deepEqual(refs.echo, { 'common/facets.xsd': 'facets', 'types/structures.xsd': 'structures' });
    // money.xsd is resolved against structures.xsd's folder, not the WSDL's.
    assert.deepEqual(refs.structures, { 'money.xsd': 'money' });
  });

  it('resolves relative locations against the referencing file whatever the working directory', () => {
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      const again = loadContract('test/fixtures/echo/echo.wsdl', { id: 'echo', projectRoot: ROOT });
      assert.deepEqual(again, model);
      const absolute = loadContract(path.join(ROOT, 'test/fixtures/echo/echo.wsdl'), { id: 'echo', projectRoot: ROOT });
      assert.deepEqual(absolute, model);
    } finally {
      process.chdir(cwd);
    }
  });

  it('maps every built-in of Primitives, qualified (elementFormDefault="qualified", default XSD namespace)', () => {
    const prim = complex(model, `{${E}}Primitives`);
    const expected = [
      'string', 'token', 'normalizedString', 'boolean', 'byte', 'short', 'int', 'long', 'unsignedByte', 'unsignedShort',
      'unsignedInt', 'unsignedLong', 'positiveInteger', 'nonNegativeInteger', 'integer', 'decimal', 'float', 'double',
      'date', 'dateTime', 'time', 'duration', 'base64Binary', 'hexBinary', 'anyURI',
    ];
    assert.deepEqual(elements(prim.content).map((e) => [e.name, e.ns, e.type]), expected.map((b) => [`${b}Value`, E, xs(b)]));
    for (const b of expected) assert.deepEqual(model.schema.types[xs(b)], { kind: 'simple', name: xs(b), builtin: b, facets: {} });
    assert.equal(prim.documentation, 'One element of each supported XSD built-in type.');
  });

  it('flattens extension: base particles and attributes first', () => {
    const customer = complex(model, `{${T}}Customer`);
    assert.equal(customer.base, `{${T}}Party`);
    assert.deepEqual(elements(customer.content).map((e) => [e.name, e.minOccurs, e.maxOccurs]), [
      ['name', 1, 1], ['address', 0, 1], ['email', 0, 1], ['phone', 0, -1],
    ]);
    assert.deepEqual(customer.attributes.map((a) => [a.name, a.required, a.type]), [
      ['id', true, xs('string')], ['vip', false, xs('boolean')], ['since', false, xs('date')],
    ]);
  });

  it('keeps local elements of the unqualified schema in no namespace, and camelCases props', () => {
    const address = complex(model, `{${T}}Address`);
    assert.deepEqual(elements(address.content).map((e) => [e.name, e.ns, e.prop]), [
      ['street', '', 'street'], ['city', '', 'city'], ['postal-code', '', 'postalCode'], ['country', '', 'country'],
    ]);
  });

  it('models choice and all groups', () => {
    const contact = complex(model, `{${T}}Contact`);
    assert.equal(contact.content?.kind, 'choice');
    assert.deepEqual(elements(contact.content).map((e) => e.name), ['email', 'phone', 'postal']);
    const options = complex(model, `{${T}}Options`);
    assert.equal(options.content?.kind, 'all');
    assert.deepEqual(elements(options.content).map((e) => [e.name, e.minOccurs]), [['color', 0], ['size', 1], ['gift', 0]]);
  });

  it('models occurrences, nillable, element refs and simple content', () => {
    const s = complex(model, `{${E}}Structures`);
    const customer = element(s.content, 'Customer');
    assert.deepEqual([customer.ns, customer.type, customer.prop], [T, `{${T}}Customer`, 'Customer']);
    assert.deepEqual([element(s.content, 'item').minOccurs, element(s.content, 'item').maxOccurs], [0, -1]);
    assert.deepEqual([element(s.content, 'tag').minOccurs, element(s.content, 'tag').maxOccurs], [0, 5]);
    assert.deepEqual([element(s.content, 'note').nillable, element(s.content, 'note').minOccurs], [true, 0]);
    assert.deepEqual([element(s.content, 'remark').nillable, element(s.content, 'remark').minOccurs], [true, 1]);
    assert.deepEqual(s.attributes.map((a) => [a.name, a.required]), [['version', true], ['label', false]]);
    const money = complex(model, `{${T}}Money`);
    assert.equal(money.simpleContent, xs('decimal'));
    assert.equal(money.content, null);
    assert.deepEqual(money.attributes.map((a) => [a.name, a.prop, a.required, a.type]), [['currency', 'currency', true, `{${T}}CurrencyCode`]]);
    // A prefix declared on the element itself is in scope for its type attribute.
    assert.equal(element(complex(model, `{${T}}Item`).content, 'price').type, `{${T}}Money`);
  });

  it('gives anonymous types stable keys under their owner', () => {
    const s = complex(model, `{${E}}Structures`);
    const priority = element(s.content, 'priority');
    assert.equal(priority.type, `{${E}}Structures/priority`);
    assert.equal(priority.documentation, '1 (highest) to 5 (lowest).');
    assert.deepEqual(simple(model, priority.type).facets, { minInclusive: '1', maxInclusive: '5' });
    const facetValues = complex(model, `{${E}}FacetValues`);
    assert.equal(facetValues.attributes[0].type, `{${E}}FacetValues/@level`);
    assert.deepEqual(simple(model, `{${E}}FacetValues/@level`).facets.enumeration, ['low', 'high']);
    assert.deepEqual(simple(model, `{${E}}FacetValues/code`).facets, { length: 4 });
    // A global element's anonymous type is keyed by the element.
    assert.equal(model.schema.elements[`{${E}}EchoFaultDetail`].type, `{${E}}EchoFaultDetail`);
    assert.equal(complex(model, `{${E}}EchoFaultDetail`).name, undefined);
  });

  it('collects facets and merges them down restriction chains', () => {
    assert.deepEqual(simple(model, `{${E}}CountryCode`).facets, { enumeration: ['DE', 'FR', 'GB', 'US'] });
    assert.equal(simple(model, `{${E}}CountryCode`).builtin, 'token');
    assert.deepEqual(simple(model, `{${E}}ShortName`).facets, { minLength: 2, maxLength: 10 });
    assert.deepEqual(simple(model, `{${E}}Percent`).facets, { minInclusive: '0', maxInclusive: '100', totalDigits: 5, fractionDigits: 2 });
    assert.deepEqual(simple(model, `{${E}}SmallQuantity`), {
      kind: 'simple', name: `{${E}}SmallQuantity`, builtin: 'int',
      facets: { minExclusive: '0', maxExclusive: '1000', maxInclusive: '10' },
    });
    assert.deepEqual(simple(model, `{${E}}Serial`).facets, { minInclusive: '1', maxInclusive: '18446744073709551615' });
    assert.equal(simple(model, `{${E}}Serial`).builtin, 'unsignedLong');
    const euSku = simple(model, `{${E}}EuSku`);
    assert.equal(euSku.facets.pattern?.length, 2, 'one pattern per derivation step');
    const [fromSku, own] = (euSku.facets.pattern ?? []).map(compileXsdPattern);
    assert.ok(fromSku.test('EUX-1234') && own.test('EUX-1234'));
    assert.ok(!fromSku.test('EUX-12'));
    const consonants = compileXsdPattern((simple(model, `{${E}}Consonants`).facets.pattern ?? [])[0]);
    assert.ok(consonants.test('xyz') && !consonants.test('xaz'));
    const identifier = compileXsdPattern((simple(model, `{${E}}Identifier`).facets.pattern ?? [])[0]);
    assert.ok(identifier.test('_a-b.c') && !identifier.test('1abc') && !identifier.test('-x'));
  });

  it('models global elements', () => {
    assert.deepEqual(model.schema.elements[`{${T}}Customer`], { name: 'Customer', ns: T, type: `{${T}}Customer`, nillable: false });
    assert.deepEqual(model.schema.elements[`{${E}}LimitFaultDetail`], {
      name: 'LimitFaultDetail', ns: E, type: `{${E}}LimitFaultInfo`, nillable: false,
      documentation: 'Detail of the LimitFault: the limit and the amount requested.',
    });
  });

  it('models the port type, operations and declared faults', () => {
    assert.equal(model.portTypes.length, 1);
    const [pt] = model.portTypes;
    assert.deepEqual([pt.name, pt.ns], ['Echo', E]);
    assert.deepEqual(pt.operations.map((o) => [o.name, o.input, o.output]), [
      ['EchoPrimitives', `{${E}}EchoPrimitives`, `{${E}}EchoPrimitivesResponse`],
      ['EchoStructures', `{${E}}EchoStructures`, `{${E}}EchoStructuresResponse`],
      ['EchoFacets', `{${E}}EchoFacets`, `{${E}}EchoFacetsResponse`],
      ['RaiseFault', `{${E}}RaiseFault`, `{${E}}RaiseFaultResponse`],
    ]);
    assert.deepEqual(pt.operations[3].faults, [
      { name: 'EchoFault', element: `{${E}}EchoFaultDetail` },
      { name: 'LimitFault', element: `{${E}}LimitFaultDetail` },
    ]);
    assert.match(pt.operations[0].documentation ?? '', /built-in/);
  });

  it('models SOAP 1.1 and 1.2 bindings and the service ports', () => {
    assert.deepEqual(model.bindings.map((b) => [b.name, b.portType, b.soapVersion]), [
      ['EchoSoap11Binding', 'Echo', '1.1'], ['EchoSoap12Binding', 'Echo', '1.2'],
    ]);
    for (const b of model.bindings) {
      assert.deepEqual(b.operations, ['EchoPrimitives', 'EchoStructures', 'EchoFacets', 'RaiseFault']
        .map((name) => ({ name, soapAction: `urn:example:echo/${name}` })));
    }
    assert.deepEqual(model.services, [{
      name: 'EchoService', documentation: 'Echo test service.',
      ports: [
        { name: 'EchoSoap11Port', binding: 'EchoSoap11Binding', address: 'http://localhost:8080/soap/echo' },
        { name: 'EchoSoap12Port', binding: 'EchoSoap12Binding', address: 'http://localhost:8080/soap/echo' },
      ],
    }]);
  });

  it('is JSON-serialisable as is', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(model)), model);
  });
});

describe('loadContract: other constructs', () => {
  const C = 'urn:example:constructs';
  let model: ContractModel;
  before(() => {
    model = loadContract('test/fixtures/wsdl-constructs/constructs.wsdl', { id: 'constructs', projectRoot: ROOT });
  });

  it('puts a chameleon include into the including namespace', () => {
    const shared = complex(model, `{${C}}Shared`);
    assert.deepEqual(elements(shared.content).map((e) => [e.name, e.ns, e.type]), [['note', C, `{${C}}Note`]]);
    assert.deepEqual(simple(model, `{${C}}Note`).facets, { maxLength: 200 });
  });

  it('resolves prop collisions: numeric suffix between elements, "Attr" for an attribute', () => {
    const clash = complex(model, `{${C}}Clash`);
    assert.deepEqual(elements(clash.content).map((e) => [e.name, e.prop]), [['id', 'id'], ['postal-code', 'postalCode'], ['postalCode', 'postalCode2']]);
    assert.deepEqual(clash.attributes.map((a) => [a.name, a.ns, a.prop, a.type]), [
      ['id', '', 'idAttr', xs('string')], ['lang', 'http://www.w3.org/XML/1998/namespace', 'lang', xs('language')],
    ]);
  });

  it('expands named groups, attribute groups, nested groups and xs:any', () => {
    const nested = complex(model, `{${C}}Nested`);
    const content = nested.content as ModelGroup;
    assert.deepEqual(content.particles.map((p) => p.kind), ['element', 'choice', 'sequence', 'element', 'element', 'any']);
    const choice = content.particles[1] as ModelGroup;
    assert.deepEqual([choice.minOccurs, choice.maxOccurs], [1, -1]);
    assert.deepEqual(elements(content).map((e) => e.name), ['a', 'b', 'c', 'createdBy', 'createdAt', 'inner', 'untyped']);
    assert.equal(element(content, 'untyped').type, xs('anyType'));
    assert.deepEqual(content.particles[5], { kind: 'any', prop: 'any', minOccurs: 0, maxOccurs: -1, namespace: '##other', processContents: 'lax' });
    assert.deepEqual(nested.attributes.map((a) => [a.name, a.required, a.type, a.default]), [
      ['revision', true, xs('long'), undefined], ['source', false, xs('string'), 'api'],
    ]);
    assert.equal(element(content, 'inner').type, `{${C}}Nested/inner`);
    assert.equal(element(complex(model, `{${C}}Nested/inner`).content, 'deeper').type, `{${C}}Nested/inner/deeper`);
  });

  it('models lists, including restricted lists and anonymous item types', () => {
    assert.deepEqual(simple(model, `{${C}}IntList`), { kind: 'simple', name: `{${C}}IntList`, builtin: 'int', facets: {}, listOf: xs('int') });
    assert.deepEqual(simple(model, `{${C}}ShortIntList`), { kind: 'simple', name: `{${C}}ShortIntList`, builtin: 'int', facets: { maxLength: 3 }, listOf: xs('int') });
    assert.equal(simple(model, `{${C}}CodeList`).listOf, `{${C}}CodeList/#item`);
    assert.deepEqual(simple(model, `{${C}}CodeList/#item`).facets.enumeration, ['x', 'y']);
  });

  it('handles complexContent restriction and simpleContent restriction/extension', () => {
    const restricted = complex(model, `{${C}}Restricted`);
    assert.deepEqual(elements(restricted.content).map((e) => e.name), ['x']);
    assert.deepEqual(restricted.attributes.map((a) => a.name), ['keep']);
    const small = complex(model, `{${C}}SmallAmount`);
    assert.equal(small.simpleContent, `{${C}}SmallAmount/#value`);
    assert.deepEqual(simple(model, `{${C}}SmallAmount/#value`), { kind: 'simple', builtin: 'decimal', facets: { maxInclusive: '1000' } });
    const taxed = complex(model, `{${C}}TaxedAmount`);
    assert.deepEqual([taxed.base, taxed.simpleContent, taxed.attributes.map((a) => a.name)], [`{${C}}Amount`, xs('decimal'), ['currency', 'rate']]);
  });

  it('allows recursive types', () => {
    assert.equal(element(complex(model, `{${C}}TreeNode`).content, 'child').type, `{${C}}TreeNode`);
  });

  it('models one-way operations, nillable global elements and a SOAP 1.2-only binding', () => {
    const ops = model.portTypes[0].operations;
    assert.deepEqual(ops.map((o) => [o.name, o.output]), [
      ['GetXMLReport', `{${C}}GetXMLReportResponse`], ['do-thing', `{${C}}GetXMLReportResponse`], ['Notify', undefined],
    ]);
    assert.equal(model.schema.elements[`{${C}}GetXMLReportResponse`].nillable, true);
    assert.deepEqual(model.bindings[0].operations, [
      { name: 'GetXMLReport', soapAction: 'urn:example:constructs/GetXMLReport' }, { name: 'do-thing', soapAction: '' }, { name: 'Notify', soapAction: '' },
    ]);
    assert.equal(model.bindings[0].soapVersion, '1.2');
  });
});
