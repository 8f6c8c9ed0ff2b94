import assert from 'node:assert/strict';
import { postSoap11, soap11, startTestApp, type TestApp } from '../support/app-server';

describe('service end to end (SQLite)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
  });

  it('answers GetProduct for the demo partner', async () => {
    const { status, body } = await postSoap11(
      app.ordersUrl,
      'GetProduct',
      soap11('<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>', app.demo),
    );
    assert.equal(status, 200);
    assert.match(body, /<tns:unitPrice>6\.90<\/tns:unitPrice>/);
  });

  it('refuses a wrong password with wsse:FailedAuthentication', async () => {
    const { status, body } = await postSoap11(
      app.ordersUrl,
      'GetProduct',
      soap11('<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>', {
        username: 'demo',
        password: 'wrong-password-123',
      }),
    );
    assert.equal(status, 500);
    assert.match(body, /<faultcode>[a-z0-9]+:FailedAuthentication<\/faultcode>/);
    assert.doesNotMatch(body, /at .*\.ts:\d+/);
  });

  it('refuses the admin port to a non-admin partner', async () => {
    const { body } = await postSoap11(
      app.adminUrl,
      'AdjustStock',
      soap11(
        '<po:AdjustStockRequest><po:sku>FAS-SCR-4X40</po:sku><po:delta>5</po:delta><po:reason>count</po:reason></po:AdjustStockRequest>',
        app.demo,
      ),
    );
    assert.match(body, /NotAuthorized/);
  });

  it('serves the WSDL with the address the client used', async () => {
    const response = await fetch(`${app.ordersUrl}?wsdl`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), new RegExp(`location="${app.ordersUrl.replace(/[.]/g, '\\.')}"`));
  });
});
