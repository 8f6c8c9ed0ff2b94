/**
 * Contract v2 end to end, beside v1 on the same database: Money with a currency attribute, the status
 * history on every order and through GetOrderHistory, partnerLineRef, the partnerOrderRef filter, and
 * faults in the v2 namespace.
 */
import assert from 'node:assert/strict';
import { postSoap11, soap11, startTestApp, type TestApp } from '../support/app-server';
import { postV2, soap11v2, textOf } from './v2-support';

const SHIP_TO =
  '<po:shipTo><po:name>ACME Receiving</po:name><po:line1>Dock 4</po:line1><po:city>Hamburg</po:city>' +
  '<po:postalCode>20095</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>';

function submitV2(ref: string, lines: string): string {
  return `<po:SubmitOrderRequest><po:partnerOrderRef>${ref}</po:partnerOrderRef>${SHIP_TO}${lines}</po:SubmitOrderRequest>`;
}

describe('contract v2 end to end (SQLite)', () => {
  let app: TestApp;
  let ordersV2: string;
  let adminV2: string;
  before(async () => {
    app = await startTestApp();
    ordersV2 = `${app.baseUrl}/soap/v2/orders`;
    adminV2 = `${app.baseUrl}/soap/v2/admin`;
  });
  after(async () => {
    await app?.close();
  });

  const call = (action: string, body: string, who = app.demo, url = ordersV2) =>
    postV2(url, action, soap11v2(body, who));

  it('serves its own WSDL with GetOrderHistory and the v2 addresses', async () => {
    const response = await fetch(`${ordersV2}?wsdl`);
    assert.equal(response.status, 200);
    const wsdl = await response.text();
    assert.match(wsdl, /targetNamespace="urn:partner-orders:v2"/);
    assert.match(wsdl, /<wsdl:operation name="GetOrderHistory">/);
    assert.match(wsdl, new RegExp(`location="${ordersV2.replace(/[.]/g, '\\.')}"`));
    for (const xsd of ['messages', 'types']) {
      const text = await (await fetch(`${ordersV2}?xsd=${xsd}`)).text();
      assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, `${xsd}.xsd is an XML 1.0 document`);
      assert.match(text, /targetNamespace="urn:partner-orders:v2"/);
    }
  });

  it('answers GetProduct with the price as Money (value + currency attribute) and no currency element', async () => {
    const { status, body } = await call(
      'GetProduct',
      '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>',
    );
    assert.equal(status, 200);
    assert.match(body, /<tns:GetProductResponse xmlns:tns="urn:partner-orders:v2">/);
    assert.match(body, /<tns:unitPrice currency="EUR">6\.90<\/tns:unitPrice>/);
    assert.doesNotMatch(body, /<tns:currency>/);
  });

  it('runs the lifecycle: submit with partnerLineRef, idempotent resubmit, filter by partnerOrderRef, history through cancel', async () => {
    const lines =
      '<po:line><po:sku>FAS-SCR-4X40</po:sku><po:quantity>3</po:quantity><po:partnerLineRef>PO-7/10</po:partnerLineRef></po:line>' +
      '<po:line><po:sku>FAS-SCR-4X40-X</po:sku><po:quantity>1</po:quantity></po:line>';
    const bad = await call('SubmitOrder', submitV2('V2-LIFE-0', lines));
    assert.equal(bad.status, 500);
    assert.match(bad.body, /<tns:ProductNotFound xmlns:tns="urn:partner-orders:v2"><tns:sku>FAS-SCR-4X40-X<\/tns:sku>/);

    const oneLine =
      '<po:line><po:sku>FAS-SCR-4X40</po:sku><po:quantity>3</po:quantity><po:partnerLineRef>PO-7/10</po:partnerLineRef></po:line>';
    const submitted = await call('SubmitOrder', submitV2('V2-LIFE-1', oneLine));
    assert.equal(submitted.status, 200, submitted.body);
    const orderId = textOf(submitted.body, 'orderId')!;
    assert.match(
      submitted.body,
      /<tns:partnerLineRef>PO-7\/10<\/tns:partnerLineRef><tns:unitPrice currency="EUR">6\.90<\/tns:unitPrice><tns:lineTotal currency="EUR">20\.70<\/tns:lineTotal>/,
    );
    assert.match(submitted.body, /<tns:total currency="EUR">20\.70<\/tns:total>/);
    assert.match(
      submitted.body,
      /<tns:history><tns:status>ACCEPTED<\/tns:status><tns:at>[^<]+Z<\/tns:at><tns:by>demo<\/tns:by><\/tns:history><\/tns:order>/,
    );

    const again = await call('SubmitOrder', submitV2('V2-LIFE-1', oneLine));
    assert.equal(textOf(again.body, 'orderId'), orderId, 'resubmitting the same content returns the original order');
    const otherRef = await call('SubmitOrder', submitV2('V2-LIFE-1', oneLine.replace('PO-7/10', 'PO-7/11')));
    assert.match(
      otherRef.body,
      /<tns:OrderConflict xmlns:tns="urn:partner-orders:v2">/,
      'the line reference is part of the content',
    );

    await call(
      'SubmitOrder',
      submitV2('V2-LIFE-2', '<po:line><po:sku>FAS-SCR-4X40</po:sku><po:quantity>1</po:quantity></po:line>'),
    );
    const filtered = await call(
      'ListOrders',
      '<po:ListOrdersRequest><po:partnerOrderRef>V2-LIFE-1</po:partnerOrderRef></po:ListOrdersRequest>',
    );
    assert.equal(filtered.status, 200, filtered.body);
    assert.equal(filtered.body.match(/<tns:orderSummary>/g)?.length, 1);
    assert.match(
      filtered.body,
      new RegExp(`<tns:orderId>${orderId}</tns:orderId><tns:partnerOrderRef>V2-LIFE-1</tns:partnerOrderRef>`),
    );
    assert.match(filtered.body, /<tns:total currency="EUR">20\.70<\/tns:total><tns:lineCount>1<\/tns:lineCount>/);
    const unfiltered = await call('ListOrders', '<po:ListOrdersRequest/>');
    assert.ok((unfiltered.body.match(/<tns:orderSummary>/g)?.length ?? 0) >= 2);

    const cancelled = await call(
      'CancelOrder',
      `<po:CancelOrderRequest><po:orderId>${orderId}</po:orderId><po:reason>wrong size</po:reason></po:CancelOrderRequest>`,
    );
    assert.equal(cancelled.status, 200, cancelled.body);
    assert.match(
      cancelled.body,
      /<tns:history><tns:status>ACCEPTED<\/tns:status>.*?<\/tns:history><tns:history><tns:status>CANCELLED<\/tns:status><tns:at>[^<]+<\/tns:at><tns:by>demo<\/tns:by><tns:detail>wrong size<\/tns:detail><\/tns:history>/,
    );

    const history = await call(
      'GetOrderHistory',
      `<po:GetOrderHistoryRequest><po:orderId>${orderId}</po:orderId></po:GetOrderHistoryRequest>`,
    );
    assert.equal(history.status, 200, history.body);
    assert.deepEqual(
      [...history.body.matchAll(/<tns:status>(\w+)<\/tns:status>/g)].map((m) => m[1]),
      ['ACCEPTED', 'CANCELLED'],
    );

    // The same order read through v1: same domain, v1 shapes, no partnerLineRef or history.
    const v1 = await postSoap11(
      app.ordersUrl,
      'GetOrder',
      soap11(`<po:GetOrderRequest><po:orderId>${orderId}</po:orderId></po:GetOrderRequest>`, app.demo),
    );
    assert.equal(v1.status, 200);
    assert.match(v1.body, /<tns:unitPrice>6\.90<\/tns:unitPrice><tns:lineTotal>20\.70<\/tns:lineTotal>/);
    assert.match(v1.body, /<tns:total>20\.70<\/tns:total><tns:currency>EUR<\/tns:currency>/);
    assert.doesNotMatch(v1.body, /partnerLineRef|history/);
  });

  it('records the administrator as `by` when v2 ShipOrder ships a partner order', async () => {
    const submitted = await call(
      'SubmitOrder',
      submitV2('V2-SHIP-1', '<po:line><po:sku>FAS-SCR-4X40</po:sku><po:quantity>2</po:quantity></po:line>'),
    );
    const orderId = textOf(submitted.body, 'orderId')!;
    const shipped = await call(
      'ShipOrder',
      `<po:ShipOrderRequest><po:orderId>${orderId}</po:orderId><po:carrier>UPS</po:carrier><po:trackingNumber>1Z999</po:trackingNumber></po:ShipOrderRequest>`,
      app.admin,
      adminV2,
    );
    assert.equal(shipped.status, 200, shipped.body);
    assert.match(
      shipped.body,
      /<tns:history><tns:status>SHIPPED<\/tns:status><tns:at>[^<]+<\/tns:at><tns:by>admin<\/tns:by><tns:detail>[^<]*UPS[^<]*<\/tns:detail><\/tns:history>/,
    );
  });

  it("answers another partner's order id, in GetOrderHistory, exactly like an unknown one", async () => {
    const submitted = await call(
      'SubmitOrder',
      submitV2('V2-ADMIN-OWN', '<po:line><po:sku>FAS-SCR-4X40</po:sku><po:quantity>1</po:quantity></po:line>'),
      app.admin,
    );
    const adminsOrder = textOf(submitted.body, 'orderId')!;
    const foreign = await call(
      'GetOrderHistory',
      `<po:GetOrderHistoryRequest><po:orderId>${adminsOrder}</po:orderId></po:GetOrderHistoryRequest>`,
    );
    const unknown = await call(
      'GetOrderHistory',
      '<po:GetOrderHistoryRequest><po:orderId>no-such-order</po:orderId></po:GetOrderHistoryRequest>',
    );
    assert.equal(foreign.status, 500);
    assert.equal(foreign.body.replaceAll(adminsOrder, 'X'), unknown.body.replaceAll('no-such-order', 'X'));
    assert.match(unknown.body, /<tns:OrderNotFound xmlns:tns="urn:partner-orders:v2">/);
  });

  it('upserts a product priced as Money on the v2 admin port', async () => {
    const { status, body } = await call(
      'UpsertProduct',
      '<po:UpsertProductRequest><po:product><po:sku>V2-NEW-1</po:sku><po:name>Hinge</po:name><po:category>Hardware</po:category>' +
        '<po:unitPrice currency="USD">1.50</po:unitPrice><po:active>true</po:active></po:product></po:UpsertProductRequest>',
      app.admin,
      adminV2,
    );
    assert.equal(status, 200, body);
    assert.match(body, /<tns:unitPrice currency="USD">1\.50<\/tns:unitPrice>/);
    const v1 = await postSoap11(
      app.ordersUrl,
      'GetProduct',
      soap11('<po:GetProductRequest><po:sku>V2-NEW-1</po:sku></po:GetProductRequest>', app.demo),
    );
    assert.match(v1.body, /<tns:unitPrice>1\.50<\/tns:unitPrice><tns:currency>USD<\/tns:currency>/);
  });

  it('refuses Money without its currency attribute as a schema violation', async () => {
    const { status, body } = await call(
      'UpsertProduct',
      '<po:UpsertProductRequest><po:product><po:sku>V2-NEW-2</po:sku><po:name>Hinge</po:name><po:category>Hardware</po:category>' +
        '<po:unitPrice>1.50</po:unitPrice><po:active>true</po:active></po:product></po:UpsertProductRequest>',
      app.admin,
      adminV2,
    );
    assert.equal(status, 500);
    assert.match(body, /<faultcode>[a-z0-9]+:Client<\/faultcode>/);
    assert.match(body, /currency/);
  });
});
