// The verified-credential cache for UsernameToken PasswordText (src/soap/security/verified-passwords.ts,
// wired in src/app.ts with the ops layer's ReadCache): a repeated correct password skips scrypt (measured in
// CPU time), a wrong one is never remembered and always pays the full scrypt run, and a password change made
// through the CLI's path (PartnerService + announceCredentialChange) empties the cache of a second instance
// over Redis pub/sub, after which the old password fails there and the new one works.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { announceCredentialChange, createReadCache, type ReadCache } from '../../src/ops/cache';
import { startServer, type RunningServer } from '../../src/server';
import { PartnerService } from '../../src/service/partners';
import { cachedPasswordCheck, hashPassword, type PasswordCheck } from '../../src/soap/security';
import { postSoap11, soap11, startTestApp, type TestApp } from '../support/app-server';

/** CPU time (user + system) of this process spent in `work`, in milliseconds. */
async function cpuMs<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}

describe('verified-credential cache for PasswordText', function () {
  this.timeout(30_000);

  describe('cachedPasswordCheck over a ReadCache', () => {
    let cache: ReadCache;
    let check: PasswordCheck;
    let stored: string;

    before(async () => {
      stored = await hashPassword('correct horse battery staple');
    });
    beforeEach(() => {
      cache = createReadCache({ name: 'verified-credentials', ttlSeconds: 60, maxEntries: 100 });
      check = cachedPasswordCheck({ store: cache });
    });
    afterEach(() => cache.close());

    it('answers a repeated correct password from the cache, without scrypt (CPU time measured)', async () => {
      const miss = await cpuMs(() => check('acme', 'correct horse battery staple', stored));
      assert.equal(miss.value, true);
      assert.equal(cache.size, 1);
      const hits: number[] = [];
      for (let i = 0; i < 20; i++) {
        const hit = await cpuMs(() => check('acme', 'correct horse battery staple', stored));
        assert.equal(hit.value, true);
        hits.push(hit.ms);
      }
      hits.sort((a, b) => a - b);
      const medianHit = hits[10]!;
      // scrypt N=16384, r=8 costs tens of milliseconds; an HMAC and an LRU lookup a few microseconds.
      assert.ok(miss.ms > 10, `the first check ran scrypt (${miss.ms.toFixed(2)} ms CPU)`);
      assert.ok(
        medianHit < miss.ms / 20,
        `a hit costs ${medianHit.toFixed(3)} ms CPU vs ${miss.ms.toFixed(2)} ms for the scrypt check`,
      );
    });

    it('never remembers a wrong password: every attempt pays the full scrypt run', async () => {
      await check('acme', 'correct horse battery staple', stored);
      for (let i = 0; i < 3; i++) {
        const wrong = await cpuMs(() => check('acme', 'correct horse battery stapler', stored));
        assert.equal(wrong.value, false);
        assert.ok(wrong.ms > 10, `attempt ${i + 1} ran scrypt (${wrong.ms.toFixed(2)} ms CPU)`);
      }
      assert.equal(cache.size, 1, 'only the one verified credential is kept');
    });

    it('does not let a remembered password in once the stored hash changed, nor an unknown user', async () => {
      assert.equal(await check('acme', 'correct horse battery staple', stored), true);
      const replaced = await hashPassword('a brand new password 2026');
      assert.equal(await check('acme', 'correct horse battery staple', replaced), false);
      assert.equal(await check('acme', 'a brand new password 2026', replaced), true);
      assert.equal(await check('acme', 'correct horse battery staple', undefined), false);
      assert.equal(await check('other', 'correct horse battery staple', stored), true, 'the key is per username too');
    });

    it('checks every time when the TTL is 0 (cache off)', async () => {
      const off = createReadCache({ name: 'verified-credentials', ttlSeconds: 0, maxEntries: 100 });
      const uncached = cachedPasswordCheck({ store: off });
      for (let i = 0; i < 2; i++) {
        const run = await cpuMs(() => uncached('acme', 'correct horse battery staple', stored));
        assert.equal(run.value, true);
        assert.ok(run.ms > 10, `check ${i + 1} ran scrypt (${run.ms.toFixed(2)} ms CPU)`);
      }
      assert.equal(off.size, 0);
      await off.close();
    });
  });

  describe('two instances of the service sharing a database and Redis (127.0.0.1:6379)', () => {
    let first: TestApp;
    let second: RunningServer;

    before(async () => {
      const channel = `verified-credentials-test-${randomUUID()}`;
      first = await startTestApp({
        config: {
          redis: { url: 'redis://127.0.0.1:6379', keyPrefix: `vc-test-${randomUUID()}:` },
          cache: { invalidationChannel: channel },
        },
      });
      second = await startServer(first.config, { port: 0, host: '127.0.0.1', exitOnShutdown: false });
      await second.app.ops.verifiedCredentials.ready();
    });
    after(async () => {
      await second?.stop();
      await first?.close();
    });

    const getProduct = (baseUrl: string, password: string) =>
      postSoap11(
        `${baseUrl}/soap/v1/orders`,
        'GetProduct',
        soap11('<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>', {
          username: 'demo',
          password,
        }),
      );

    it("a password changed through the CLI path empties the other instance's cache; the old password then fails there", async () => {
      const oldPassword = first.demo.password;
      assert.equal((await getProduct(second.baseUrl, oldPassword)).status, 200);
      assert.equal(second.app.ops.verifiedCredentials.size, 1, 'the second instance remembered the verified password');

      const newPassword = 'changed-password-for-cache-test-2026';
      await new PartnerService(first.running.app.stores.partners).setPassword('demo', newPassword);
      assert.equal(await announceCredentialChange(first.config), 'published');
      const deadline = Date.now() + 5000;
      while (second.app.ops.verifiedCredentials.size > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(second.app.ops.verifiedCredentials.size, 0, 'the invalidation reached the second instance');

      const refused = await getProduct(second.baseUrl, oldPassword);
      assert.equal(refused.status, 500);
      assert.match(refused.body, /FailedAuthentication/);
      assert.equal((await getProduct(second.baseUrl, newPassword)).status, 200);
      assert.equal(second.app.ops.verifiedCredentials.size, 1);
    });

    it('a disabled partner is refused at once even with its password remembered', async () => {
      const password = 'changed-password-for-cache-test-2026';
      assert.equal((await getProduct(second.baseUrl, password)).status, 200);
      await new PartnerService(first.running.app.stores.partners).disable('demo');
      const refused = await getProduct(second.baseUrl, password);
      assert.equal(refused.status, 500);
      assert.match(refused.body, /FailedAuthentication/);
      await new PartnerService(first.running.app.stores.partners).enable('demo');
    });
  });
});
