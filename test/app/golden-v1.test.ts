/**
 * v1 golden responses: fixed requests against a freshly seeded service with a fixed clock, compared
 * byte for byte with test/fixtures/golden/v1/*.http (status line, Content-Type, body). Whatever changes
 * for v2 (contract, adapters, domain) must leave every v1 answer exactly as it was.
 *
 * The one normalisation: order ids are random UUIDs (the service assigns them), so each id that a
 * SubmitOrder response returned is replaced, wherever it appears, by ORDER-1, ORDER-2, ... in order of
 * first appearance. Only those exact strings are replaced; nothing else (timestamps, totals, tokens, fault
 * text) is touched. Timestamps are fixed by the clock: step n runs at 2026-03-02T09:00:00Z + n seconds.
 * Page tokens are deterministic (HMAC with the test key over sku cursors); ListOrders is called without
 * paging because its cursor would embed an order id.
 *
 * Regenerate after an intended v1 change (there should be none): UPDATE_GOLDEN=1 npx mocha test/app/golden-v1.test.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import { DEV_DEMO_PASSWORDS, prepareDatabase } from '../../src/server';
import { createScratchDatabase, type ScratchDatabase } from '../db/harness';
import { merge, testConfig } from '../ops/test-config';
import { soap11 } from '../support/app-server';

const GOLDEN_DIR = path.join(__dirname, '..', 'fixtures', 'golden', 'v1');
const START = Date.UTC(2026, 2, 2, 9, 0, 0);
const DEMO = { username: 'demo', password: DEV_DEMO_PASSWORDS.demo };
const ADMIN = { username: 'admin', password: DEV_DEMO_PASSWORDS.admin };
const WRONG = { username: 'demo', password: 'not-the-password-1' };

const SHIP_TO =
  '<po:shipTo><po:name>ACME Receiving</po:name><po:line1>Dock 4</po:line1><po:line2>Gate B</po:line2><po:city>Hamburg</po:city>' +
  '<po:region>HH</po:region><po:postalCode>20095</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>';
const ORDER_A =
  `<po:SubmitOrderRequest><po:partnerOrderRef>GOLD-A</po:partnerOrderRef>${SHIP_TO}` +
  '<po:line><po:sku>FAS-SCR-4X40</po:sku><po:quantity>3</po:quantity></po:line>' +
  '<po:line><po:sku>TLS-HAM-500</po:sku><po:quantity>2</po:quantity></po:line>' +
  '<po:requestedDeliveryDate>2026-03-20</po:requestedDeliveryDate><po:note>Deliver before noon</po:note></po:SubmitOrderRequest>';
const ORDER_B =
  `<po:SubmitOrderRequest><po:partnerOrderRef>GOLD-B</po:partnerOrderRef>${SHIP_TO}` +
  '<po:line><po:sku>FAS-NUT-M8</po:sku><po:quantity>10</po:quantity></po:line></po:SubmitOrderRequest>';

interface Step {
  /** File name stem under test/fixtures/golden/v1/. */
  name: string;
  port: 'orders' | 'admin';
  action: string;
  /** The body element; ORDER-n placeholders are replaced by the real ids before sending. */
  body: string;
  credentials?: { username: string; password: string };
  soapVersion?: '1.1' | '1.2';
}

