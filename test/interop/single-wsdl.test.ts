/**
 * `?singleWsdl` consumed by real clients: wsimport generates the JAX-WS client from it alone (no
 * schemaLocation to follow) and zeep builds its client from it; both then call the echo service over SOAP
 * 1.1 and 1.2 (the RaiseFault round trip of encoding_client / EncodingClient, in UTF-8).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertRanToEnd, parseCheckLines } from './helpers/check-lines';
import { startEchoServer, type EchoServer } from './helpers/echo-server';
import { buildJaxwsClient, fetchContract, runJavaClient } from './helpers/jaxws';
import { runProcess } from './helpers/process';
import { findJaxws, findZeep } from './helpers/tools';

const TEXT = 'single WSDL — Grüße';

describe('interop: clients built from ?singleWsdl (echo service)', function () {
  this.timeout(300_000);
  let server: EchoServer;
  let singleWsdlUrl: string;

  before(async () => {
    server = await startEchoServer();
    singleWsdlUrl = `${server.endpoint}?singleWsdl`;
  });
  after(async () => {
    await server?.close();
  });

  it('is one document: nothing further to fetch', async () => {
    assert.equal((await fetchContract(singleWsdlUrl)).length, 1);
  });

  it('wsimport generates a working JAX-WS client from it', async function () {
    const tools = findJaxws();
    if (typeof tools === 'string') {
      console.log(`    skipped: ${tools}`);
      this.skip();
    }
    const jaxws = tools as Exclude<typeof tools, string>;
    const build = await buildJaxwsClient(jaxws, {
      wsdlUrl: singleWsdlUrl,
      packageName: 'interop.echo',
      clientSources: [join(__dirname, 'java', 'EncodingClient.java')],
    });
    const result = await runJavaClient(jaxws, build, 'EncodingClient', [singleWsdlUrl, server.endpoint, 'UTF-8', TEXT]);
    const report = parseCheckLines(result.stdout);
    assertRanToEnd(report, result);
    assert.deepEqual(report.failed, []);
    assert.equal(report.passed.length, 4);
  });

  it('zeep builds a working client from it', async function () {
    const found = await findZeep();
    if (typeof found === 'string') {
      console.log(`    skipped: ${found}`);
      this.skip();
    }
    const { python } = found as { python: string };
    const result = await runProcess(
      python,
      [join(__dirname, 'python', 'encoding_client.py'), singleWsdlUrl, server.endpoint, 'UTF-8', TEXT],
      { timeoutMs: 60_000 },
    );
    const report = parseCheckLines(result.stdout);
    assertRanToEnd(report, result);
    assert.deepEqual(report.failed, []);
    assert.equal(report.passed.length, 4);
  });
});
