/**
 * The contract URLs clients try besides ?wsdl: `?singleWsdl` (every schema inline; checked by loading it
 * back through our own WSDL loader and comparing the schema model), `?xsd=<name>.xsd` as an alias of
 * `?xsd=<name>`, and unknown queries (`?disco`) answered 404 rather than 405.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContractDocuments } from '../../../src/soap/wsdl/serve';
import { loadContract } from '../../../src/soap/wsdl/load';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import { contract as echoContract } from '../../fixtures/echo/generated';
import { contract as v1Contract } from '../../../src/generated/v1';
import { contract as v2Contract } from '../../../src/generated/v2';
import type { ContractModel } from '../../../src/soap';
import { CapturingLogger, TRANSPORTS, httpRequest, startServer, type RunningServer } from './http-helpers';
import { MINI_DOCUMENT_ROOT, miniContract, type MiniHandlers } from './mini-contract';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('?singleWsdl document', () => {
  const docs = new ContractDocuments(echoContract, ROOT, 'EchoService');
  const single = docs.singleWsdl('https://example.com/soap/echo') ?? '';

  it('inlines every schema (import, include, chameleon include, nested include) and keeps no schemaLocation', () => {
    assert.doesNotMatch(single, /schemaLocation/);
    assert.doesNotMatch(single, /<(\w+:)?include\b/);
    const schemas = single.match(/<(\w+:)?schema\b[^>]*>/g) ?? [];
    // the WSDL's own inline schema, echo.xsd, common/facets.xsd, types/structures.xsd, types/money.xsd
    assert.equal(schemas.length, 5, schemas.join('\n'));
    assert.match(
      single,
      /<xsd:schema [^>]*targetNamespace="urn:example:echo"/,
      "the chameleon facets.xsd takes the includer's namespace",
    );
    assert.equal((single.match(/location="https:\/\/example.com\/soap\/echo"/g) ?? []).length, 2);
  });

  for (const [contract, service] of [
    [echoContract, 'EchoService'],
    [v1Contract, 'PartnerOrderService'],
    [v2Contract, 'PartnerOrderService'],
  ] as [ContractModel, string][]) {
    it(`describes the same ${contract.id} contract: loaded back by the WSDL loader, the same elements, types and operations`, () => {
      const text = new ContractDocuments(contract, ROOT, service).singleWsdl('http://127.0.0.1/soap/x') ?? '';
      const folder = mkdtempSync(join(tmpdir(), 'single-wsdl-'));
      try {
        writeFileSync(join(folder, 'single.wsdl'), text);
        const reloaded = loadContract(join(folder, 'single.wsdl'), { id: contract.id, projectRoot: folder });
        assert.deepEqual(Object.keys(reloaded.schema.elements).sort(), Object.keys(contract.schema.elements).sort());
        assert.deepEqual(Object.keys(reloaded.schema.types).sort(), Object.keys(contract.schema.types).sort());
        // addresses differ on purpose: they are the endpoint the client used
        const shape = (c: ContractModel): string =>
          JSON.stringify([c.portTypes, c.bindings, c.services], (k, v: unknown) => (k === 'address' ? undefined : v));
        assert.equal(shape(reloaded), shape(contract));
        assert.equal(reloaded.documents.length, 1);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  }
});

const handlers: MiniHandlers = {
  async ping(r) {
    return { text: r.text };
  },
  async other() {
    return {};
  },
  async notify() {},
};

for (const transport of TRANSPORTS) {
  describe(`contract URLs over ${transport}`, () => {
    let server: RunningServer;
    let url: string;
    before(async () => {
      const endpoint = createSoapEndpoint({
        contract: miniContract,
        service: 'MiniService',
        handlers,
        logger: new CapturingLogger(),
        documentRoot: MINI_DOCUMENT_ROOT,
      });
      server = await startServer(transport, { '/soap/mini': endpoint });
      url = `${server.base}/soap/mini`;
    });
    after(() => server.close());

    it('serves ?singleWsdl (any case) with the schema inline and the endpoint address', async () => {
      for (const query of ['singleWsdl', 'singlewsdl', 'SINGLEWSDL']) {
        const r = await httpRequest(`${url}?${query}`, { method: 'GET' });
        assert.equal(r.status, 200, r.body);
        assert.equal(r.headers['content-type'], 'text/xml; charset=utf-8');
        assert.doesNotMatch(r.body, /schemaLocation/);
        assert.match(r.body, /<xs:element name="Ping"/);
        assert.ok(r.body.includes(`location="${url}"`), r.body);
      }
    });

    it('serves ?xsd=<name>.xsd like ?xsd=<name>', async () => {
      const plain = await httpRequest(`${url}?xsd=mini`, { method: 'GET' });
      const suffixed = await httpRequest(`${url}?xsd=mini.xsd`, { method: 'GET' });
      assert.equal(plain.status, 200);
      assert.equal(suffixed.status, 200);
      assert.equal(suffixed.body, plain.body);
      assert.equal((await httpRequest(`${url}?xsd=nope.xsd`, { method: 'GET' })).status, 404);
    });

    it('answers unknown queries with 404 (not 405); a bare GET stays 405', async () => {
      for (const query of ['disco', 'foo=bar', 'wsdl2']) {
        const r = await httpRequest(`${url}?${query}`, { method: 'GET' });
        assert.equal(r.status, 404, query);
        assert.equal(r.headers.allow, undefined);
      }
      assert.equal((await httpRequest(url, { method: 'GET' })).status, 405);
      assert.equal((await httpRequest(`${url}?WSDL`, { method: 'GET' })).status, 200);
    });
  });
}