const STEPS: Step[] = [
  {
    name: '01-get-product',
    port: 'orders',
    action: 'GetProduct',
    body: '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>',
  },
  {
    name: '02-search-products-page',
    port: 'orders',
    action: 'SearchProducts',
    body: '<po:SearchProductsRequest><po:category>Fasteners</po:category><po:pageSize>2</po:pageSize></po:SearchProductsRequest>',
  },
  {
    name: '03-search-products-text',
    port: 'orders',
    action: 'SearchProducts',
    body: '<po:SearchProductsRequest><po:text>hammer</po:text></po:SearchProductsRequest>',
  },
  {
    name: '04-get-stock-levels',
    port: 'orders',
    action: 'GetStockLevels',
    body: '<po:GetStockLevelsRequest><po:sku>FAS-SCR-4X40</po:sku><po:sku>TLS-HAM-500</po:sku><po:sku>NO-SUCH-SKU</po:sku></po:GetStockLevelsRequest>',
  },
  { name: '05-submit-order', port: 'orders', action: 'SubmitOrder', body: ORDER_A },
  { name: '06-submit-order-retry', port: 'orders', action: 'SubmitOrder', body: ORDER_A },
  {
    name: '07-get-order',
    port: 'orders',
    action: 'GetOrder',
    body: '<po:GetOrderRequest><po:orderId>ORDER-1</po:orderId></po:GetOrderRequest>',
  },
  { name: '08-submit-second-order', port: 'orders', action: 'SubmitOrder', body: ORDER_B },
  { name: '09-list-orders', port: 'orders', action: 'ListOrders', body: '<po:ListOrdersRequest/>' },
  {
    name: '10-list-orders-filtered',
    port: 'orders',
    action: 'ListOrders',
    body: '<po:ListOrdersRequest><po:status>ACCEPTED</po:status><po:createdFrom>2026-03-02T09:00:07Z</po:createdFrom></po:ListOrdersRequest>',
  },
  {
    name: '11-stock-after-reservation',
    port: 'orders',
    action: 'GetStockLevels',
    body: '<po:GetStockLevelsRequest><po:sku>FAS-SCR-4X40</po:sku><po:sku>FAS-NUT-M8</po:sku></po:GetStockLevelsRequest>',
  },
  {
    name: '12-cancel-order',
    port: 'orders',
    action: 'CancelOrder',
    body: '<po:CancelOrderRequest><po:orderId>ORDER-1</po:orderId><po:reason>Ordered twice</po:reason></po:CancelOrderRequest>',
  },
  {
    name: '13-ship-order',
    port: 'admin',
    action: 'ShipOrder',
    credentials: ADMIN,
    body: '<po:ShipOrderRequest><po:orderId>ORDER-2</po:orderId><po:carrier>UPS</po:carrier><po:trackingNumber>1Z999AA10123456784</po:trackingNumber></po:ShipOrderRequest>',
  },
  {
    name: '14-stock-after-cancel-and-ship',
    port: 'orders',
    action: 'GetStockLevels',
    body: '<po:GetStockLevelsRequest><po:sku>FAS-SCR-4X40</po:sku><po:sku>FAS-NUT-M8</po:sku></po:GetStockLevelsRequest>',
  },
  {
    name: '15-get-product-soap12',
    port: 'orders',
    action: 'GetProduct',
    soapVersion: '1.2',
    body: '<po:GetProductRequest><po:sku>TLS-DRL-18V</po:sku></po:GetProductRequest>',
  },
  // Faults.
  {
    name: '20-fault-product-not-found',
    port: 'orders',
    action: 'GetProduct',
    body: '<po:GetProductRequest><po:sku>NO-SUCH-SKU</po:sku></po:GetProductRequest>',
  },
  {
    name: '21-fault-insufficient-stock',
    port: 'orders',
    action: 'SubmitOrder',
    body: ORDER_B.replace('GOLD-B', 'GOLD-C').replace(
      '<po:quantity>10</po:quantity>',
      '<po:quantity>100000</po:quantity>',
    ),
  },
  {
    name: '22-fault-order-not-found',
    port: 'orders',
    action: 'GetOrder',
    body: '<po:GetOrderRequest><po:orderId>no-such-order</po:orderId></po:GetOrderRequest>',
  },
  {
    name: '23-fault-invalid-order-state',
    port: 'orders',
    action: 'CancelOrder',
    body: '<po:CancelOrderRequest><po:orderId>ORDER-1</po:orderId></po:CancelOrderRequest>',
  },
  {
    name: '24-fault-order-conflict',
    port: 'orders',
    action: 'SubmitOrder',
    body: ORDER_A.replace('<po:quantity>3</po:quantity>', '<po:quantity>4</po:quantity>'),
  },
  {
    name: '25-fault-validation',
    port: 'orders',
    action: 'SubmitOrder',
    body: ORDER_B.replace('GOLD-B', 'GOLD-D').replace(
      '</po:line>',
      '</po:line><po:line><po:sku>FAS-NUT-M8</po:sku><po:quantity>1</po:quantity></po:line>',
    ),
  },
  {
    name: '26-fault-schema-violation',
    port: 'orders',
    action: 'GetProduct',
    body: '<po:GetProductRequest><po:sku>lower-case</po:sku></po:GetProductRequest>',
  },
  {
    name: '27-fault-wrong-password',
    port: 'orders',
    action: 'GetProduct',
    credentials: WRONG,
    body: '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>',
  },
  {
    name: '28-fault-not-authorized',
    port: 'admin',
    action: 'AdjustStock',
    body: '<po:AdjustStockRequest><po:sku>FAS-SCR-4X40</po:sku><po:delta>5</po:delta><po:reason>count</po:reason></po:AdjustStockRequest>',
  },
  {
    name: '29-fault-soap12-order-not-found',
    port: 'orders',
    action: 'GetOrder',
    soapVersion: '1.2',
    body: '<po:GetOrderRequest><po:orderId>no-such-order</po:orderId></po:GetOrderRequest>',
  },
];

