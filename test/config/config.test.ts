import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, parseConfig, type AppConfig } from '../../src/config';
import { applyHeapGrowingPercent } from '../../src/ops/heap';
import { configDir, merge, readConfigFile as readJson, testRaw } from '../ops/test-config';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map((i) => `${i.key}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
}

describe('config', () => {
  it('accepts the committed default+test configuration and freezes it', () => {
    const config = parseConfig(testRaw(), 'test');
    assert.equal(config.server.port, 0);
    assert.equal(config.database.sqlite.filename, ':memory:');
    assert.equal(config.security.timestamp.maxAgeSeconds, 300);
    assert.equal(config.cache.stock.ttlSeconds, 0);
    assert.ok(Object.isFrozen(config.server.https));
    assert.throws(() => {
      (config.server as { port: number }).port = 1;
    }, TypeError);
  });

  it('the default port is 8080 and sqlite uses data/partner-orders.sqlite', () => {
    const raw = merge(readJson('default.json'), {
      security: { secretKey: 'x'.repeat(40) },
      pagingTokenKey: 'y'.repeat(40),
    });
    const config = parseConfig(raw, 'production');
    assert.equal(config.server.port, 8080);
    assert.equal(config.database.sqlite.filename, 'data/partner-orders.sqlite');
  });

  it('names the key and what is expected for a bad port', () => {
    assert.deepEqual(
      issuesOf(() => parseConfig(testRaw({ server: { port: 'abc' } }), 'test')),
      ['server.port: expected an integer 0..65535, got "abc"'],
    );
  });

  it('server.heapGrowingPercent: 100 by default, 0..1000, 0 leaving V8 alone', () => {
    assert.equal(parseConfig(testRaw(), 'test').server.heapGrowingPercent, 100);
    assert.equal(parseConfig(testRaw({ server: { heapGrowingPercent: '0' } }), 'test').server.heapGrowingPercent, 0);
    assert.deepEqual(
      issuesOf(() => parseConfig(testRaw({ server: { heapGrowingPercent: 1001 } }), 'test')),
      ['server.heapGrowingPercent: expected an integer 0..1000, got 1001'],
    );
    const flags: string[] = [];
    applyHeapGrowingPercent(100, (f) => flags.push(f));
    applyHeapGrowingPercent(0, (f) => flags.push(f));
    assert.deepEqual(flags, ['--heap-growing-percent=100']);
  });

  it('accepts integers and booleans given as environment strings', () => {
    const config: AppConfig = parseConfig(testRaw({ server: { port: '9090' }, metrics: { enabled: 'false' } }), 'test');
    assert.equal(config.server.port, 9090);
    assert.equal(config.metrics.enabled, false);
  });

  it('reports every problem at once, unknown keys included', () => {
    const issues = issuesOf(() =>
      parseConfig(
        testRaw({
          server: { prot: 1, keepAliveTimeoutMs: -1, trustedProxies: ['10.0.0.0/8', 'loopback'] },
          logging: { level: 'verbose' },
          database: { url: 'ftp://db', pool: { min: 5, max: 2 } },
          redis: { url: 'http://localhost' },
          versions: { v1: { sunset: 'next year' } },
        }),
        'test',
      ),
    );
    assert.deepEqual(issues.sort(), [
      'database.pool.min: expected at most database.pool.max (2), got 5',
      'database.url: expected a URL with scheme postgres: or postgresql: or mysql: or mariadb: or mssql: or sqlserver: or sqlite: or file:, got "ftp://db"',
      'logging.level: expected one of "error", "warn", "info", "debug", got "verbose"',
      'redis.url: expected a URL with scheme redis: or rediss:, got "http://localhost"',
      'server.keepAliveTimeoutMs: expected an integer 0..86400000, got -1',
      'server.prot: unknown key',
      'server.trustedProxies: expected IP addresses or CIDRs (e.g. 10.0.0.0/8, ::1), got "loopback"',
      'versions.v1.sunset: expected an ISO 8601 date (e.g. 2027-06-30 or 2027-06-30T00:00:00Z), got "next year"',
    ]);
  });

  it('never echoes credentials from a bad URL', () => {
    const [issue] = issuesOf(() => parseConfig(testRaw({ database: { url: 'ftp://user:hunter2@db' } }), 'test'));
    assert.ok(!issue.includes('hunter2'), issue);
  });

  it('production requires the secrets from the environment and refuses the committed dev key', () => {
    const prod = merge(readJson('default.json'), readJson('production.json'));
    assert.deepEqual(
      issuesOf(() => parseConfig(prod, 'production')),
      [
        'security.secretKey: expected a secret of at least 32 characters (set SECRETS_KEY; generate one with: openssl rand -base64 48), got nothing',
        'pagingTokenKey: expected a secret of at least 32 characters (set PAGING_TOKEN_KEY; generate one with: openssl rand -base64 48), got nothing',
      ],
    );
    const devKey = readJson('development.json') as { security: { secretKey: string } };
    const issues = issuesOf(() =>
      parseConfig(
        merge(prod, { security: { secretKey: devKey.security.secretKey }, pagingTokenKey: 'p'.repeat(40) }),
        'production',
      ),
    );
    assert.deepEqual(issues, [
      'security.secretKey: expected a real secret from SECRETS_KEY in production, not the committed development key (generate one with: openssl rand -base64 48), got "<development key>"',
    ]);
    assert.ok(!issues[0].includes(devKey.security.secretKey));
  });

  it('no committed file other than development/test holds a secret', () => {
    for (const file of ['default.json', 'production.json']) {
      const raw = readJson(file) as { security?: { secretKey?: unknown }; pagingTokenKey?: unknown };
      assert.ok(raw.security?.secretKey == null, `${file} security.secretKey`);
      assert.ok(raw.pagingTokenKey == null, `${file} pagingTokenKey`);
    }
  });

  it('checks cross-key rules: HTTPS pairs, client certs, redis stores', () => {
    const issues = issuesOf(() =>
      parseConfig(
        testRaw({
          server: { https: { certFile: 'cert.pem', requestClientCert: true } },
          security: { replayCache: { store: 'redis' } },
          rateLimits: { store: 'redis', inFlightStore: 'redis' },
        }),
        'test',
      ),
    );
    assert.deepEqual(issues.sort(), [
      'rateLimits.inFlightStore: expected "memory" unless redis.url is set, got "redis"',
      'rateLimits.store: expected "auto" or "memory" unless redis.url is set, got "redis"',
      'security.replayCache.store: expected "memory" unless redis.url is set, got "redis"',
      'server.https.caFile: expected a CA bundle file when requestClientCert is true, got null',
      'server.https.keyFile: expected both certFile and keyFile (HTTPS needs both) or neither, got null',
    ]);
  });

  it('reads per-operation rate limits and comma-separated lists', () => {
    const config = parseConfig(
      testRaw({
        rateLimits: { operations: { SubmitOrder: { points: 5, durationSeconds: 10 } } },
        logging: { maskFields: 'CardNumber, Iban' },
      }),
      'test',
    );
    assert.deepEqual(config.rateLimits.operations.SubmitOrder, { points: 5, durationSeconds: 10 });
    assert.deepEqual(config.logging.maskFields, ['CardNumber', 'Iban']);
  });

  describe('loadConfig through node-config (child process)', () => {
    const script =
      "const {loadConfig}=require('./src/config');try{console.log(JSON.stringify(loadConfig()))}catch(e){console.log('ERR '+e.message);process.exitCode=3}";
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        cwd: path.join(configDir, '..'),
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
        encoding: 'utf8',
      });

    it('applies environment overrides from custom-environment-variables.json', () => {
      const result = run({
        PORT: '9091',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        REDIS_URL: 'redis://127.0.0.1:6379',
        LOG_LEVEL: 'warn',
        LOG_MASK_FIELDS: 'Iban',
      });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      const config = JSON.parse(result.stdout) as AppConfig;
      assert.equal(config.server.port, 9091);
      assert.equal(config.database.url, 'postgres://postgres@127.0.0.1:5432/test');
      assert.equal(config.redis.url, 'redis://127.0.0.1:6379');
      assert.equal(config.logging.level, 'warn');
      assert.deepEqual(config.logging.maskFields, ['Iban']);
    });

    it('stops with a message naming the key for a bad environment value', () => {
      const result = run({ PORT: 'abc', NODE_CONFIG: '{"rateLimits":{"partner":{"points":0}}}' });
      assert.equal(result.status, 3, result.stdout + result.stderr);
      assert.match(result.stdout, /server\.port: expected an integer 0\.\.65535, got "abc"/);
      assert.match(result.stdout, /rateLimits\.partner\.points: expected an integer >= 1, got 0/);
    });
  });
});
