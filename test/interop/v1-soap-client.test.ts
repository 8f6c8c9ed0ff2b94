import { strict as assert } from 'node:assert';
import * as soap from 'soap';
import { startV1Server, type Credentials, type V1Server } from './helpers/v1-server';
import { SOAP_VERSIONS } from './echo-scenarios';

// The `soap` npm package's client through the whole Partner Order Service v1 lifecycle, SOAP 1.1 and 1.2,
// each call with a WS-Security UsernameToken (PasswordText) and Timestamp from the package's own
// WSSecurity. Configuration (documented client options): decimals, dates and dateTimes stay lexical text,
// the contract's int-based restricted types become numbers, forceSoap12Headers for the SOAP 1.2 port.

type Version = (typeof SOAP_VERSIONS)[number];
type Args = Record<string, unknown>;
type Operation = (args: Args, callback: (error: unknown, result: Args) => void) => void;

const toNumber = (text: string): number => Number(text);
const keepText = (text: string): string => text;

async function v1Client(
  wsdlUrl: string,
  endpoint: string,
  version: Version,
  credentials: Credentials,
): Promise<soap.Client> {
  const client = await soap.createClientAsync(wsdlUrl, {
    forceSoap12Headers: version === 'soap12',
    customDeserializer: {
      decimal: keepText,
      date: keepText,
      dateTime: keepText,
      Quantity: toNumber,
      StockQuantity: toNumber,
      LineNumber: toNumber,
      LineCount: toNumber,
      PageSize: toNumber,
      StockDelta: toNumber,
    },
  } as soap.IOptions);
  client.setEndpoint(endpoint);
  client.setSecurity(
    new soap.WSSecurity(credentials.username, credentials.password, {
      passwordType: 'PasswordText',
      hasTimeStamp: true,
      mustUnderstand: true,
    }),
  );
  return client;
}

function call(client: soap.Client, service: string, version: Version, operation: string, args: Args): Promise<Args> {
  const port = `${service.replace(/Service$/, '')}${version === 'soap11' ? 'Soap11' : 'Soap12'}Port`;
  const services = client as unknown as Record<string, Record<string, Record<string, Operation>>>;
  const method = services[service]?.[port]?.[operation];
  if (!method) throw new Error(`the soap client has no ${service}.${port}.${operation}`);
  return new Promise((resolve, reject) => method(args, (error, result) => (error ? reject(error) : resolve(result))));
}

interface SoapClientError extends Error {
  root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } };
}

/** The declared fault's detail element `name` (SOAP 1.1 detail / SOAP 1.2 Detail), failing when none came. */
async function faultDetail(action: () => Promise<unknown>, name: string): Promise<Record<string, unknown>> {
  try {
    await action();
  } catch (error) {
    const fault = (error as SoapClientError).root?.Envelope?.Body?.Fault;
    assert.ok(fault, `not a SOAP fault: ${(error as Error).message}`);
    const detail = (fault.detail ?? fault.Detail) as Record<string, unknown> | undefined;
    assert.ok(detail?.[name], `expected the ${name} detail, got ${JSON.stringify(fault)}`);
    return detail[name] as Record<string, unknown>;
  }
  assert.fail(`expected the ${name} fault, got a normal response`);
}

interface Product {
  sku: string;
  unitPrice: string;
  currency: string;
  active: boolean;
}
interface StockLevel {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}
interface OrderLine {
  lineNumber: number;
  sku: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
}
interface Order {
  orderId: string;
  partnerOrderRef: string;
  status: string;
  createdAt: string;
  total: string;
  currency: string;
  line: OrderLine[];
  requestedDeliveryDate?: string;
  note?: string;
  shipment?: { carrier: string; trackingNumber: string };
  cancellation?: { reason?: string; cancelledAt: string };
}

/** Exact decimal product of a 2-fraction-digit price and a quantity, in cents. */
const cents = (amount: string): bigint => {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2)) * (amount.startsWith('-') ? -1n : 1n);
};

