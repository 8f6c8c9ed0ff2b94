/**
 * MTOM with a real client: a JAX-WS (Metro) client with MTOMFeature sends a 5 MB base64Binary value to
 * the echo service (in its own process, body limit raised to 8 MiB) and gets it back; the recording proxy
 * shows that both directions really were MTOM packages (multipart/related, application/xop+xml), and the
 * bytes must come back identical (SHA-256). The round-trip time is printed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertRanToEnd, parseCheckLines } from './helpers/check-lines';
import { startEchoServer, type EchoServer } from './helpers/echo-server';
import { buildJaxwsClient, runJavaClient } from './helpers/jaxws';
import { startRecordingProxy } from './helpers/recording-proxy';
import { findJaxws } from './helpers/tools';

const DOCUMENT_BYTES = 5 * 1024 * 1024;

describe('interop: MTOM with the JAX-WS MTOMFeature (echo service, 5 MB)', function () {
  this.timeout(300_000);
  let server: EchoServer | undefined;
  after(async () => {
    await server?.close();
  });

  it('round-trips 5 MB as MTOM over SOAP 1.1 and 1.2, byte for byte', async function () {
    const tools = findJaxws();
    if (typeof tools === 'string') {
      console.log(`    skipped: ${tools}`);
      this.skip();
    }
    const jaxws = tools as Exclude<typeof tools, string>;
    server = await startEchoServer(['--max-body-bytes', String(8 * 1024 * 1024)]);
    const proxy = await startRecordingProxy(server.endpoint);
    try {
      const build = await buildJaxwsClient(jaxws, {
        wsdlUrl: server.wsdlUrl,
        packageName: 'interop.echo',
        clientSources: [join(__dirname, 'java', 'MtomClient.java')],
      });
      const result = await runJavaClient(jaxws, build, 'MtomClient', [
        server.wsdlUrl,
        proxy.url,
        String(DOCUMENT_BYTES),
      ]);
      const report = parseCheckLines(result.stdout);
      assertRanToEnd(report, result);
      assert.deepEqual(report.failed, []);
      assert.equal(report.passed.length, 4);
      for (const line of result.stdout.split('\n').filter((l) => l.startsWith('TIME ')))
        console.log(`    ${line} ms (5 MB MTOM round trip)`);
      assert.equal(proxy.recorded.length, 4);
      for (const sent of proxy.recorded) assert.match(sent.contentType, /^multipart\/related;.*application\/xop\+xml/);
      // the 5 MB replies (one per SOAP version) come back as MTOM packages
      assert.ok(
        proxy.replies.filter((r) => r.startsWith('multipart/related; type="application/xop+xml"')).length >= 2,
        proxy.replies.join('\n'),
      );
    } finally {
      await proxy.close();
    }
  });
});
