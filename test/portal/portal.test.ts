/**
 * The portal over HTTP: GET / and GET /soap list every version, service and operation with the
 * contract's documentation, link documents that the endpoints really serve, and embed a sample request
 * per operation.
 */
import assert from 'node:assert/strict';
import { contract as v1 } from '../../src/generated/v1';
import { contract as v2 } from '../../src/generated/v2';
import { startTestApp, type TestApp } from '../support/app-server';

describe('service portal page', () => {
  let app: TestApp;
  let html: string;
  before(async () => {
    app = await startTestApp({ config: { versions: { v1: { deprecated: true, sunset: '2027-06-30T00:00:00Z' } } } });
    const response = await fetch(`${app.baseUrl}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    html = await response.text();
  });
  after(async () => {
    await app?.close();
  });

  it('serves the same page at / and /soap', async () => {
    const soap = await fetch(`${app.baseUrl}/soap`);
    assert.equal(soap.status, 200);
    assert.equal(await soap.text(), html);
  });

  it('lists every mounted endpoint with its service and port type documentation', () => {
    for (const path of ['/soap/v1/orders', '/soap/v1/admin', '/soap/v2/orders', '/soap/v2/admin'])
      assert.ok(html.includes(`data-path="${path}"`), path);
    for (const contract of [v1, v2]) {
      for (const service of contract.services) assert.ok(html.includes(service.documentation!), service.name);
    }
    assert.match(html, /Version v2 <span class="badge current">current<\/span>/);
    assert.match(html, /Version v1 <span class="badge deprecated">deprecated, sunset 2027-06-30<\/span>/);
  });

  it('lists every operation of both versions with its wsdl:documentation and an escaped sample request', () => {
    for (const contract of [v1, v2]) {
      for (const portType of contract.portTypes) {
        for (const operation of portType.operations) {
          const id = `${contract.id}-${portType.name === 'PartnerOrderPort' ? 'PartnerOrderService' : 'PartnerOrderAdminService'}-${operation.name}`;
          assert.ok(html.includes(`id="${id}"`), id);
          const doc = operation
            .documentation!.replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/"/g, '&quot;');
          assert.ok(html.includes(doc), `${id}: ${doc}`);
        }
      }
    }
    assert.ok(html.includes('<span class="op-name">GetOrderHistory</span>'));
    assert.ok(html.includes('&lt;po:GetProductRequest xmlns:po=&quot;urn:partner-orders:v2&quot;&gt;'));
    assert.ok(
      html.includes('&lt;po:unitPrice currency=&quot;EUR&quot;&gt;10.00&lt;/po:unitPrice&gt;'),
      'v2 Money sample',
    );
  });

  it('links the WSDL and every XSD of each endpoint, and each link is served', async () => {
    const links = [...html.matchAll(/class="doc-link (?:wsdl|xsd)" href="([^"]+)"/g)].map((m) =>
      m[1]!.replace(/&amp;/g, '&'),
    );
    assert.equal(links.length, 4 * 3, 'WSDL + messages.xsd + types.xsd for each of the four endpoints');
    for (const link of links) {
      const response = await fetch(`${app.baseUrl}${link}`);
      assert.equal(response.status, 200, link);
      assert.match(await response.text(), /<(wsdl:definitions|xs:schema)/, link);
    }
  });

  it('embeds the operations for the form as JSON that cannot close its script element', () => {
    const json = /<script type="application\/json" id="portal-data">([^]*?)<\/script>/.exec(html)?.[1];
    assert.ok(json !== undefined);
    assert.ok(!json.includes('<'), 'every < is escaped');
    const data = JSON.parse(json) as Array<{
      path: string;
      operations: Array<{ name: string; soapAction: string; sample: string }>;
    }>;
    assert.deepEqual(
      data.map((e) => e.path),
      ['/soap/v2/orders', '/soap/v2/admin', '/soap/v1/orders', '/soap/v1/admin'],
      'newest version first, as on the page',
    );
    const history = data[0]!.operations.find((o) => o.name === 'GetOrderHistory');
    assert.equal(history?.soapAction, 'urn:partner-orders:v2/GetOrderHistory');
  });

  it('still answers unknown paths with the 404 text', async () => {
    const response = await fetch(`${app.baseUrl}/nope`);
    assert.equal(response.status, 404);
  });
});

describe('service portal: what it says about each operation', () => {
  let app: TestApp;
  let html: string;
  before(async () => {
    app = await startTestApp();
    html = await (await fetch(`${app.baseUrl}/`)).text();
  });
  after(async () => {
    await app?.close();
  });

  const operationBlock = (id: string): string => {
    const start = html.indexOf(`<details class="operation" id="${id}">`);
    assert.ok(start >= 0, id);
    return html.slice(start, html.indexOf('</details>\n', html.indexOf('Sample request body', start)) + 10);
  };

  it('documents the request and response fields from the contract: types, occurrences, facets, documentation', () => {
    const submit = operationBlock('v2-PartnerOrderService-SubmitOrder');
    assert.match(
      submit,
      /<code>sku<\/code><\/td><td><code>Sku: string<\/code><\/td><td class="occurs">1<\/td><td><span class="constraint">pattern \[A-Z0-9\]/,
    );
    assert.match(submit, /<code>line<\/code><\/td><td><code>[^<]+<\/code><\/td><td class="occurs">1\.\.500<\/td>/);
    assert.match(submit, /<code>quantity<\/code>.*?1 ≤ value ≤ 100000/s);
    assert.match(submit, /Stock keeping unit: upper-case letters/);
    assert.match(submit, /Response SubmitOrderResponse/);
    assert.match(submit, /class="occurs">0\.\.1<\/td>/);
  });

  it('shows a sample response and a sample of each declared fault', () => {
    const getProduct = operationBlock('v2-PartnerOrderService-GetProduct');
    assert.match(getProduct, /Sample response body/);
    assert.ok(getProduct.includes('&lt;tns:GetProductResponse xmlns:tns=&quot;urn:partner-orders:v2&quot;&gt;'));
    assert.match(getProduct, /<code>ProductNotFound<\/code> <span class="muted">detail element/);
    assert.ok(getProduct.includes('&lt;faultcode&gt;soapenv:Client&lt;/faultcode&gt;'));
  });

  it('has Try it and Copy as curl per operation, the operations in the sidebar, and client snippets', () => {
    assert.match(html, /<a class="nav-op" href="#v1-PartnerOrderService-SubmitOrder">SubmitOrder<\/a>/);
    assert.match(html, /class="secondary op-curl" data-endpoint="\/soap\/v2\/orders" data-operation="GetProduct"/);
    for (const id of ['java', 'dotnet', 'python', 'php']) assert.match(html, new RegExp(`id="client-${id}"`), id);
    assert.ok(html.includes('mkdir -p target/generated'));
    assert.ok(html.includes('dotnet-svcutil'));
    assert.ok(html.includes('from zeep import Client'));
    assert.ok(html.includes('new SoapClient('));
    assert.match(html, /X\.509-signed calls<\/strong>[^]*BinarySignature/);
  });

  it('says whether the published demo account works: yes on a fresh database', async () => {
    const response = await fetch(`${app.baseUrl}/portal/demo-account`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { username: 'demo', password: app.demo.password });
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('serves the SoapUI project it links', async () => {
    assert.match(html, /href="\/portal\/partner-orders-soapui-project\.xml" download/);
    const response = await fetch(`${app.baseUrl}/portal/partner-orders-soapui-project.xml`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment/);
  });
});

describe('service portal in production', () => {
  let app: TestApp;
  const previous = process.env.NODE_ENV;
  before(async () => {
    process.env.NODE_ENV = 'production';
    try {
      app = await startTestApp();
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
  after(async () => {
    await app?.close();
  });

  it('never offers demo credentials', async () => {
    const response = await fetch(`${app.baseUrl}/portal/demo-account`);
    assert.equal(response.status, 404);
  });
});
