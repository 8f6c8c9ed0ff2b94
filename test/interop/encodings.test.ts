/**
 * UTF-16 and ISO-8859-1 requests from real tools against the echo service in its own process: bodies
 * transcoded by iconv and sent by curl, a JAX-WS (Metro) client with SerializationFeature, and zeep with
 * lxml writing the envelope in the encoding. Clients talk through a recording proxy, so each test also
 * shows what really went over the wire (charset and first bytes), not only that the call succeeded.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertRanToEnd, parseCheckLines } from './helpers/check-lines';
import { startEchoServer, type EchoServer } from './helpers/echo-server';
import { buildJaxwsClient, runJavaClient } from './helpers/jaxws';
import { runProcess } from './helpers/process';
import { startRecordingProxy } from './helpers/recording-proxy';
import { findJaxws, findZeep, which } from './helpers/tools';

const TEXT = 'Grüße aus Zürich, ½ € — 日本語 😀';
const LATIN1_TEXT = 'Grüße aus Zürich, ½ ×';

function raiseFault11(message: string, encoding: string): string {
  return (
    `<?xml version="1.0" encoding="${encoding}"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:e="urn:example:echo">` +
    `<soapenv:Body><e:RaiseFault><e:kind>echo</e:kind><e:message>${message}</e:message></e:RaiseFault></soapenv:Body></soapenv:Envelope>\n`
  );
}

describe('interop: UTF-16 and ISO-8859-1 requests from real clients (echo service)', function () {
  this.timeout(300_000);
  let server: EchoServer;

  before(async () => {
    server = await startEchoServer();
  });
  after(async () => {
    await server?.close();
  });

  describe('curl with bodies transcoded by iconv', () => {
    const curl = which('curl');
    const iconv = which('iconv');

    async function send(
      text: string,
      iconvTarget: string,
      contentType: string,
    ): Promise<{ status: string; body: string }> {
      // iconv -t UTF-16 writes a byte order mark (little-endian here); UTF-16BE / UTF-16LE write none.
      const script =
        'printf "%s" "$1" | "$2" -f UTF-8 -t "$3" | "$4" -s -o - -w "\\n%{http_code}" -H "Content-Type: $5" --data-binary @- "$6"';
      const result = await runProcess(
        '/bin/sh',
        ['-c', script, 'sh', text, iconv!, iconvTarget, curl!, contentType, server.endpoint],
        { timeoutMs: 30_000 },
      );
      assert.equal(result.status, 0, result.stderr);
      const cut = result.stdout.lastIndexOf('\n');
      return { body: result.stdout.slice(0, cut), status: result.stdout.slice(cut + 1) };
    }

    before(function () {
      if (curl === undefined || iconv === undefined) {
        console.log('    skipped: curl or iconv not found');
        this.skip();
      }
    });

    for (const [target, declaredAs, contentType] of [
      ['UTF-16', 'UTF-16', 'text/xml; charset=UTF-16'],
      ['UTF-16LE', 'UTF-16', 'text/xml; charset=utf-16le'],
      ['UTF-16BE', 'UTF-16', 'text/xml; charset=utf-16be'],
      ['UTF-16BE', 'UTF-16', 'text/xml'],
    ] as const) {
      it(`echoes non-ASCII text sent as ${target} (${contentType}), answering in UTF-8`, async () => {
        const r = await send(raiseFault11(TEXT, declaredAs), target, contentType);
        assert.equal(r.status, '500', r.body);
        assert.ok(r.body.includes(`<message>${TEXT}</message>`) || r.body.includes(`:message>${TEXT}</`), r.body);
        assert.match(r.body, /^<\?xml version="1.0" encoding="utf-8"\?>/i);
      });
    }

    it('echoes text sent as ISO-8859-1', async () => {
      const r = await send(raiseFault11(LATIN1_TEXT, 'ISO-8859-1'), 'ISO-8859-1', 'text/xml; charset=ISO-8859-1');
      assert.equal(r.status, '500', r.body);
      assert.ok(r.body.includes(`${LATIN1_TEXT}</`), r.body);
    });

    it('refuses UTF-16 bytes announced as UTF-8 with 415', async () => {
      const r = await send(raiseFault11(TEXT, 'UTF-16'), 'UTF-16', 'text/xml; charset=utf-8');
      assert.equal(r.status, '415', r.body);
      assert.match(r.body, /Charset mismatch/);
    });
  });

  describe('JAX-WS (Metro) with SerializationFeature', () => {
    for (const encoding of ['UTF-16', 'ISO-8859-1']) {
      it(`calls the SOAP 1.1 and 1.2 ports writing ${encoding}`, async function () {
        const tools = findJaxws();
        if (typeof tools === 'string') {
          console.log(`    skipped: ${tools}`);
          this.skip();
        }
        const jaxws = tools as Exclude<typeof tools, string>;
        const proxy = await startRecordingProxy(server.endpoint);
        try {
          const build = await buildJaxwsClient(jaxws, {
            wsdlUrl: server.wsdlUrl,
            packageName: 'interop.echo',
            clientSources: [join(__dirname, 'java', 'EncodingClient.java')],
          });
          const text = encoding === 'UTF-16' ? TEXT : LATIN1_TEXT;
          const result = await runJavaClient(jaxws, build, 'EncodingClient', [
            server.wsdlUrl,
            proxy.url,
            encoding,
            text,
          ]);
          const report = parseCheckLines(result.stdout);
          assertRanToEnd(report, result);
          assert.deepEqual(report.failed, []);
          assert.equal(report.passed.length, 4);
          assert.ok(proxy.recorded.length >= 4);
          for (const sent of proxy.recorded) {
            assert.match(sent.contentType, new RegExp(`charset=${encoding}`, 'i'));
            if (encoding === 'UTF-16')
              assert.ok(
                sent.head[0] === 0 || sent.head[1] === 0 || sent.head[0] === 0xfe || sent.head[0] === 0xff,
                sent.head.toString('hex'),
              );
          }
        } finally {
          await proxy.close();
        }
      });
    }
  });

  describe('zeep with lxml writing the envelope', () => {
    for (const encoding of ['UTF-16', 'ISO-8859-1']) {
      it(`calls the SOAP 1.1 and 1.2 ports writing ${encoding}`, async function () {
        const found = await findZeep();
        if (typeof found === 'string') {
          console.log(`    skipped: ${found}`);
          this.skip();
        }
        const { python } = found as { python: string };
        const proxy = await startRecordingProxy(server.endpoint);
        try {
          const text = encoding === 'UTF-16' ? TEXT : LATIN1_TEXT;
          const result = await runProcess(
            python,
            [join(__dirname, 'python', 'encoding_client.py'), server.wsdlUrl, proxy.url, encoding, text],
            { timeoutMs: 60_000 },
          );
          const report = parseCheckLines(result.stdout);
          assertRanToEnd(report, result);
          assert.deepEqual(report.failed, []);
          assert.equal(report.passed.length, 4);
          assert.equal(proxy.recorded.length, 4);
          for (const sent of proxy.recorded) {
            assert.match(sent.contentType, new RegExp(`charset=${encoding}`, 'i'));
            if (encoding === 'UTF-16')
              assert.ok(sent.head[0] === 0xff || sent.head[0] === 0xfe, sent.head.toString('hex'));
          }
        } finally {
          await proxy.close();
        }
      });
    }
  });
});
