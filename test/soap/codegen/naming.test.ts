import { strict as assert } from 'node:assert';
import { isJsIdentifier, operationMethodName, propName, typeName } from '../../../src/soap/codegen/naming';

describe('codegen naming', () => {
  it('operationMethodName: lowerCamelCase, leading acronyms lowered as a whole', () => {
    const cases: Array<[string, string]> = [
      ['EchoPrimitives', 'echoPrimitives'],
      ['SubmitOrder', 'submitOrder'],
      ['getOrder', 'getOrder'],
      ['GetXMLReport', 'getXMLReport'],
      ['XMLExport', 'xmlExport'],
      ['URL', 'url'],
      ['get-order', 'getOrder'],
      ['Do_Thing', 'do_Thing'],
      ['A', 'a'],
      ['ping.v2', 'pingV2'],
    ];
    for (const [op, method] of cases) assert.equal(operationMethodName(op), method, op);
  });

  it('propName: the name itself when it is an identifier, else camelCase', () => {
    const cases: Array<[string, string]> = [
      ['orderId', 'orderId'],
      ['Customer', 'Customer'],
      ['postal-code', 'postalCode'],
      ['line.item', 'lineItem'],
      ['1st', '_1st'],
      ['élément', 'élément'],
      ['a--b', 'aB'],
      ['default', 'default'],
      ['__proto__', '_proto'],
    ];
    for (const [name, prop] of cases) assert.equal(propName(name), prop, name);
  });

  it('typeName: PascalCase identifiers', () => {
    assert.equal(typeName('order-line'), 'OrderLine');
    assert.equal(typeName('Order'), 'Order');
    assert.equal(typeName('constructs-port'), 'ConstructsPort');
    assert.equal(typeName('2fa'), '_2fa');
  });

  it('isJsIdentifier', () => {
    assert.ok(isJsIdentifier('$value') && isJsIdentifier('_x') && isJsIdentifier('ä'));
    assert.ok(!isJsIdentifier('a-b') && !isJsIdentifier('1a') && !isJsIdentifier(''));
  });
});
