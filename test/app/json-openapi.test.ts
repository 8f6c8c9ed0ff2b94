/**
 * The OpenAPI documents: valid OpenAPI 3.1 by a maintained validator (@seriousme/openapi-schema-validator),
 * the client types openapi-typescript generates from them are the committed ones (so the type check of this
 * file proves the typed client below fits the document), and a client built with openapi-fetch on those
 * types runs the order lifecycle against the real service.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/app-server';
import { clientTypes, generatedFile } from './openapi-client/generate';
import type { paths as V1Paths } from './openapi-client/v1';

describe('OpenAPI documents of the JSON binding', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
  });

  for (const version of ['v1', 'v2']) {
    it(`/api/${version}/openapi.json is valid OpenAPI 3.1 with a path per operation, problems and security`, async () => {
      const response = await fetch(`${app.baseUrl}/api/${version}/openapi.json`);
      assert.equal(response.status, 200);
      const document = (await response.json()) as Record<string, unknown>;
      const { Validator } = await import('@seriousme/openapi-schema-validator');
      const validator = new Validator();
      const result = await validator.validate(document);
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
      assert.equal(validator.version, '3.1');

      const paths = document.paths as Record<string, { post: Record<string, unknown> }>;
      assert.ok(paths[`/api/${version}/orders/SubmitOrder`] !== undefined);
      assert.ok(paths[`/api/${version}/admin/ShipOrder`] !== undefined);
      const submit = paths[`/api/${version}/orders/SubmitOrder`]?.post as Record<string, unknown>;
      const responses = submit.responses as Record<string, Record<string, unknown>>;
      for (const status of ['200', '400', '401', '404', '409', '429', '503'])
        assert.ok(responses[status] !== undefined, status);
      const example = (
        (submit.requestBody as Record<string, Record<string, Record<string, unknown>>>).content?.[
          'application/json'
        ] as Record<string, unknown>
      ).example;
      assert.ok(example !== undefined, "the request has an example from the portal's sample generator");
      const schemas = (document.components as Record<string, Record<string, Record<string, unknown>>>)
        .schemas as Record<string, Record<string, unknown>>;
      const money = version === 'v1' ? schemas.Money : schemas.Amount;
      assert.equal(money?.type, 'string', 'decimals are strings');
      if (version === 'v2')
        assert.deepEqual(schemas.Money?.required, ['currency', '$value'], 'an attribute and simple content');
      assert.equal(schemas.Quantity?.type, 'integer');
      assert.equal(schemas.Quantity?.minimum, 1);
      assert.equal(schemas.Sku?.pattern, '^(?:[A-Z0-9][A-Z0-9\\-]{0,31})$');
      assert.deepEqual(schemas.OrderStatus?.enum, ['ACCEPTED', 'CANCELLED', 'SHIPPED']);
      assert.ok(typeof money?.description === 'string' && money.description.includes('fraction digits'));
      const security = (document.components as Record<string, Record<string, Record<string, unknown>>>).securitySchemes;
      assert.equal(security?.basicAuth?.scheme, 'basic');
      assert.equal(security?.mutualTLS?.type, 'mutualTLS');
    });

    it(`openapi-typescript generates the committed client types from /api/${version}/openapi.json`, async () => {
      const document = (await (await fetch(`${app.baseUrl}/api/${version}/openapi.json`)).json()) as object;
      const generated = await clientTypes(version, document);
      if (process.env.UPDATE_OPENAPI_TYPES === '1') writeFileSync(generatedFile(version), generated);
      assert.equal(
        readFileSync(generatedFile(version), 'utf8'),
        generated,
        'regenerate with UPDATE_OPENAPI_TYPES=1 and commit',
      );
    });
  }

  it('is linked from the portal', async () => {
    const page = await (await fetch(`${app.baseUrl}/`)).text();
    assert.match(page, /href="\/api\/v1\/openapi\.json"/);
    assert.match(page, /href="\/api\/v2\/openapi\.json"/);
  });

  it('a client generated from the document (openapi-fetch) runs the order lifecycle', async () => {
    const { default: createClient } = await import('openapi-fetch');
    const authorization = (c: { username: string; password: string }): string =>
      `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    const partner = createClient<V1Paths>({
      baseUrl: app.baseUrl,
      headers: { Authorization: authorization(app.demo) },
    });
    const administrator = createClient<V1Paths>({
      baseUrl: app.baseUrl,
      headers: { Authorization: authorization(app.admin) },
    });

    const search = await partner.POST('/api/v1/orders/SearchProducts', { body: { text: 'screw', pageSize: 1 } });
    assert.equal(search.data?.product?.length, 1);
    const next = await partner.POST('/api/v1/orders/SearchProducts', {
      body: { text: 'screw', pageSize: 1, pageToken: search.data?.nextPageToken },
    });
    assert.notEqual(next.data?.product?.[0]?.sku, search.data?.product?.[0]?.sku);

    const body = {
      partnerOrderRef: `CLIENT-${Date.now()}`,
      shipTo: { name: 'ACME Receiving', line1: 'Dock 4', city: 'Hamburg', postalCode: '20095', countryCode: 'DE' },
      line: [{ sku: 'FAS-SCR-4X40', quantity: 3 }],
    };
    const submitted = await partner.POST('/api/v1/orders/SubmitOrder', { body });
    const order = submitted.data?.order;
    assert.ok(order !== undefined, JSON.stringify(submitted.error));
    assert.equal(order.total, '20.70');
    const resubmitted = await partner.POST('/api/v1/orders/SubmitOrder', { body });
    assert.equal(resubmitted.data?.order.orderId, order.orderId);
    const got = await partner.POST('/api/v1/orders/GetOrder', { body: { orderId: order.orderId } });
    assert.deepEqual(got.data?.order, order);

    const other = await partner.POST('/api/v1/orders/SubmitOrder', {
      body: { ...body, partnerOrderRef: `${body.partnerOrderRef}-2` },
    });
    const page1 = await partner.POST('/api/v1/orders/ListOrders', { body: { pageSize: 1 } });
    const page2 = await partner.POST('/api/v1/orders/ListOrders', {
      body: { pageSize: 1, pageToken: page1.data?.nextPageToken },
    });
    assert.equal(page1.data?.orderSummary?.length, 1);
    assert.notEqual(page2.data?.orderSummary?.[0]?.orderId, page1.data?.orderSummary?.[0]?.orderId);

    const cancelled = await partner.POST('/api/v1/orders/CancelOrder', {
      body: { orderId: other.data?.order.orderId ?? '' },
    });
    assert.equal(cancelled.data?.order.status, 'CANCELLED');
    const shipped = await administrator.POST('/api/v1/admin/ShipOrder', {
      body: { orderId: order.orderId, carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
    });
    assert.equal(shipped.data?.order.status, 'SHIPPED');

    const refused = await partner.POST('/api/v1/orders/CancelOrder', { body: { orderId: order.orderId } });
    assert.equal(refused.response.status, 409);
    assert.equal(refused.error?.type, 'urn:partner-orders:problem:v1:InvalidOrderState');
  });
});
