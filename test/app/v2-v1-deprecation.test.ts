/**
 * Marking v1 deprecated in configuration (versions.v1.deprecated + deprecatedSince, sunset, link) adds
 * Deprecation, Sunset and Link headers to every v1 answer, faults included, and one log line per call,
 * while v2 answers stay unmarked.
 */
import assert from 'node:assert/strict';
import { postSoap11, soap11, startTestApp, type TestApp } from '../support/app-server';
import { postV2, soap11v2 } from './v2-support';

const GET_PRODUCT = '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>';

/** Collects the JSON log lines the service writes to stdout while `work` runs. */
async function capturingLogs(work: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.startsWith('{')) {
      chunks.push(text);
      return true;
    }
    return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await work();
  } finally {
    process.stdout.write = original;
  }
  return chunks
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('v1 deprecation announced over HTTP', () => {
  describe('with versions.v1.deprecated = true', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({
        config: {
          logging: { level: 'info', accessLog: false },
          versions: {
            v1: {
              deprecated: true,
              deprecatedSince: '2026-06-01T00:00:00Z',
              sunset: '2027-06-30T00:00:00Z',
              link: 'https://partners.example.com/docs/versioning',
            },
          },
        },
      });
    });
    after(async () => {
      await app?.close();
    });

    it('sends Deprecation, Sunset and Link on v1 answers and faults, and logs each call once', async () => {
      let ok!: Awaited<ReturnType<typeof postSoap11>>;
      let fault!: Awaited<ReturnType<typeof postSoap11>>;
      const logs = await capturingLogs(async () => {
        ok = await postSoap11(app.ordersUrl, 'GetProduct', soap11(GET_PRODUCT, app.demo));
        fault = await postSoap11(
          app.ordersUrl,
          'GetOrder',
          soap11('<po:GetOrderRequest><po:orderId>nope</po:orderId></po:GetOrderRequest>', app.demo),
        );
        await postV2(`${app.baseUrl}/soap/v2/orders`, 'GetProduct', soap11v2(GET_PRODUCT, app.demo));
      });
      for (const response of [ok, fault]) {
        assert.equal(response.headers.get('deprecation'), `@${Date.UTC(2026, 5, 1) / 1000}`);
        assert.equal(response.headers.get('sunset'), 'Wed, 30 Jun 2027 00:00:00 GMT');
        assert.equal(
          response.headers.get('link'),
          '<https://partners.example.com/docs/versioning>; rel="deprecation"; type="text/html"',
        );
      }
      assert.equal(ok.status, 200);
      assert.equal(fault.status, 500);

      const deprecated = logs.filter((entry) => entry.message === 'deprecated contract version called');
      assert.deepEqual(
        deprecated.map((entry) => [entry.version, entry.operation, entry.partner]),
        [
          ['v1', 'GetProduct', 'demo'],
          ['v1', 'GetOrder', 'demo'],
        ],
      );
      assert.equal(deprecated[0]!.sunset, '2027-06-30T00:00:00Z');
    });

    it('leaves v2 unmarked', async () => {
      const response = await postV2(`${app.baseUrl}/soap/v2/orders`, 'GetProduct', soap11v2(GET_PRODUCT, app.demo));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('deprecation'), null);
      assert.equal(response.headers.get('sunset'), null);
    });
  });

  describe('with the default configuration', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(async () => {
      await app?.close();
    });

    it('sends no deprecation headers on v1', async () => {
      const response = await postSoap11(app.ordersUrl, 'GetProduct', soap11(GET_PRODUCT, app.demo));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('deprecation'), null);
      assert.equal(response.headers.get('sunset'), null);
    });
  });
});