describe('interop: soap npm client, Partner Order Service v1 lifecycle', function () {
  this.timeout(120_000);
  let server: V1Server;

  before(async () => {
    server = await startV1Server();
  });

  after(async () => {
    await server?.close();
  });

  for (const version of SOAP_VERSIONS) {
    describe(version, () => {
      let partner: soap.Client;
      let admin: soap.Client;
      let adminAsPartner: soap.Client;
      let products: Product[] = [];
      let first: Product;
      let second: Product;
      let orderA: Order;
      let orderB: Order;
      const ref = `SOAPJS-${Date.now()}-${version}`;
      const orders = (operation: string, args: Args) => call(partner, 'PartnerOrderService', version, operation, args);
      const stockOf = async (sku: string): Promise<StockLevel> => {
        const result = await orders('GetStockLevels', { sku: [sku] });
        const levels = result.stockLevel as StockLevel[];
        assert.equal(levels.length, 1);
        return levels[0]!;
      };
      const orderRequest = (partnerOrderRef: string, lines: Array<[Product, number]>) => ({
        partnerOrderRef,
        shipTo: {
          name: 'Müller & Söhne GmbH',
          line1: 'Hohe Straße 1',
          city: 'Köln',
          postalCode: '50667',
          countryCode: 'DE',
        },
        line: lines.map(([product, quantity]) => ({ sku: product.sku, quantity })),
        requestedDeliveryDate: '2030-01-15',
        note: 'Deliver to gate 4 <rear> & sign',
      });

      before(async () => {
        const wsdl = `${server.ordersEndpoint}?wsdl`;
        partner = await v1Client(wsdl, server.ordersEndpoint, version, server.partner);
        admin = await v1Client(`${server.adminEndpoint}?wsdl`, server.adminEndpoint, version, server.admin);
        adminAsPartner = await v1Client(`${server.adminEndpoint}?wsdl`, server.adminEndpoint, version, server.partner);
      });

      it('searches products page by page', async () => {
        const page1 = await orders('SearchProducts', { pageSize: 2 });
        assert.equal((page1.product as Product[]).length, 2);
        assert.ok(page1.nextPageToken, 'a next page token');
        const page2 = await orders('SearchProducts', { pageSize: 2, pageToken: page1.nextPageToken });
        const seen = new Set((page1.product as Product[]).map((p) => p.sku));
        assert.ok(
          (page2.product as Product[]).every((p) => !seen.has(p.sku)),
          'pages are disjoint',
        );
        products = [...(page1.product as Product[]), ...(page2.product as Product[])];
        for (const p of products) assert.match(p.unitPrice, /^\d+(\.\d{1,2})?$/);
      });

      it('reads stock levels and picks two products with stock', async () => {
        const result = await orders('GetStockLevels', { sku: products.map((p) => p.sku) });
        const levels = result.stockLevel as StockLevel[];
        assert.equal(levels.length, products.length);
        for (const level of levels) assert.equal(level.available, level.onHand - level.reserved);
        const withStock = products.filter(
          (p) => p.active && (levels.find((l) => l.sku === p.sku)?.available ?? 0) >= 10,
        );
        first = withStock[0]!;
        second = withStock.find((p) => p !== first && p.currency === first.currency)!;
        assert.ok(first && second, 'two active products with stock in one currency');
      });

      it('submits an order priced from the catalog with exact totals, reserving stock', async () => {
        const before = await stockOf(first.sku);
        orderA = (
          await orders(
            'SubmitOrder',
            orderRequest(`${ref}-A`, [
              [first, 2],
              [second, 1],
            ]),
          )
        ).order as Order;
        assert.equal(orderA.status, 'ACCEPTED');
        assert.equal(orderA.partnerOrderRef, `${ref}-A`);
        assert.equal(orderA.line.length, 2);
        let sum = 0n;
        for (const line of orderA.line) {
          const product = line.sku === first.sku ? first : second;
          assert.equal(cents(line.unitPrice), cents(product.unitPrice));
          assert.equal(cents(line.lineTotal), cents(product.unitPrice) * BigInt(line.quantity));
          sum += cents(line.lineTotal);
        }
        assert.equal(cents(orderA.total), sum);
        assert.equal(orderA.currency, first.currency);
        assert.equal(orderA.requestedDeliveryDate, '2030-01-15');
        assert.equal(orderA.note, 'Deliver to gate 4 <rear> & sign');
        assert.match(orderA.createdAt, /Z$/);
        assert.equal((await stockOf(first.sku)).reserved, before.reserved + 2);
        orderB = (await orders('SubmitOrder', orderRequest(`${ref}-B`, [[first, 1]]))).order as Order;
        assert.notEqual(orderB.orderId, orderA.orderId);
      });

      it('returns the original order when the same partnerOrderRef is resubmitted', async () => {
        const reserved = (await stockOf(first.sku)).reserved;
        const again = (
          await orders(
            'SubmitOrder',
            orderRequest(`${ref}-A`, [
              [first, 2],
              [second, 1],
            ]),
          )
        ).order as Order;
        assert.equal(again.orderId, orderA.orderId);
        assert.equal(again.createdAt, orderA.createdAt);
        assert.equal((await stockOf(first.sku)).reserved, reserved);
      });

      it('gets the order', async () => {
        const got = (await orders('GetOrder', { orderId: orderA.orderId })).order as Order;
        assert.equal(got.orderId, orderA.orderId);
        assert.equal(got.total, orderA.total);
        assert.equal(got.line.length, 2);
      });

      it('lists orders newest first, page by page', async () => {
        const page1 = await orders('ListOrders', { pageSize: 1 });
        const first1 = page1.orderSummary as Array<{ orderId: string; lineCount: number }>;
        assert.equal(first1.length, 1);
        assert.equal(first1[0]!.orderId, orderB.orderId);
        assert.ok(page1.nextPageToken);
        const page2 = await orders('ListOrders', { pageSize: 1, pageToken: page1.nextPageToken });
        const second2 = page2.orderSummary as Array<{ orderId: string; lineCount: number }>;
        assert.equal(second2[0]?.orderId, orderA.orderId);
        assert.equal(second2[0]?.lineCount, 2);
      });

      it('cancels an accepted order and releases its reservation', async () => {
        const reserved = (await stockOf(first.sku)).reserved;
        const cancelled = (await orders('CancelOrder', { orderId: orderB.orderId, reason: 'changed our mind' }))
          .order as Order;
        assert.equal(cancelled.status, 'CANCELLED');
        assert.equal(cancelled.cancellation?.reason, 'changed our mind');
        assert.equal((await stockOf(first.sku)).reserved, reserved - 1);
      });

      it('ships an order through the admin port, consuming its reservation', async () => {
        const before = await stockOf(first.sku);
        const shipped = (
          await call(admin, 'PartnerOrderAdminService', version, 'ShipOrder', {
            orderId: orderA.orderId,
            carrier: 'DHL',
            trackingNumber: `JJD${version}`,
          })
        ).order as Order;
        assert.equal(shipped.status, 'SHIPPED');
        assert.deepEqual(shipped.shipment && [shipped.shipment.carrier, shipped.shipment.trackingNumber], [
          'DHL',
          `JJD${version}`,
        ]);
        const after = await stockOf(first.sku);
        assert.deepEqual([after.onHand, after.reserved], [before.onHand - 2, before.reserved - 2]);
      });

      it('receives InsufficientStock with its detail, reserving nothing', async () => {
        const level = await stockOf(second.sku);
        const reserved = (await stockOf(first.sku)).reserved;
        const detail = await faultDetail(
          () =>
            orders(
              'SubmitOrder',
              orderRequest(`${ref}-TOO-MANY`, [
                [first, 1],
                [second, level.available + 1],
              ]),
            ),
          'InsufficientStock',
        );
        assert.deepEqual(
          [detail.sku, String(detail.requested), String(detail.available)],
          [second.sku, String(level.available + 1), String(level.available)],
        );
        assert.equal((await stockOf(first.sku)).reserved, reserved);
      });

      it('receives OrderNotFound with its detail', async () => {
        const detail = await faultDetail(
          () => orders('GetOrder', { orderId: `NO-SUCH-ORDER-${version}` }),
          'OrderNotFound',
        );
        assert.equal(detail.orderId, `NO-SUCH-ORDER-${version}`);
      });

      it('receives InvalidOrderState when cancelling a shipped order', async () => {
        const detail = await faultDetail(() => orders('CancelOrder', { orderId: orderA.orderId }), 'InvalidOrderState');
        assert.deepEqual([detail.orderId, detail.currentStatus], [orderA.orderId, 'SHIPPED']);
      });

      it('receives NotAuthorized when a partner without the admin role calls the admin port', async () => {
        const detail = await faultDetail(
          () =>
            call(adminAsPartner, 'PartnerOrderAdminService', version, 'ShipOrder', {
              orderId: orderB.orderId,
              carrier: 'DHL',
              trackingNumber: 'X',
            }),
          'NotAuthorized',
        );
        assert.equal(detail.requiredRole, 'admin');
      });
    });
  }
});