function envelope(step: Step, body: string): string {
  const soap = soap11(body, step.credentials ?? DEMO);
  return step.soapVersion === '1.2'
    ? soap.replaceAll('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope')
    : soap;
}

describe('v1 golden responses (byte for byte)', () => {
  let app: App;
  let server: http.Server;
  let database: ScratchDatabase;
  let baseUrl: string;
  let clock = START;

  before(async () => {
    database = await createScratchDatabase('sqlite');
    const config = testConfig(
      merge(
        { database: { url: null, sqlite: { filename: database.options.filename } } },
        {
          // Fixed requests in a quick burst: no throttling, no cache between steps influencing a later one.
          rateLimits: { partner: { points: 10000 }, operation: { points: 10000 }, unauthenticated: { points: 10000 } },
        },
      ),
    );
    await prepareDatabase(config, process.cwd(), 'test');
    app = await createApp({ config, migrate: false, now: () => new Date(clock) });
    server = http.createServer(app.requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    });
    await app?.close();
    await database?.drop();
  });

  it('answers every fixed request exactly as recorded', async () => {
    const ids: string[] = [];
    const placeholders = (text: string): string =>
      ids.reduce((out, id, i) => out.replaceAll(id, `ORDER-${i + 1}`), text);
    const realIds = (text: string): string =>
      text.replace(/ORDER-(\d+)/g, (whole, n: string) => ids[Number(n) - 1] ?? whole);
    const update = process.env.UPDATE_GOLDEN === '1';
    if (update) fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    const mismatches: string[] = [];

    for (const [index, step] of STEPS.entries()) {
      clock = START + (index + 1) * 1000;
      const soap12 = step.soapVersion === '1.2';
      const action = `urn:partner-orders:v1/${step.action}`;
      const response = await fetch(`${baseUrl}/soap/v1/${step.port}`, {
        method: 'POST',
        headers: soap12
          ? { 'Content-Type': `application/soap+xml; charset=utf-8; action="${action}"` }
          : { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` },
        body: envelope(step, realIds(step.body)),
      });
      const body = await response.text();
      if (step.action === 'SubmitOrder' && response.status === 200) {
        const id = /<tns:orderId>([^<]+)<\/tns:orderId>/.exec(body)?.[1];
        if (id !== undefined && !ids.includes(id)) ids.push(id);
      }
      const recorded = `HTTP ${response.status}\nContent-Type: ${response.headers.get('content-type')}\n\n${placeholders(body)}\n`;
      const file = path.join(GOLDEN_DIR, `${step.name}.http`);
      if (update) fs.writeFileSync(file, recorded);
      const expected = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing golden file)';
      if (recorded !== expected) mismatches.push(`${step.name}\n--- expected\n${expected}\n+++ actual\n${recorded}`);
    }
    assert.equal(ids.length, 2, 'two orders were created (the retry returned the first)');
    assert.deepEqual(
      mismatches,
      [],
      `v1 responses changed; if intended, UPDATE_GOLDEN=1 and review the diff:\n${mismatches.join('\n')}`,
    );
  });

  it('keeps a golden file for every step and no stale ones', () => {
    const files = fs
      .readdirSync(GOLDEN_DIR)
      .filter((f) => f.endsWith('.http'))
      .sort();
    assert.deepEqual(files, STEPS.map((s) => `${s.name}.http`).sort());
  });
});
