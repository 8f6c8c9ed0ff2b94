/**
 * The portal as a real partner sees it on the first day (issue 17): a partner created with
 * `partner-orders partner add` (default policy: Timestamp required, PasswordText or PasswordDigest)
 * signs in on the try-it form of Debian's chromium and gets a successful call, a declared fault and a
 * schema violation whose reason is fully visible; deep links open their operation; the page has no
 * horizontal overflow at 390 and 360 px. The demo account is prefilled only while its published password
 * works. Screenshots go to .tmp/portal/ (gitignored) to be looked at.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { registerPartner } from '../../src/cli/partner';
import { cliRunner } from '../cli/support';
import { startTestApp, type TestApp } from '../support/app-server';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(__dirname, '..', '..', '.tmp', 'portal');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const run = cliRunner(registerPartner);

describe('service portal for a new partner (default security policy) in Chromium', function () {
  this.timeout(120_000);
  let app: TestApp;
  let context: BrowserContext;
  let userDataDir: string;
  let database: string;
  const partner = { username: 'acme-integration', password: 'acme-first-day-2026' };

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip(); // Debian's chromium is not installed: nothing to drive.
    app = await startTestApp();
    database = `sqlite:${app.database.options.filename!}`;
    const added = await run('partner', 'add', partner.username, '--password', partner.password, '--database', database);
    assert.equal(added.code, 0, added.stderr);
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await context?.close();
    if (userDataDir !== undefined) fs.rmSync(userDataDir, { recursive: true, force: true });
    await app?.close();
  });

  async function openPortal(hash = ''): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${app.baseUrl}/${hash}`);
    await page.waitForFunction(() => (document.getElementById('cred-hint')?.textContent ?? '') !== '');
    return { page, errors };
  }

  async function send(
    page: Page,
    operation: string,
    body: (sample: string) => string,
    passwordType: 'text' | 'digest' = 'text',
  ): Promise<{ status: string; response: string }> {
    await page.selectOption('#endpoint', '/soap/v2/orders');
    await page.selectOption('#operation', operation);
    await page.fill('#username', partner.username);
    await page.fill('#password', partner.password);
    await page.selectOption('#password-type', passwordType);
    await page.fill('#request', body(await page.inputValue('#request')));
    await page.evaluate(() => {
      document.getElementById('status')!.textContent = '';
    });
    await page.click('#send');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('HTTP') === true);
    return { status: (await page.textContent('#status')) ?? '', response: (await page.textContent('#response')) ?? '' };
  }

  /** Elements whose content is wider than their box and not scrollable, plus the page's own overflow. */
  async function overflow(page: Page): Promise<{ page: number; clipped: string[] }> {
    return page.evaluate(() => {
      const clipped: string[] = [];
      for (const id of ['response', 'fault-reason', 'request']) {
        const el = document.getElementById(id);
        if (el !== null && el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
          clipped.push(`${id}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
      return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, clipped };
    });
  }

  it('calls GetProduct as the new partner with PasswordText and with PasswordDigest, the Timestamp added by the page', async () => {
    const { page, errors } = await openPortal();
    const text = await send(page, 'GetProduct', (sample) => sample);
    assert.equal(text.status, 'HTTP 200', text.response);
    assert.match(text.response, /<tns:GetProductResponse xmlns:tns="urn:partner-orders:v2">/);
    const sent = (await page.textContent('#sent-envelope')) ?? '';
    assert.match(sent, /<wsu:Timestamp wsu:Id="TS-1">/, 'the page added the Timestamp the default policy requires');
    assert.match(sent, /#PasswordText">acme-first-day-2026</);
    const headers = (await page.textContent('#response-headers')) ?? '';
    assert.match(headers, /x-request-id[0-9a-f-]{8,}/i, 'the response headers are shown, X-Request-Id among them');
    await page.locator('#try-it').screenshot({ path: path.join(SHOTS, 'new-partner-success-desktop.png') });

    const digest = await send(page, 'GetProduct', (sample) => sample, 'digest');
    assert.equal(digest.status, 'HTTP 200', digest.response);
    const digestSent = (await page.textContent('#sent-envelope')) ?? '';
    assert.match(digestSent, /#PasswordDigest">[A-Za-z0-9+/]{27}=</, 'Base64 of a 20-byte SHA-1');
    assert.match(
      digestSent,
      /<wsse:Nonce EncodingType="[^"]+#Base64Binary">[A-Za-z0-9+/]{22}==<\/wsse:Nonce>/,
      '16 random bytes',
    );
    assert.ok(!digestSent.includes(partner.password), 'the password itself is not sent');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a declared fault (ProductNotFound) with its code and reason', async () => {
    const { page, errors } = await openPortal();
    const result = await send(page, 'GetProduct', (sample) => sample.replace('FAS-SCR-4X40', 'NOT-A-SKU1'));
    assert.match(result.status, /^HTTP 500 · SOAP Fault$/);
    assert.match(result.response, /ProductNotFound/);
    assert.match((await page.textContent('#fault-code')) ?? '', /ProductNotFound/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a security failure with the reason the server gives and what it usually means', async () => {
    const { page, errors } = await openPortal();
    await page.uncheck('#timestamp'); // the default policy requires one
    const result = await send(page, 'GetProduct', (sample) => sample);
    assert.match(result.status, /SOAP Fault/);
    assert.match((await page.textContent('#fault-code')) ?? '', /InvalidSecurity/);
    assert.match(
      (await page.textContent('#fault-reason')) ?? '',
      /An error was discovered processing the <wsse:Security> header/,
    );
    assert.match((await page.textContent('#fault-hint')) ?? '', /requires a Timestamp \(keep "Add wsu:Timestamp" on\)/);
    assert.match((await page.textContent('#response-headers')) ?? '', /x-request-id/);
    await page.locator('#try-it').screenshot({ path: path.join(SHOTS, 'security-failure-desktop.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a schema violation with its whole reason visible, at desktop width and at 390 px', async () => {
    const { page, errors } = await openPortal();
    const longSku = 'X'.repeat(120);
    const result = await send(page, 'GetProduct', (sample) => sample.replace('FAS-SCR-4X40', longSku));
    assert.match(result.status, /SOAP Fault/);
    const reason = (await page.textContent('#fault-reason')) ?? '';
    assert.match(reason, /sku/, reason);
    assert.deepEqual((await overflow(page)).clipped, [], 'no clipped text in the response pane');
    await page.locator('#try-it').screenshot({ path: path.join(SHOTS, 'schema-violation-desktop.png') });

    await page.setViewportSize({ width: 390, height: 900 });
    const narrow = await overflow(page);
    assert.equal(narrow.page, 0, 'no horizontal overflow at 390 px');
    assert.deepEqual(narrow.clipped, []);
    await page.locator('#try-it').screenshot({ path: path.join(SHOTS, 'schema-violation-390.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a deep link opens its operation; the sidebar lists operations; no overflow at 390 and 360 px', async () => {
    const { page, errors } = await openPortal('#v1-PartnerOrderService-SubmitOrder');
    assert.equal(
      await page.evaluate(
        () => (document.getElementById('v1-PartnerOrderService-SubmitOrder') as HTMLDetailsElement).open,
      ),
      true,
    );
    assert.ok(await page.locator('#v1-PartnerOrderService-SubmitOrder .op-body').isVisible());
    assert.ok(
      (await page.locator('nav.toc a[href="#v2-PartnerOrderService-GetOrderHistory"]').count()) === 1,
      'the sidebar links operations',
    );
    assert.match((await page.textContent('#v1-PartnerOrderService-SubmitOrder table.fields')) ?? '', /partnerOrderRef/);
    await page.screenshot({ path: path.join(SHOTS, 'deep-link-desktop.png') });
    for (const width of [390, 360]) {
      await page.setViewportSize({ width, height: 800 });
      assert.equal((await overflow(page)).page, 0, `no horizontal overflow at ${width} px`);
    }
    await page.screenshot({ path: path.join(SHOTS, 'deep-link-360.png') });
    await page.goto(`${app.baseUrl}/`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, 'overview-390.png') });
    await page.evaluate(() => {
      document.querySelectorAll('details').forEach((d) => {
        d.open = true;
      });
    });
    assert.equal((await overflow(page)).page, 0, 'no horizontal overflow at 390 px with every operation open');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('copies a curl command that works as pasted', async () => {
    const { page } = await openPortal();
    await page.selectOption('#endpoint', '/soap/v2/orders');
    await page.selectOption('#operation', 'GetProduct');
    await page.fill('#username', partner.username);
    await page.fill('#password', partner.password);
    await page.click('#copy-curl');
    await page.waitForFunction(() => (document.getElementById('curl-out')?.textContent ?? '') !== '');
    const curl = (await page.textContent('#curl-out')) ?? '';
    await page.close();
    // Asynchronously: the server runs in this process.
    const { stdout: output } = await promisify(execFile)('bash', ['-c', curl], { encoding: 'utf8', timeout: 20_000 });
    assert.match(output, /^HTTP\/1\.1 200/);
    assert.match(output, /<tns:GetProductResponse/);
  });

  it('prefills the demo account while its password works, and not after partner set-password demo', async () => {
    const before = await openPortal();
    assert.equal(await before.page.inputValue('#username'), 'demo');
    await before.page.close();
    const changed = await run(
      'partner',
      'set-password',
      'demo',
      '--password',
      'a-new-demo-password',
      '--database',
      database,
    );
    assert.equal(changed.code, 0, changed.stderr);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the portal's answer is cached for 2 s
    const after = await openPortal();
    assert.equal(await after.page.inputValue('#username'), '');
    assert.match((await after.page.textContent('#cred-hint')) ?? '', /Sign in with your partner user name/);
    await after.page.close();
  });

  it('serves the SoapUI project it links', async () => {
    const { page } = await openPortal();
    const href = await page.getAttribute('#soapui-link', 'href');
    await page.close();
    const response = await fetch(`${app.baseUrl}${href}`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<con:soapui-project /);
  });
});
