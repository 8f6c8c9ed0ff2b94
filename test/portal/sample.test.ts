import assert from 'node:assert/strict';
import path from 'node:path';
import { contract as v1 } from '../../src/generated/v1';
import { contract as v2 } from '../../src/generated/v2';
import { sampleForPattern } from '../../src/portal/pattern-sample';
import { sampleElement, satisfies } from '../../src/portal/sample';
import { createSchemaCodec } from '../../src/soap/schema/codec';
import type { ContractModel, SimpleTypeDef } from '../../src/soap/schema/model';
import { loadContract } from '../../src/soap/wsdl/load';
import { parseXmlFast } from '../../src/soap/xml/fast';

const ROOT = path.join(__dirname, '..', '..');
const contracts: ContractModel[] = [
  v1,
  v2,
  loadContract('test/fixtures/echo/echo.wsdl', { id: 'echo', projectRoot: ROOT }),
  loadContract('test/fixtures/wsdl-constructs/constructs.wsdl', { id: 'constructs', projectRoot: ROOT }),
];

describe('portal/sample: sample requests from the schema', () => {
  for (const contract of contracts) {
    it(`generates a schema-valid input for every operation of ${contract.id}`, () => {
      const codec = createSchemaCodec(contract.schema);
      let count = 0;
      for (const portType of contract.portTypes) {
        for (const operation of portType.operations) {
          const xml = sampleElement(contract, operation.input);
          assert.doesNotThrow(() => codec.decode(operation.input, parseXmlFast(xml)), `${operation.name}:\n${xml}`);
          count += 1;
        }
      }
      assert.ok(count > 0);
    });
  }

  it('writes required elements with readable values and lists optional ones in a comment', () => {
    const xml = sampleElement(v1, '{urn:partner-orders:v1}SubmitOrderRequest');
    assert.match(
      xml,
      /^<po:SubmitOrderRequest xmlns:po="urn:partner-orders:v1">\n {2}<po:partnerOrderRef>PO-2026-0001<\/po:partnerOrderRef>\n {2}<po:shipTo>\n {4}<po:name>ACME Receiving<\/po:name>/,
    );
    assert.match(
      xml,
      /<po:line>\n {4}<po:sku>FAS-SCR-4X40<\/po:sku>\n {4}<po:quantity>2<\/po:quantity>\n {2}<\/po:line>/,
    );
    assert.match(xml, / {4}<!-- optional: line2, region -->/);
    assert.match(xml, / {2}<!-- optional: requestedDeliveryDate, note -->\n<\/po:SubmitOrderRequest>$/);
  });

  it('puts a v2 Money value in simple content with its required currency attribute', () => {
    const xml = sampleElement(v2, '{urn:partner-orders:v2}UpsertProductRequest', { prefix: 'v2' });
    assert.match(xml, /<v2:unitPrice currency="EUR">10\.00<\/v2:unitPrice>/);
    assert.match(xml, /^<v2:UpsertProductRequest xmlns:v2="urn:partner-orders:v2">/);
  });

  it('uses the first enumeration value', () => {
    const xml = sampleElement(v1, '{urn:partner-orders:v1}InvalidOrderState');
    assert.match(xml, /<po:currentStatus>ACCEPTED<\/po:currentStatus>/);
  });

  it('drops a hint the schema refuses and derives a valid value from the facets instead', () => {
    const xml = sampleElement(v1, '{urn:partner-orders:v1}GetProductRequest', {
      hints: { Sku: 'not a sku', sku: 'lower-case' },
    });
    const sku = /<po:sku>([^<]*)<\/po:sku>/.exec(xml)?.[1];
    assert.ok(sku !== undefined && /^[A-Z0-9][A-Z0-9-]{0,31}$/.test(sku), sku);
    const quantity = sampleElement(v1, '{urn:partner-orders:v1}SubmitOrderRequest', { hints: { quantity: '0' } });
    assert.match(
      quantity,
      /<po:quantity>1<\/po:quantity>/,
      'the minimum of Quantity (1..100000), not the refused hint',
    );
  });

  it('checks values against patterns, lengths, bounds and fraction digits', () => {
    const money: SimpleTypeDef = {
      kind: 'simple',
      builtin: 'decimal',
      facets: { minInclusive: '0', maxInclusive: '99.99', fractionDigits: 2 },
    };
    assert.equal(satisfies(money, '10.00'), true);
    assert.equal(satisfies(money, '10.001'), false);
    assert.equal(satisfies(money, '100.00'), false);
    assert.equal(satisfies(money, '-1'), false);
    const code: SimpleTypeDef = { kind: 'simple', builtin: 'string', facets: { pattern: ['[A-Z]{3}'] } };
    assert.equal(satisfies(code, 'EUR'), true);
    assert.equal(satisfies(code, 'EURO'), false);
    const bounded: SimpleTypeDef = { kind: 'simple', builtin: 'string', facets: { minLength: 2, maxLength: 3 } };
    assert.equal(satisfies(bounded, 'A'), false);
    assert.equal(satisfies(bounded, 'ABCD'), false);
    assert.equal(satisfies({ kind: 'simple', builtin: 'unsignedByte', facets: {} }, '256'), false);
  });

  it('builds strings from pattern facets (classes, \\p{..}, set subtraction, groups, alternation, bounds)', () => {
    const cases: Array<[string, number]> = [
      ['[A-Z]{3}-\\p{Nd}{4}', 1],
      ['EU[A-Z]-\\p{Nd}+', 4],
      ['[[a-z]--[aeiou]]+', 2],
      ['(ab|cd)?x{2,3}', 1],
      ['\\S(.*\\S)?', 2],
    ];
    for (const [pattern, repeat] of cases) {
      const sample = sampleForPattern(pattern, repeat);
      assert.ok(sample !== undefined && new RegExp(`^(?:${pattern})$`, 'v').test(sample), `${pattern} -> ${sample}`);
    }
    assert.equal(sampleForPattern('[A-Z]{3}-\\p{Nd}{4}', 1), 'AAA-0000');
    assert.equal(sampleForPattern('(unbalanced', 1), undefined);
  });

  it('refuses an element the contract does not declare', () => {
    assert.throws(() => sampleElement(v1, '{urn:partner-orders:v1}Nope'), /declares no element/);
  });
});
