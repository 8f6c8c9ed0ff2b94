/**
 * The v1 handlers, as the composition root wires them for the server (catalog cache included), called
 * directly with real SoapContext objects (principal set as the security interceptor sets it) over real
 * stores: request -> domain -> response mapping and domain error -> fault.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { PassThrough } from 'node:stream';
import { deleteAllRows, forEachDatabase } from '../db/harness';
import { openDatabase, type Database } from '../../src/db/connection';
import { createApp, type App } from '../../src/app';
import {
  InsufficientStockFault,
  InvalidOrderStateFault,
  NotAuthorizedFault,
  OrderConflictFault,
  OrderNotFoundFault,
  ProductNotFoundFault,
  ValidationFault,
  type SubmitOrderRequest,
} from '../../src/generated/v1';
import { createLogger } from '../../src/ops/logging';
import { SoapFault, type Principal, type SoapContext } from '../../src/soap';
import { WssFault } from '../../src/soap/security';
import { testConfig } from '../ops/test-config';
import { v1DomainFaults } from '../../src/service/handlers';
import { contract as v1Contract } from '../../src/generated/v1';
import type { SoapExchange } from '../../src/soap';
import { rejection as rejected, SHIP_TO } from './support';

const logger = createLogger({ level: 'error' }, { stream: new PassThrough() });

function contextFor(principal: Principal | undefined, operation: string): SoapContext {
  return {
    messageId: `urn:uuid:${crypto.randomUUID()}`,
    operation,
    soapVersion: '1.1',
    headers: [],
    requestHeaders: {},
    responseHeaders: {},
    principal,
    log: logger,
  };
}

function submitRequest(partnerOrderRef: string, lines: Array<[string, number]>): SubmitOrderRequest {
  return { partnerOrderRef, shipTo: { ...SHIP_TO }, line: lines.map(([sku, quantity]) => ({ sku, quantity })) };
}

/** The app over an already open database, as the server builds it (test configuration, nothing migrated). */
const appOver = (database: Database): Promise<App> =>
  createApp({ config: testConfig(), database, migrate: false, logger });

/**
 * What the v1 endpoints answer when `call` (of `operation`) fails: the handler's error as the v1 exception
 * resolver maps it, for an exchange routed to that operation (as the engine calls it), else the error.
 */
async function rejection(operation: string, call: Promise<unknown>): Promise<unknown> {
  const error = await rejected(call);
  const decl = v1Contract.portTypes.flatMap((p) => p.operations).find((o) => o.name === operation);
  assert.ok(decl, `no v1 operation ${operation}`);
  const exchange = {
    operation: { name: decl.name, input: decl.input, output: decl.output, soapAction: '' },
  } as SoapExchange;
  return error instanceof SoapFault ? error : (v1DomainFaults(error, exchange) ?? error);
}

