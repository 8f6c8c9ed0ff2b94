/**
 * Declared SOAP headers and operations sharing an input element, end to end over HTTP: typed request
 * headers in the handler's context (a declared header counts as understood), typed response headers the
 * handler sets, header violations with their paths, routing by SOAPAction; and zeep calling it, headers
 * included.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateContract } from '../../../src/soap/codegen/generate';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import type { SoapContext } from '../../../src/soap/pipeline';
import { post11, startServer, type RunningServer } from '../runtime/http-helpers';
import { loadFixture, PROJECT_ROOT as ROOT } from './construct-fixtures';

const H = 'urn:example:headers';

interface QueryHeaders { SessionHeader?: { sessionId: string }; Locale?: string }
type Ctx = SoapContext<QueryHeaders, { LimitInfo?: { remaining: number } }>;

const envelope = (headers: string, text = 'q'): string =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>${headers}</s:Header>`
  + `<s:Body><h:Query xmlns:h="${H}"><h:text>${text}</h:text></h:Query></s:Body></s:Envelope>`;
const session = (id: string, mustUnderstand = '1'): string =>
  `<h:SessionHeader xmlns:h="${H}" s:mustUnderstand="${mustUnderstand}"><h:sessionId>${id}</h:sessionId></h:SessionHeader>`;

describe('declared SOAP headers and SOAPAction routing over HTTP', function () {
  this.timeout(60_000);
  const model = loadFixture('headers.wsdl');
  let server: RunningServer;
  let url: string;

  before(async () => {
    const endpoint = createSoapEndpoint({
      contract: model,
      service: 'SearchService',
      documentRoot: ROOT,
      handlers: {
        async query(request: { text: string }, context: Ctx) {
          context.responseHeaders.LimitInfo = { remaining: 41 };
          return { rows: request.text.length, by: `${context.requestHeaders.SessionHeader?.sessionId ?? '-'}/${context.requestHeaders.Locale ?? '-'}` };
        },
        async queryAll(request: { text: string }, context: Ctx) {
          return { rows: 1000, by: `all:${context.requestHeaders.SessionHeader?.sessionId ?? '-'}` };
        },
      },
    });
    server = await startServer('node:http', { '/search': endpoint });
    url = `${server.base}/search`;
  });

  after(async () => server?.close());

  it('generates typed header interfaces and the handler context that uses them', () => {
    const handlers = generateContract(model, { wsdl: 'headers.wsdl', outDir: 'out' }).get('handlers.ts') as string;
    assert.match(handlers, /query\(request: Query, context: SoapContext<QueryRequestHeaders, QueryResponseHeaders>\): Promise<QueryResult>;/);
    assert.match(handlers, /export interface QueryRequestHeaders \{\n {2}\/\*\* Header \{urn:example:headers\}SessionHeader\. \*\/\n {2}SessionHeader\?: SessionHeader;\n[\s\S]*Locale\?: Locale;/);
    assert.match(handlers, /queryAll\(request: Query, context: SoapContext<QueryAllRequestHeaders, Record<string, never>>\)/);
  });

  it('hands the decoded headers to the handler, treats them as understood, and writes the response header', async () => {
    const res = await post11(url, envelope(`${session('S-1')}<h:Locale xmlns:h="${H}">de-CH</h:Locale>`), 'urn:example:headers/Query');
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /<soap:Header><tns:LimitInfo xmlns:tns="urn:example:headers"><tns:remaining>41<\/tns:remaining><\/tns:LimitInfo><\/soap:Header>/);
    assert.match(res.body, /<tns:rows>1<\/tns:rows><tns:by>S-1\/de-CH<\/tns:by>/);
  });

  it('routes the shared input element by SOAPAction and refuses a message that names no operation', async () => {
    const all = await post11(url, envelope(session('S-2')), 'urn:example:headers/QueryAll');
    assert.equal(all.status, 200, all.body);
    assert.match(all.body, /<tns:rows>1000<\/tns:rows><tns:by>all:S-2<\/tns:by>/);
    const none = await post11(url, envelope(session('S-3')));
    assert.equal(none.status, 500);
    assert.match(none.body, /Operations Query, QueryAll take the body element \{urn:example:headers\}Query; the SOAPAction must name one/);
  });

  it('refuses a declared header that does not match the schema with its path, and an undeclared mustUnderstand header', async () => {
    const bad = await post11(url, envelope(`<h:SessionHeader xmlns:h="${H}"><h:id>x</h:id></h:SessionHeader>`), 'urn:example:headers/Query');
    assert.equal(bad.status, 500);
    assert.match(bad.body, /<faultcode>soap:Client<\/faultcode><faultstring xml:lang="en">The Query request's header does not match the schema: Header\/SessionHeader\/id: unknown element/);
    const other = await post11(url, envelope(`<x:Trace xmlns:x="urn:other" s:mustUnderstand="1"/>`), 'urn:example:headers/Query');
    assert.match(other.body, /<faultcode>soap:MustUnderstand<\/faultcode>[\s\S]*\{urn:other\}Trace/);
  });

  it('zeep calls it with a header and reads the response header', async function () {
    const script = [
      'import sys, zeep',
      'client = zeep.Client(sys.argv[1])',
      'svc = client.create_service("{urn:example:headers}SearchSoap", sys.argv[2])',
      'res = svc.Query(text="abc", _soapheaders={"session": {"sessionId": "Z-1"}, "locale": "en"})',
      'print(res.body.rows, res.body.by, res.header.limits.remaining)',
    ].join('\n');
    let out: string;
    try {
      // Asynchronously: the server answering zeep runs in this process.
      out = (await promisify(execFile)('/usr/bin/python3', ['-c', script, `${url}?wsdl`, url], { encoding: 'utf8', timeout: 30_000 })).stdout;
    } catch (err) {
      const e = err as { stderr?: string };
      if (/No module named 'zeep'/.test(e.stderr ?? '')) this.skip();
      throw new Error(`zeep failed: ${e.stderr ?? String(err)}`);
    }
    assert.equal(out.trim(), '3 Z-1/en 41');
  });
});
