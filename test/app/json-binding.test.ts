/**
 * The JSON binding end to end over HTTP against the real service (SQLite): the order lifecycle, every
 * declared fault as problem details, the engine's own problems, authentication and isolation, the
 * interceptors (metrics label, deprecation headers), and the same answers as the SOAP binding.
 */
import assert from 'node:assert/strict';
import { postSoap11, soap11, startTestApp, type TestApp } from '../support/app-server';

interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

type Credentials = { username: string; password: string } | undefined;

function basic(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

async function call(
  app: TestApp,
  path: string,
  body: unknown,
  credentials: Credentials,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(credentials === undefined ? {} : { Authorization: basic(credentials) }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

const SHIP_TO = { name: 'ACME Receiving', line1: 'Dock 4', city: 'Hamburg', postalCode: '20095', countryCode: 'DE' };

function assertProblem(reply: Reply, status: number, type: string | RegExp): void {
  assert.equal(reply.status, status, JSON.stringify(reply.json));
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  if (typeof type === 'string') assert.equal(reply.json.type, type);
  else assert.match(String(reply.json.type), type);
  assert.equal(reply.json.status, status);
  assert.equal(typeof reply.json.title, 'string');
  assert.equal(reply.json.requestId, reply.headers.get('x-request-id'));
  assert.doesNotMatch(JSON.stringify(reply.json), /at .*\.ts:\d+/);
}

describe('JSON binding over HTTP (SQLite)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ config: { versions: { v1: { deprecated: true, sunset: '2027-06-30T00:00:00Z' } } } });
  });
  after(async () => {
    await app?.close();
  });

  const orders = '/api/v1/orders';
  const admin = '/api/v1/admin';

  it('runs the order lifecycle: search, submit, resubmit, get, list with paging, cancel, admin ship', async () => {
    const search = await call(app, `${orders}/SearchProducts`, { text: 'screw', pageSize: 1 }, app.demo);
    assert.equal(search.status, 200, JSON.stringify(search.json));
    assert.match(search.headers.get('content-type') ?? '', /^application\/json/);
    const products = search.json.product as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(products) && products.length === 1, 'a repeated element is an array even with one item');
    assert.equal(typeof products[0]?.unitPrice, 'string', 'decimals are strings');
    assert.equal(typeof search.json.nextPageToken, 'string');
    const page2 = await call(
      app,
      `${orders}/SearchProducts`,
      { text: 'screw', pageSize: 1, pageToken: search.json.nextPageToken },
      app.demo,
    );
    assert.notDeepEqual((page2.json.product as unknown[])[0], products[0]);

    const ref = `JSON-${Date.now()}`;
    const request = {
      partnerOrderRef: ref,
      shipTo: SHIP_TO,
      line: [{ sku: 'FAS-SCR-4X40', quantity: 2 }],
      requestedDeliveryDate: '2030-01-31',
    };
    const submitted = await call(app, `${orders}/SubmitOrder`, request, app.demo);
    assert.equal(submitted.status, 200, JSON.stringify(submitted.json));
    const order = submitted.json.order as Record<string, unknown>;
    assert.equal(order.status, 'ACCEPTED');
    assert.equal(order.total, '13.80');
    assert.equal(order.requestedDeliveryDate, '2030-01-31');
    assert.deepEqual(
      (order.line as Array<Record<string, unknown>>).map((l) => [l.lineNumber, l.quantity, l.unitPrice]),
      [[1, 2, '6.90']],
    );
    assert.equal(order.note, undefined, 'an absent optional element is an absent property');

    const again = await call(app, `${orders}/SubmitOrder`, request, app.demo);
    assert.equal(again.status, 200);
    assert.equal((again.json.order as Record<string, unknown>).orderId, order.orderId, 'resubmitting is idempotent');

    const got = await call(app, `${orders}/GetOrder`, { orderId: order.orderId }, app.demo);
    assert.deepEqual(got.json.order, order);

    const second = await call(app, `${orders}/SubmitOrder`, { ...request, partnerOrderRef: `${ref}-2` }, app.demo);
    assert.equal(second.status, 200);
    const list1 = await call(app, `${orders}/ListOrders`, { pageSize: 1 }, app.demo);
    assert.equal(list1.status, 200, JSON.stringify(list1.json));
    assert.equal((list1.json.orderSummary as unknown[]).length, 1);
    const list2 = await call(
      app,
      `${orders}/ListOrders`,
      { pageSize: 1, pageToken: list1.json.nextPageToken },
      app.demo,
    );
    assert.equal((list2.json.orderSummary as unknown[]).length, 1);
    assert.notDeepEqual(list2.json.orderSummary, list1.json.orderSummary);

    const cancelled = await call(
      app,
      `${orders}/CancelOrder`,
      { orderId: (second.json.order as Record<string, unknown>).orderId, reason: 'changed plans' },
      app.demo,
    );
    assert.equal((cancelled.json.order as Record<string, unknown>).status, 'CANCELLED');

    const shipped = await call(
      app,
      `${admin}/ShipOrder`,
      { orderId: order.orderId, carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
      app.admin,
    );
    assert.equal(shipped.status, 200, JSON.stringify(shipped.json));
    const shipment = (shipped.json.order as Record<string, unknown>).shipment as Record<string, unknown>;
    assert.equal(shipment.carrier, 'UPS');
    assert.match(String(shipment.shippedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    const late = await call(app, `${orders}/CancelOrder`, { orderId: order.orderId }, app.demo);
    assertProblem(late, 409, 'urn:partner-orders:problem:v1:InvalidOrderState');
    assert.equal(late.json.orderId, order.orderId);
    assert.equal(late.json.currentStatus, 'SHIPPED');
  });

  it('answers every declared fault as problem details with its fields', async () => {
    const unknown = await call(app, `${orders}/GetProduct`, { sku: 'NO-SUCH-SKU' }, app.demo);
    assertProblem(unknown, 404, 'urn:partner-orders:problem:v1:ProductNotFound');
    assert.equal(unknown.json.title, 'Product not found');
    assert.equal(unknown.json.sku, 'NO-SUCH-SKU');

    const base = { shipTo: SHIP_TO, line: [{ sku: 'FAS-SCR-4X40', quantity: 1 }] };
    const stock = await call(
      app,
      `${orders}/SubmitOrder`,
      { ...base, partnerOrderRef: `STOCK-${Date.now()}`, line: [{ sku: 'FAS-SCR-4X40', quantity: 100000 }] },
      app.demo,
    );
    assertProblem(stock, 409, 'urn:partner-orders:problem:v1:InsufficientStock');
    assert.equal(stock.json.sku, 'FAS-SCR-4X40');
    assert.equal(stock.json.requested, 100000);

    const ref = `CONFLICT-${Date.now()}`;
    assert.equal((await call(app, `${orders}/SubmitOrder`, { ...base, partnerOrderRef: ref }, app.demo)).status, 200);
    const conflict = await call(
      app,
      `${orders}/SubmitOrder`,
      { ...base, partnerOrderRef: ref, line: [{ sku: 'FAS-SCR-4X40', quantity: 3 }] },
      app.demo,
    );
    assertProblem(conflict, 409, 'urn:partner-orders:problem:v1:OrderConflict');
    assert.equal(conflict.json.partnerOrderRef, ref);

    const missing = await call(
      app,
      `${orders}/GetOrder`,
      { orderId: '00000000-0000-4000-8000-000000000000' },
      app.demo,
    );
    assertProblem(missing, 404, 'urn:partner-orders:problem:v1:OrderNotFound');

    const duplicate = await call(
      app,
      `${orders}/SubmitOrder`,
      {
        ...base,
        partnerOrderRef: `DUP-${Date.now()}`,
        line: [
          { sku: 'FAS-SCR-4X40', quantity: 1 },
          { sku: 'FAS-SCR-4X40', quantity: 2 },
        ],
      },
      app.demo,
    );
    assertProblem(duplicate, 400, 'urn:partner-orders:problem:v1:ValidationFault');
    assert.ok(Array.isArray(duplicate.json.violation) && (duplicate.json.violation as unknown[]).length > 0);

    const forbidden = await call(
      app,
      `${admin}/AdjustStock`,
      { sku: 'FAS-SCR-4X40', delta: 5, reason: 'count' },
      app.demo,
    );
    assertProblem(forbidden, 403, 'urn:partner-orders:problem:v1:NotAuthorized');
    assert.equal(forbidden.json.requiredRole, 'admin');
  });

  it("keeps partners apart: another partner's order is not found", async () => {
    const mine = await call(
      app,
      `${orders}/SubmitOrder`,
      { partnerOrderRef: `ISO-${Date.now()}`, shipTo: SHIP_TO, line: [{ sku: 'FAS-SCR-4X40', quantity: 1 }] },
      app.admin,
    );
    assert.equal(mine.status, 200, JSON.stringify(mine.json));
    const theirs = await call(
      app,
      `${orders}/GetOrder`,
      { orderId: (mine.json.order as Record<string, unknown>).orderId },
      app.demo,
    );
    assertProblem(theirs, 404, 'urn:partner-orders:problem:v1:OrderNotFound');
  });

  it("validates with the codec's paths and messages, and the JSON kinds", async () => {
    const lines = [
      { sku: 'FAS-SCR-4X40', quantity: 1 },
      { sku: 'FAS-SCR-5X60', quantity: 1 },
      { sku: 'FAS-SCR-4X40', quantity: 0 },
    ];
    const bad = await call(
      app,
      `${orders}/SubmitOrder`,
      { partnerOrderRef: 'X-1', shipTo: SHIP_TO, line: lines },
      app.demo,
    );
    assertProblem(bad, 400, 'urn:partner-orders:problem:schema-violation');
    assert.deepEqual(bad.json.errors, [{ path: 'line[3].quantity', message: 'must be >= 1' }]);
    // The SOAP binding says the same of the same request.
    const xmlLines = lines
      .map((l) => `<po:line><po:sku>${l.sku}</po:sku><po:quantity>${l.quantity}</po:quantity></po:line>`)
      .join('');
    const soap = await postSoap11(
      app.ordersUrl,
      'SubmitOrder',
      soap11(
        `<po:SubmitOrderRequest><po:partnerOrderRef>X-1</po:partnerOrderRef><po:shipTo><po:name>ACME Receiving</po:name><po:line1>Dock 4</po:line1><po:city>Hamburg</po:city><po:postalCode>20095</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>${xmlLines}</po:SubmitOrderRequest>`,
        app.demo,
      ),
    );
    assert.match(
      soap.body,
      /SubmitOrderRequest\/line\[3\]\/quantity: must be &gt;= 1|SubmitOrderRequest\/line\[3\]\/quantity: must be >= 1/,
    );

    const kinds = await call(
      app,
      `${orders}/SubmitOrder`,
      { partnerOrderRef: 'X-2', shipTo: SHIP_TO, line: { sku: 'FAS-SCR-4X40', quantity: '1' }, colour: 'red' },
      app.demo,
    );
    assertProblem(kinds, 400, 'urn:partner-orders:problem:schema-violation');
    assert.deepEqual(kinds.json.errors, [
      { path: 'line', message: 'must be a JSON array (line may repeat), not an object' },
      { path: 'colour', message: 'unknown property' },
    ]);
    const number = await call(
      app,
      `${admin}/UpsertProduct`,
      {
        product: { sku: 'JSON-NUM', name: 'n', category: 'c', unitPrice: 6.9, currency: 'EUR', active: true },
      },
      app.admin,
    );
    assertProblem(number, 400, 'urn:partner-orders:problem:schema-violation');
    assert.match(
      String(number.json.detail),
      /product\.unitPrice: must be a JSON string \(decimal, written as text so no digit is lost\), not a number/,
    );

    const notJson = await call(app, `${orders}/GetProduct`, '{"sku": ', app.demo);
    assertProblem(notJson, 400, 'about:blank');
    assert.match(String(notJson.json.detail), /not valid JSON/);
  });

  it("answers the engine's own problems: 401, 403 over plain HTTP when so configured, 404, 405, 413, 415", async () => {
    const none = await call(app, `${orders}/GetProduct`, { sku: 'FAS-SCR-4X40' }, undefined);
    assertProblem(none, 401, 'urn:partner-orders:problem:AuthenticationRequired');
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic realm="partner-orders v1"/);

    const wrong = await call(
      app,
      `${orders}/GetProduct`,
      { sku: 'FAS-SCR-4X40' },
      { username: 'demo', password: 'wrong-password-123' },
    );
    assertProblem(wrong, 401, 'urn:partner-orders:problem:authentication');
    assert.equal(wrong.json.detail, 'The security token could not be authenticated or authorized');

    const unknownOperation = await call(app, `${orders}/Frobnicate`, {}, app.demo);
    assertProblem(unknownOperation, 404, 'about:blank');

    const get = await fetch(`${app.baseUrl}${orders}/GetProduct`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');

    const xml = await call(app, `${orders}/GetProduct`, '<x/>', app.demo, { 'Content-Type': 'text/xml' });
    assertProblem(xml, 415, 'about:blank');

    const big = await call(
      app,
      `${orders}/SearchProducts`,
      { text: 'x'.repeat(app.config.soap.limits.maxBodyBytes) },
      app.demo,
    );
    assertProblem(big, 413, 'about:blank');
  });

  it('applies the interceptors: deprecation headers, rate-limit identity, metrics with binding="json"', async () => {
    const reply = await call(app, `${orders}/GetProduct`, { sku: 'FAS-SCR-4X40' }, app.demo);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('deprecation'), 'true');
    assert.match(reply.headers.get('sunset') ?? '', /2027/);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    assert.match(
      metrics,
      /soap_requests_total\{service="PartnerOrderService",operation="GetProduct",outcome="ok",binding="json"\} \d+/,
    );
  });

  it('serves v2 and the admin port the same way', async () => {
    const v2 = await call(app, '/api/v2/orders/GetProduct', { sku: 'FAS-SCR-4X40' }, app.demo);
    assert.equal(v2.status, 200, JSON.stringify(v2.json));
    assert.equal(v2.headers.get('deprecation'), null);
    const stock = await call(
      app,
      '/api/v2/admin/AdjustStock',
      { sku: 'FAS-SCR-4X40', delta: 5, reason: 'count' },
      app.admin,
    );
    assert.equal(stock.status, 200, JSON.stringify(stock.json));
  });
});

describe('JSON binding: HTTP Basic over plain HTTP is refused unless configured', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      config: { json: { basicOverPlainHttp: false }, server: { trustedProxies: ['127.0.0.1'] } },
    });
  });
  after(async () => {
    await app?.close();
  });

  it('answers 403 without looking at the password over http, and accepts https announced by a trusted proxy', async () => {
    const plain = await call(app, '/api/v1/orders/GetProduct', { sku: 'FAS-SCR-4X40' }, app.demo);
    assertProblem(plain, 403, 'urn:partner-orders:problem:InsecureTransport');
    const proxied = await call(app, '/api/v1/orders/GetProduct', { sku: 'FAS-SCR-4X40' }, app.demo, {
      'X-Forwarded-Proto': 'https',
    });
    assert.equal(proxied.status, 200, JSON.stringify(proxied.json));
  });
});

describe('JSON binding: repeated authentication failures', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      config: { rateLimits: { authFailures: { points: 2, durationSeconds: 60, blockSeconds: 60 } } },
    });
  });
  after(async () => {
    await app?.close();
  });

  it('counts Basic failures per user name and answers 429 with Retry-After', async () => {
    const wrong = { username: 'demo', password: 'wrong-password-123' };
    for (let i = 0; i < 3; i++)
      assert.equal((await call(app, '/api/v1/orders/GetProduct', { sku: 'FAS-SCR-4X40' }, wrong)).status, 401);
    const throttled = await call(app, '/api/v1/orders/GetProduct', { sku: 'FAS-SCR-4X40' }, app.demo);
    assertProblem(throttled, 429, 'urn:partner-orders:problem:AuthenticationThrottled');
    assert.match(throttled.headers.get('retry-after') ?? '', /^\d+$/);
  });
});