forEachDatabase('service/handlers', (getDb) => {
  let app: App | undefined;
  let service: { partners: App['services']['partners']; handlers: App['handlers']['v1'] };
  let acme: Principal;
  let globex: Principal;
  let admin: Principal;
  const as = (principal: Principal | undefined, operation = 'Test') => contextFor(principal, operation);

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  beforeEach(async () => {
    await deleteAllRows(getDb());
    app = await appOver(getDb());
    service = { partners: app.services.partners, handlers: app.handlers.v1 };
    const principalOf = async (username: string, isAdmin = false): Promise<Principal> => {
      const { partner } = await service.partners.addPartner({
        username,
        password: 'correct horse battery',
        admin: isAdmin,
      });
      return {
        id: partner.id,
        name: partner.username,
        roles: partner.roles,
        authenticatedBy: 'UsernameToken/PasswordText',
      };
    };
    acme = await principalOf('acme');
    globex = await principalOf('globex');
    admin = await principalOf('ops', true);
    const { admin: adminPort } = service.handlers;
    for (const [sku, unitPrice, onHand] of [
      ['DIME', '0.10', 100],
      ['BOLT-10', '1.25', 5],
    ] as const) {
      await adminPort.upsertProduct(
        { product: { sku, name: `Product ${sku}`, category: 'Hardware', unitPrice, currency: 'EUR', active: true } },
        as(admin),
      );
      await adminPort.adjustStock({ sku, delta: onHand, reason: 'initial stock' }, as(admin));
    }
  });

  describe('PartnerOrderPort', () => {
    it('submits, maps the order with exact totals and UTC instants, and answers a resubmission with the same order', async () => {
      const { orders } = service.handlers;
      const { order } = await orders.submitOrder(
        submitRequest('PO-1', [
          ['DIME', 3],
          ['BOLT-10', 2],
        ]),
        as(acme, 'SubmitOrder'),
      );
      assert.equal(order.status, 'ACCEPTED');
      assert.equal(order.total, '2.80');
      assert.deepEqual(order.line, [
        { lineNumber: 1, sku: 'DIME', quantity: 3, unitPrice: '0.10', lineTotal: '0.30' },
        { lineNumber: 2, sku: 'BOLT-10', quantity: 2, unitPrice: '1.25', lineTotal: '2.50' },
      ]);
      assert.match(order.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.deepEqual(order.shipTo, SHIP_TO);
      assert.ok(!('shipment' in order) && !('cancellation' in order) && !('note' in order));

      const again = await orders.submitOrder(
        submitRequest('PO-1', [
          ['DIME', 3],
          ['BOLT-10', 2],
        ]),
        as(acme, 'SubmitOrder'),
      );
      assert.deepEqual(again.order, order);
      const fetched = await orders.getOrder({ orderId: order.orderId }, as(acme, 'GetOrder'));
      assert.deepEqual(fetched.order, order);
    });

    it('answers domain rules with the declared faults and their details', async () => {
      const { orders } = service.handlers;
      const short = await rejection(
        'SubmitOrder',
        orders.submitOrder(
          submitRequest('PO-2', [
            ['DIME', 1],
            ['BOLT-10', 6],
          ]),
          as(acme),
        ),
      );
      assert.ok(short instanceof InsufficientStockFault, String(short));
      assert.deepEqual(short.detail?.value, { sku: 'BOLT-10', requested: 6, available: 5 });
      assert.equal(short.code, 'Sender');

      const unknown = await rejection(
        'SubmitOrder',
        orders.submitOrder(submitRequest('PO-3', [['NOPE', 1]]), as(acme)),
      );
      assert.ok(unknown instanceof ProductNotFoundFault);
      assert.deepEqual(unknown.detail?.value, { sku: 'NOPE' });

      const duplicate = await rejection(
        'SubmitOrder',
        orders.submitOrder(
          submitRequest('PO-4', [
            ['DIME', 1],
            ['DIME', 2],
          ]),
          as(acme),
        ),
      );
      assert.ok(duplicate instanceof ValidationFault);
      assert.deepEqual(
        duplicate.detail?.value.violation?.map((v) => v.path),
        ['SubmitOrderRequest/line[2]/sku'],
      );

      const { order } = await orders.submitOrder(submitRequest('PO-5', [['DIME', 1]]), as(acme));
      const conflict = await rejection(
        'SubmitOrder',
        orders.submitOrder(submitRequest('PO-5', [['DIME', 2]]), as(acme)),
      );
      assert.ok(conflict instanceof OrderConflictFault);
      assert.deepEqual(conflict.detail?.value, { partnerOrderRef: 'PO-5', orderId: order.orderId });

      const cancelled = await orders.cancelOrder({ orderId: order.orderId, reason: 'test' }, as(acme));
      assert.equal(cancelled.order.status, 'CANCELLED');
      assert.equal(cancelled.order.cancellation?.reason, 'test');
      const twice = await rejection('CancelOrder', orders.cancelOrder({ orderId: order.orderId }, as(acme)));
      assert.ok(twice instanceof InvalidOrderStateFault);
      assert.deepEqual(twice.detail?.value, { orderId: order.orderId, currentStatus: 'CANCELLED' });
    });

    it("answers another partner's order exactly like an unknown one", async () => {
      const { orders } = service.handlers;
      const { order } = await orders.submitOrder(submitRequest('PO-ISO', [['DIME', 1]]), as(acme));
      const unknownId = crypto.randomUUID();
      const foreign = await rejection('GetOrder', orders.getOrder({ orderId: order.orderId }, as(globex)));
      const unknown = await rejection('GetOrder', orders.getOrder({ orderId: unknownId }, as(globex)));
      assert.ok(foreign instanceof OrderNotFoundFault && unknown instanceof OrderNotFoundFault);
      assert.equal(foreign.reason.replace(order.orderId, 'X'), unknown.reason.replace(unknownId, 'X'));
      assert.deepEqual(foreign.detail?.value, { orderId: order.orderId });
      assert.ok(
        (await rejection('CancelOrder', orders.cancelOrder({ orderId: order.orderId }, as(globex)))) instanceof
          OrderNotFoundFault,
      );
      assert.deepEqual((await orders.listOrders({}, as(globex))).orderSummary, []);
    });

    it('pages products and orders with tokens and rejects a tampered token as a ValidationFault', async () => {
      const { orders } = service.handlers;
      for (let i = 1; i <= 3; i++) await orders.submitOrder(submitRequest(`PO-L${i}`, [['DIME', i]]), as(acme));
      const first = await orders.listOrders({ pageSize: 2 }, as(acme));
      assert.equal(first.orderSummary?.length, 2);
      assert.ok(first.nextPageToken);
      const second = await orders.listOrders({ pageSize: 2, pageToken: first.nextPageToken }, as(acme));
      assert.equal(second.orderSummary?.length, 1);
      assert.equal(second.nextPageToken, undefined);
      assert.equal(second.orderSummary?.[0]?.lineCount, 1);

      const tampered = first.nextPageToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      const fault = await rejection('ListOrders', orders.listOrders({ pageSize: 2, pageToken: tampered }, as(acme)));
      assert.ok(fault instanceof ValidationFault);
      assert.equal(fault.detail?.value.violation?.[0]?.path, 'ListOrdersRequest/pageToken');

      const products = await orders.searchProducts({ pageSize: 1 }, as(acme));
      assert.deepEqual(
        products.product?.map((p) => p.sku),
        ['BOLT-10'],
      );
      const rest = await orders.searchProducts({ pageSize: 1, pageToken: products.nextPageToken }, as(acme));
      assert.deepEqual(
        rest.product?.map((p) => p.sku),
        ['DIME'],
      );
      const stock = await orders.getStockLevels({ sku: ['DIME', 'NOPE'] }, as(acme));
      assert.deepEqual(stock.stockLevel, [{ sku: 'DIME', onHand: 100, reserved: 6, available: 94 }]);
    });

    it('refuses a call without a principal as failed authentication', async () => {
      const fault = await rejection('GetProduct', service.handlers.orders.getProduct({ sku: 'DIME' }, as(undefined)));
      assert.ok(fault instanceof WssFault);
      assert.equal(fault.wssCode, 'FailedAuthentication');
    });
  });

  describe('PartnerOrderAdminPort', () => {
    it('refuses partners without the admin role before doing anything', async () => {
      const { admin: adminPort } = service.handlers;
      const attempts = [
        () =>
          adminPort.upsertProduct(
            { product: { sku: 'NEW-1', name: 'New', category: 'X', unitPrice: '1.00', currency: 'EUR', active: true } },
            as(acme),
          ),
        () => adminPort.adjustStock({ sku: 'DIME', delta: 1000, reason: 'sneaky' }, as(acme)),
        () => adminPort.shipOrder({ orderId: 'whatever', carrier: 'UPS', trackingNumber: '1Z' }, as(acme)),
      ];
      for (const attempt of attempts) {
        const fault = await rejection('AdjustStock', attempt());
        assert.ok(fault instanceof NotAuthorizedFault, String(fault));
        assert.deepEqual(fault.detail?.value, { requiredRole: 'admin' });
      }
      const noPrincipal = await rejection(
        'AdjustStock',
        adminPort.adjustStock({ sku: 'DIME', delta: 1, reason: 'x' }, as(undefined)),
      );
      assert.ok(noPrincipal instanceof WssFault);
      const stock = await service.handlers.orders.getStockLevels({ sku: ['DIME', 'NEW-1'] }, as(acme));
      assert.deepEqual(stock.stockLevel, [{ sku: 'DIME', onHand: 100, reserved: 0, available: 100 }]);
    });

    it('lets administrators upsert, adjust (never below reserved) and ship any partner order', async () => {
      const { admin: adminPort, orders } = service.handlers;
      const upserted = await adminPort.upsertProduct(
        {
          product: {
            sku: 'DIME',
            name: 'Dime',
            description: 'ten cents',
            category: 'Coins',
            unitPrice: '0.1',
            currency: 'EUR',
            active: true,
          },
        },
        as(admin),
      );
      assert.equal(upserted.product.unitPrice, '0.10');
      assert.equal(upserted.product.description, 'ten cents');

      const { order } = await orders.submitOrder(submitRequest('PO-SHIP', [['BOLT-10', 4]]), as(acme));
      const refused = await rejection(
        'AdjustStock',
        adminPort.adjustStock({ sku: 'BOLT-10', delta: -2, reason: 'broken' }, as(admin)),
      );
      assert.ok(refused instanceof InsufficientStockFault);
      assert.deepEqual(refused.detail?.value, { sku: 'BOLT-10', requested: 2, available: 1 });
      const missing = await rejection(
        'AdjustStock',
        adminPort.adjustStock({ sku: 'NOPE', delta: 1, reason: 'x' }, as(admin)),
      );
      assert.ok(missing instanceof ProductNotFoundFault);

      const shipped = await adminPort.shipOrder(
        { orderId: order.orderId, carrier: 'DHL', trackingNumber: 'JD01' },
        as(admin),
      );
      assert.equal(shipped.order.status, 'SHIPPED');
      assert.equal(shipped.order.shipment?.carrier, 'DHL');
      assert.match(shipped.order.shipment?.shippedAt ?? '', /Z$/);
      const level = await adminPort.adjustStock({ sku: 'BOLT-10', delta: -1, reason: 'count correction' }, as(admin));
      assert.deepEqual(level.stockLevel, { sku: 'BOLT-10', onHand: 0, reserved: 0, available: 0 });
      const reship = await rejection(
        'ShipOrder',
        adminPort.shipOrder({ orderId: order.orderId, carrier: 'DHL', trackingNumber: 'JD01' }, as(admin)),
      );
      assert.ok(reship instanceof InvalidOrderStateFault);
      const unknown = await rejection(
        'ShipOrder',
        adminPort.shipOrder({ orderId: crypto.randomUUID(), carrier: 'DHL', trackingNumber: 'JD01' }, as(admin)),
      );
      assert.ok(unknown instanceof OrderNotFoundFault);
    });
  });

  it('answers 503 Service temporarily unavailable when the database is down', async function () {
    this.timeout(20_000);
    const down = openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', acquireTimeoutMs: 1_000 });
    try {
      const unreachable = await appOver(down);
      const fault = await rejection(
        'GetProduct',
        unreachable.handlers.v1.orders.getProduct({ sku: 'DIME' }, as(acme)),
      ).finally(() => unreachable.close());
      assert.ok(fault instanceof SoapFault, String(fault));
      assert.equal(fault.code, 'Receiver');
      assert.equal(fault.reason, 'Service temporarily unavailable');
      assert.equal(fault.httpStatus, 503);
    } finally {
      await down.close();
    }
  });
});
