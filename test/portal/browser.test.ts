/**
 * The portal in a real browser (Debian's chromium driven by playwright-core): pick GetProduct on the
 * v2 endpoint, sign in as the demo partner, send, and see the response. Screenshots go to
 * test-results/ (gitignored).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app-server';

const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.join(__dirname, '..', '..', 'test-results');
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('service portal in Chromium', function () {
  this.timeout(60_000);
  let app: TestApp;
  let context: BrowserContext;
  let userDataDir: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip(); // Debian's chromium is not installed: nothing to drive.
    app = await startTestApp();
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    fs.mkdirSync(RESULTS, { recursive: true });
  });

  after(async () => {
    await context?.close();
    if (userDataDir !== undefined) fs.rmSync(userDataDir, { recursive: true, force: true });
    await app?.close();
  });

  it('sends GetProduct from the form as the demo partner and shows the response', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${app.baseUrl}/`);
    assert.equal(await page.title(), 'Partner Order Service');
    await page.screenshot({ path: path.join(RESULTS, 'portal-overview.png'), fullPage: false });

    await page.selectOption('#endpoint', '/soap/v2/orders');
    await page.selectOption('#operation', 'GetProduct');
    assert.match(await page.inputValue('#request'), /<po:sku>FAS-SCR-4X40<\/po:sku>/);
    await page.fill('#username', app.demo.username);
    await page.fill('#password', app.demo.password);
    await page.click('#send');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('HTTP') === true);
    assert.equal(await page.textContent('#status'), 'HTTP 200');
    const response = (await page.textContent('#response')) ?? '';
    assert.match(response, /<tns:GetProductResponse xmlns:tns="urn:partner-orders:v2">/);
    assert.match(response, /<tns:unitPrice currency="EUR">6\.90<\/tns:unitPrice>/);
    await page.locator('#try-it').screenshot({ path: path.join(RESULTS, 'portal-get-product.png') });

    // A wrong password shows the fault, marked as such.
    await page.fill('#password', 'not-the-password');
    await page.selectOption('#soap-version', '1.2');
    await page.click('#send');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('Fault') === true);
    assert.match((await page.textContent('#status')) ?? '', /^HTTP (400|500) · SOAP Fault$/);
    assert.match((await page.textContent('#response')) ?? '', /FailedAuthentication/);

    // The "Try it" button of an operation loads its sample into the form.
    await page.click('#v2-PartnerOrderService-GetOrderHistory summary');
    await page.click('#v2-PartnerOrderService-GetOrderHistory button.try');
    assert.equal(await page.inputValue('#operation'), 'GetOrderHistory');
    assert.match(await page.inputValue('#request'), /<po:GetOrderHistoryRequest xmlns:po="urn:partner-orders:v2">/);
    await page.screenshot({ path: path.join(RESULTS, 'portal-full.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });
});
