import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractModel } from '../../../src/soap/schema/model';
import { ContractDocuments, compileTemplate } from '../../../src/soap/wsdl/serve';

const WSDL = `<?xml version="1.0"?>
<!-- a comment mentioning <xs:import schemaLocation="a.xsd"/> stays untouched -->
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s11="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:s12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types><xs:schema><xs:import namespace="urn:a" schemaLocation = 'xsd/a.xsd'/></xs:schema></wsdl:types>
  <wsdl:service name="S">
    <wsdl:port name="P11" binding="b"><s11:address location="http://localhost:8080/old"/></wsdl:port>
    <wsdl:port name="P12" binding="b12"><s12:address
        location="http://localhost:8080/old"/></wsdl:port>
    <wsdl:port name="H" binding="h"><http:address location="http://elsewhere/keep"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>`;
const XSD_A = `<schema xmlns="http://www.w3.org/2001/XMLSchema"><include schemaLocation="b&amp;c.xsd"/><import schemaLocation="unknown.xsd"/></schema>`;
const XSD_B = `<schema xmlns="http://www.w3.org/2001/XMLSchema"/>`;

function contract(): ContractModel {
  return {
    id: 't',
    targetNamespace: 'urn:t',
    schema: { types: {}, elements: {} },
    portTypes: [],
    bindings: [],
    services: [],
    documents: [
      { name: 'wsdl', path: 'c/t.wsdl', kind: 'wsdl', references: { 'xsd/a.xsd': 'a' } },
      { name: 'a', path: 'c/xsd/a.xsd', kind: 'xsd', references: { 'b&c.xsd': 'b c' } },
      { name: 'b c', path: 'c/xsd/b&c.xsd', kind: 'xsd', references: {} },
    ],
  };
}

describe('wsdl/serve', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'wsdl-serve-'));
    mkdirSync(join(root, 'c/xsd'), { recursive: true });
    writeFileSync(join(root, 'c/t.wsdl'), WSDL);
    writeFileSync(join(root, 'c/xsd/a.xsd'), XSD_A);
    writeFileSync(join(root, 'c/xsd/b&c.xsd'), XSD_B);
  });

  it('rewrites soap and soap12 addresses to the endpoint and schema locations to ?xsd=name', () => {
    const docs = new ContractDocuments(contract(), root);
    const wsdl = docs.wsdl('https://example.com/soap/t?x&y') ?? '';
    assert.equal((wsdl.match(/location="https:\/\/example.com\/soap\/t\?x&amp;y"/g) ?? []).length, 2);
    assert.match(wsdl, /schemaLocation = 'https:\/\/example.com\/soap\/t\?x&amp;y\?xsd=a'/);
    assert.match(wsdl, /<http:address location="http:\/\/elsewhere\/keep"\/>/, 'non-SOAP addresses are kept');
    assert.match(wsdl, /<!-- a comment mentioning <xs:import schemaLocation="a.xsd"\/> stays untouched -->/);
    assert.doesNotMatch(wsdl, /localhost:8080/);
  });

  it("points ports of other services at their own path on the client's host", () => {
    const text = `<w:definitions xmlns:w="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://schemas.xmlsoap.org/wsdl/soap/">
      <w:service name="Orders"><w:port name="P" binding="b"><s:address location="http://localhost:8080/soap/v1/orders"/></w:port></w:service>
      <w:service name='Admin'><w:port name="Q" binding="c"><s:address location="http://localhost:8080/soap/v1/admin?x=1"/></w:port></w:service>
    </w:definitions>`;
    const parts = compileTemplate(text, {}, 'Orders');
    assert.deepEqual(
      parts.filter((p) => typeof p !== 'string'),
      [{ slot: 'endpoint' }, { slot: 'origin', path: '/soap/v1/admin?x=1' }],
    );
    const root2 = mkdtempSync(join(tmpdir(), 'wsdl-serve-'));
    writeFileSync(join(root2, 'two.wsdl'), text);
    const c: ContractModel = {
      ...contract(),
      documents: [{ name: 'wsdl', path: 'two.wsdl', kind: 'wsdl', references: {} }],
    };
    const wsdl = new ContractDocuments(c, root2, 'Orders').wsdl('https://partners.example.com/soap/v1/orders') ?? '';
    assert.match(wsdl, /<s:address location="https:\/\/partners.example.com\/soap\/v1\/orders"\/>/);
    assert.match(wsdl, /<s:address location="https:\/\/partners.example.com\/soap\/v1\/admin\?x=1"\/>/);
  });

  it('serves XSDs by name with their own references rewritten; unknown names are undefined', () => {
    const docs = new ContractDocuments(contract(), root);
    const a = docs.document('a', 'http://h/e') ?? '';
    assert.match(a, /<include schemaLocation="http:\/\/h\/e\?xsd=b%20c"\/>/);
    assert.match(a, /<import schemaLocation="unknown.xsd"\/>/, 'unmapped references stay as written');
    assert.equal(docs.document('b c', 'http://h/e'), XSD_B);
    assert.equal(docs.document('nope', 'http://h/e'), undefined);
  });

  it('precomputes the template: literal parts and slots only', () => {
    const parts = compileTemplate('<a:address xmlns:a="http://schemas.xmlsoap.org/wsdl/soap/" location="x"/>', {});
    assert.deepEqual(parts, [
      '<a:address xmlns:a="http://schemas.xmlsoap.org/wsdl/soap/" location="',
      { slot: 'endpoint' },
      '"/>',
    ]);
  });

  it('fails at start-up when a document cannot be read', () => {
    const c = contract();
    c.documents.push({ name: 'missing', path: 'c/missing.xsd', kind: 'xsd', references: {} });
    assert.throws(() => new ContractDocuments(c, root), /cannot read document 'missing'/);
  });
});
