import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { InMemoryReplayCache, RedisReplayCache, replayKey, type ReplayCache } from '../../../src/soap/security/replay-cache';

function behavesAsReplayCache(make: () => ReplayCache, advance: (ms: number) => Promise<void>) {
  it('accepts a key once and refuses it again within its lifetime', async () => {
    const cache = make();
    const key = replayKey('nonce', randomUUID());
    assert.equal(await cache.remember(key, 60_000), true);
    assert.equal(await cache.remember(key, 60_000), false);
    assert.equal(await cache.remember(replayKey('nonce', randomUUID()), 60_000), true);
  });

  it('forgets a key after its lifetime', async () => {
    const cache = make();
    const key = replayKey('signed', randomUUID());
    assert.equal(await cache.remember(key, 150), true);
    await advance(300);
    assert.equal(await cache.remember(key, 150), true);
  });

  it('lets exactly one of many concurrent calls with one key through', async () => {
    const cache = make();
    const key = replayKey('nonce', randomUUID());
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.remember(key, 60_000)));
    assert.equal(results.filter(Boolean).length, 1);
  });
}

describe('security: replay cache', () => {
  it('builds unambiguous keys (length-prefixed parts)', () => {
    assert.notEqual(replayKey('signed', 'ab', 'c'), replayKey('signed', 'a', 'bc'));
    assert.equal(replayKey('nonce', Buffer.from('x')), replayKey('nonce', 'x'));
  });

  describe('in memory', () => {
    let now = Date.now();
    behavesAsReplayCache(() => new InMemoryReplayCache({ clock: () => now }), async (ms) => { now += ms; });

    it('fails closed when full instead of forgetting live keys', async () => {
      const cache = new InMemoryReplayCache({ maxEntries: 2 });
      assert.equal(await cache.remember('a', 60_000), true);
      assert.equal(await cache.remember('b', 60_000), true);
      assert.equal(await cache.remember('c', 60_000), false);
    });

    it('makes room from expired keys before refusing', async () => {
      let clock = 0;
      const cache = new InMemoryReplayCache({ maxEntries: 2, clock: () => clock });
      assert.equal(await cache.remember('a', 100), true);
      assert.equal(await cache.remember('b', 60_000), true);
      clock = 200;
      assert.equal(await cache.remember('c', 60_000), true);
      assert.equal(await cache.remember('b', 60_000), false);
    });
  });

  describe('Redis (127.0.0.1:6379)', function () {
    let redis: Redis;
    let otherInstance: Redis;
    const prefix = `test:wss:${randomUUID()}:`;

    before(async function () {
      redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
      otherInstance = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        await otherInstance.connect();
      } catch {
        this.skip(); // Redis is a local service here and in CI; without it only the in-memory cache is checked.
      }
    });

    after(async () => {
      if (redis?.status === 'ready') {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
      }
      redis?.disconnect();
      otherInstance?.disconnect();
    });

    behavesAsReplayCache(() => new RedisReplayCache(redis, prefix), (ms) => new Promise((r) => setTimeout(r, ms)));

    it('catches a replay sent to another instance sharing the Redis', async () => {
      const key = replayKey('signed', randomUUID());
      assert.equal(await new RedisReplayCache(redis, prefix).remember(key, 60_000), true);
      assert.equal(await new RedisReplayCache(otherInstance, prefix).remember(key, 60_000), false);
      assert.ok((await redis.pttl(prefix + key)) > 0, 'the key carries a TTL');
    });
  });
});
