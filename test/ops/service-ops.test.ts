// The ops layer inside the real service (WS-Security, domain, SQLite): throttling of an authenticated
// partner, catalog caching and invalidation through the admin port, metrics and health over HTTP.
import assert from 'node:assert/strict';
import { postSoap11, soap11, startTestApp, type TestApp } from '../support/app-server';

const getProduct = (sku: string) => `<po:GetProductRequest><po:sku>${sku}</po:sku></po:GetProductRequest>`;
const upsertProduct = (sku: string, price: string) =>
  `<po:UpsertProductRequest><po:product><po:sku>${sku}</po:sku><po:name>Wood screw 4x40</po:name>` +
  `<po:category>Fasteners</po:category><po:unitPrice>${price}</po:unitPrice><po:currency>EUR</po:currency><po:active>true</po:active></po:product></po:UpsertProductRequest>`;

describe('ops inside the running service', function () {
  this.timeout(30000);

  describe('rate limit', () => {
    const POINTS = 6;
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ config: { rateLimits: { partner: { points: POINTS, durationSeconds: 60 } } } });
    });
    after(async () => app?.close());

    it('N+5 authenticated requests: exactly 5 throttled SOAP faults with 429 and Retry-After', async () => {
      const replies = [];
      for (let i = 0; i < POINTS + 5; i++)
        replies.push(await postSoap11(app.ordersUrl, 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), app.demo)));
      assert.deepEqual(
        replies.map((r) => r.status),
        [...Array(POINTS).fill(200), ...Array(5).fill(429)],
      );
      for (const reply of replies.slice(POINTS)) {
        const retryAfter = Number(reply.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
        assert.match(reply.body, /<faultcode>[a-zA-Z0-9]+:Client<\/faultcode>/);
        assert.match(reply.body, /Request rate limit exceeded for partner/);
      }
      const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
      assert.match(metrics, /rate_limit_rejections_total\{limiter="partner"\} 5/);
    });
  });

  describe('authentication failures', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({
        config: { rateLimits: { authFailures: { points: 3, durationSeconds: 60, blockSeconds: 60 } } },
      });
    });
    after(async () => app?.close());

    it('refuses an address after repeated wrong passwords, before checking credentials again', async () => {
      const wrong = { username: 'demo', password: 'guess-number-one' };
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (await postSoap11(app.ordersUrl, 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), wrong))).status,
        );
      assert.deepEqual(statuses, [500, 500, 500, 500, 429]);
      const right = await postSoap11(app.ordersUrl, 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), app.demo));
      assert.equal(right.status, 429, 'the address is blocked even with the right password');
      assert.match(right.body, /Too many failed authentication attempts/);
      assert.ok(Number(right.headers.get('retry-after')) >= 1);
    });
  });

  describe('cache, metrics and health', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ config: { cache: { catalog: { ttlSeconds: 300 } } } });
    });
    after(async () => app?.close());

    const metric = async (pattern: RegExp): Promise<number> => {
      const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
      const match = pattern.exec(text);
      return match ? Number(match[1]) : 0;
    };

    it('serves repeated GetProduct from the cache and an UpsertProduct invalidates it', async () => {
      const hits = /cache_requests_total\{cache="catalog",result="hit"\} (\d+)/;
      const before = await metric(hits);
      const first = await postSoap11(app.ordersUrl, 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), app.demo));
      const second = await postSoap11(app.ordersUrl, 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), app.demo));
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      assert.match(second.body, /<tns:unitPrice>6\.90<\/tns:unitPrice>/);
      assert.ok((await metric(hits)) >= before + 1, 'the second read was a cache hit');

      const upsert = await postSoap11(
        app.adminUrl,
        'UpsertProduct',
        soap11(upsertProduct('FAS-SCR-4X40', '7.25'), app.admin),
      );
      assert.equal(upsert.status, 200, upsert.body);
      const after = await postSoap11(app.ordersUrl, 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), app.demo));
      assert.match(after.body, /<tns:unitPrice>7\.25<\/tns:unitPrice>/);
    });

    it('counts requests by service, operation and outcome, and WS-Security failures by reason', async () => {
      await postSoap11(
        app.ordersUrl,
        'GetProduct',
        soap11(getProduct('FAS-SCR-4X40'), { username: 'demo', password: 'not-the-password' }),
      );
      const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
      assert.match(
        text,
        /soap_requests_total\{service="PartnerOrderService",operation="GetProduct",outcome="ok"\} \d+/,
      );
      assert.match(
        text,
        /soap_requests_total\{service="PartnerOrderAdminService",operation="UpsertProduct",outcome="ok"\} 1/,
      );
      assert.match(text, /wssec_failures_total\{reason="FailedAuthentication"\} 1/);
      assert.match(text, /soap_faults_total\{code="Sender",subcode="FailedAuthentication"\} 1/);
      assert.match(
        text,
        /soap_request_duration_seconds_bucket\{le="\+Inf",service="PartnerOrderService",operation="GetProduct",outcome="ok"\}/,
      );
      assert.match(text, /db_pool_connections\{pool="default",state="used"\} 0/);
    });

    it('answers /healthz and /readyz (database checked)', async () => {
      assert.equal((await fetch(`${app.baseUrl}/healthz`)).status, 200);
      const ready = await fetch(`${app.baseUrl}/readyz`);
      assert.equal(ready.status, 200);
      const body = (await ready.json()) as { checks: Record<string, { status: string }> };
      assert.equal(body.checks.database?.status, 'ok');
    });
  });
});
