/**
 * Issue 14, finding 1, end to end: an admin's signed AdjustStock captured on the wire and re-sent with
 * its SignatureValue re-spelled (no padding, base64url, a trailing '!', a '.' inserted, '==' appended,
 * or merely re-wrapped) is applied once, on one instance and on a second instance of the service that
 * shares the database and Redis.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { digestSecretBox } from '../../src/app';
import { openDatabase } from '../../src/db/connection';
import { KnexCredentialStore } from '../../src/db/stores/credential-store';
import { startServer, type RunningServer } from '../../src/server';
import { adjustStock, bareEnvelope, getStockLevels, post, soap11Digest, textOf } from '../ops-e2e/support/soap';
import { TestPki, type TestIdentity } from '../soap/security/support/pki';
import { xmlsec1Available, zeepAvailable, zeepSign } from '../soap/security/support/signers';
import { startTestApp, type TestApp } from '../support/app-server';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function respellSignatureValue(xml: string, change: (value: string) => string): string {
  return xml.replace(
    /(<(?:\w+:)?SignatureValue[^>]*>)([^<]+)(<)/,
    (_all, open: string, value: string, close: string) => `${open}${change(value)}${close}`,
  );
}

const SPELLINGS: Record<string, (value: string) => string> = {
  'without padding': (v) => v.replace(/\s/g, '').replace(/=+$/, ''),
  'in base64url': (v) => v.replace(/\s/g, '').replace(/\+/g, '-').replace(/\//g, '_'),
  'with a trailing !': (v) => `${v}!`,
  'with a . inserted': (v) => `${v.slice(0, 30)}.${v.slice(30)}`,
  'with == appended': (v) => `${v}==`,
  're-wrapped': (v) => v.replace(/\s/g, '').replace(/(.{40})/g, '$1\n'),
};

describe('e2e: a signed admin AdjustStock replayed with its SignatureValue re-spelled (issue 14)', function () {
  this.timeout(120_000);
  let app: TestApp | undefined;
  let second: RunningServer | undefined;
  let pki: TestPki | undefined;
  let signer: TestIdentity;
  const prefix = `po-replay-test-${randomBytes(6).toString('hex')}:`;

  before(async function () {
    if (!zeepAvailable() || !xmlsec1Available()) this.skip(); // installed here and in CI
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000 });
    try {
      await probe.connect();
    } catch {
      this.skip(); // Redis runs here and in CI
    } finally {
      probe.disconnect();
    }
    app = await startTestApp({
      config: { redis: { url: REDIS_URL, keyPrefix: prefix }, security: { replayCache: { store: 'redis' } } },
    });
    second = await startServer(app.config, { port: 0, host: '127.0.0.1', exitOnShutdown: false });
    pki = new TestPki();
    signer = pki.selfSigned('admin-signer', '/CN=admin-signer/O=Partner Admin');
    const db = await openDatabase(app.database.options);
    try {
      await new KnexCredentialStore(db, digestSecretBox(app.config)).addCertificate('admin', signer.certPem);
    } finally {
      await db.close();
    }
  });

  after(async () => {
    await second?.stop();
    await app?.close();
    pki?.dispose();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  async function onHand(sku: string): Promise<number> {
    const reply = await post(app!.ordersUrl, 'GetStockLevels', soap11Digest(getStockLevels(sku), app!.demo));
    assert.equal(reply.status, 200, reply.body);
    return Number(textOf(reply.body, 'onHand'));
  }

  it('is applied exactly once; every re-spelling is refused by both instances', async () => {
    const sku = (await (async () => {
      const reply = await post(
        app!.ordersUrl,
        'SearchProducts',
        soap11Digest('<po:SearchProductsRequest/>', app!.demo),
      );
      return textOf(reply.body, 'sku');
    })())!;
    assert.ok(sku, 'the demo catalog has a product');
    const before = await onHand(sku);
    const signed = zeepSign(bareEnvelope(adjustStock(sku, 7)), { signature: 'binary', signer });
    const secondAdminUrl = `http://127.0.0.1:${second!.address.port}/soap/v1/admin`;

    const first = await post(app!.adminUrl, 'AdjustStock', signed);
    assert.equal(first.status, 200, first.body);
    assert.equal(await onHand(sku), before + 7);

    for (const [how, change] of Object.entries(SPELLINGS)) {
      for (const url of [app!.adminUrl, secondAdminUrl]) {
        const replay = await post(url, 'AdjustStock', respellSignatureValue(signed, change));
        assert.equal(replay.status, 500, `${how} on ${url}: ${replay.body}`);
        assert.match(replay.body, /wsse:(InvalidSecurity|FailedCheck)/, how);
      }
    }
    const again = await post(secondAdminUrl, 'AdjustStock', signed);
    assert.equal(again.status, 500);
    assert.equal(await onHand(sku), before + 7, 'the stock was adjusted once');
  });
});
