/**
 * The echo service (generated contract + typed handlers) served by the engine, through node:http and
 * through Express: the `soap` npm client round-trips it from `?wsdl`, declared faults arrive with their
 * detail in both SOAP versions, and every contract document is served with rewritten locations.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import * as soap from 'soap';
import { createSoapEndpoint } from '../../../src/soap';
import { contract } from '../../fixtures/echo/generated';
import { echoHandlers } from '../../fixtures/echo/service';
import {
  CapturingLogger,
  TRANSPORTS,
  httpRequest,
  post11,
  post12,
  soap11,
  soap12,
  startServer,
  type RunningServer,
} from './http-helpers';

const ECHO_NS = 'urn:example:echo';
const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

type Callback = (error: unknown, result: Record<string, unknown>) => void;
type ClientOperation = (args: Record<string, unknown>, callback: Callback) => void;

function callPort(
  client: soap.Client,
  port: string,
  operation: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const services = client as unknown as Record<string, Record<string, Record<string, ClientOperation>>>;
  const method = services.EchoService?.[port]?.[operation];
  if (method === undefined) throw new Error(`no EchoService.${port}.${operation} on the client`);
  return new Promise((resolveCall, reject) =>
    method(args, (error, result) => (error ? reject(error) : resolveCall(result))),
  );
}

interface ClientFault extends Error {
  root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } };
}

for (const transport of TRANSPORTS) {
  describe(`echo service over ${transport}`, function () {
    this.timeout(30_000);
    let server: RunningServer;
    let url: string;
    const logger = new CapturingLogger();

    before(async () => {
      const endpoint = createSoapEndpoint({
        contract,
        service: 'EchoService',
        handlers: echoHandlers,
        logger,
        documentRoot: PROJECT_ROOT,
      });
      server = await startServer(transport, { '/soap/echo': endpoint });
      url = `${server.base}/soap/echo`;
    });
    after(() => server.close());

    for (const [version, port] of [
      ['1.1', 'EchoSoap11Port'],
      ['1.2', 'EchoSoap12Port'],
    ] as const) {
      describe(`soap npm client, SOAP ${version}`, () => {
        let client: soap.Client;
        before(async () => {
          client = await soap.createClientAsync(`${url}?wsdl`, { forceSoap12Headers: version === '1.2' });
        });

        it('was built from our ?wsdl with the rewritten endpoint', () => {
          const description = client.describe() as Record<string, Record<string, unknown>>;
          assert.ok(description.EchoService?.[port], JSON.stringify(Object.keys(description.EchoService ?? {})));
          const endpoint = (
            client as unknown as {
              wsdl: { definitions: { services: Record<string, { ports: Record<string, { location: string }> }> } };
            }
          ).wsdl.definitions.services.EchoService?.ports[port]?.location;
          assert.equal(endpoint, url);
        });

        it('round-trips an operation', async () => {
          const result = await callPort(client, port, 'RaiseFault', { kind: 'none' });
          assert.deepEqual(result, { kind: 'none' });
          const sent =
            (client as unknown as { lastRequestHeaders?: Record<string, string> }).lastRequestHeaders?.[
              'Content-Type'
            ] ?? '';
          assert.match(sent, version === '1.1' ? /^text\/xml/ : /^application\/soap\+xml/);
        });

        it('receives the declared fault with its detail', async () => {
          let error: ClientFault | undefined;
          try {
            await callPort(client, port, 'RaiseFault', { kind: 'echo', message: 'a <&> b' });
          } catch (e) {
            error = e as ClientFault;
          }
          const fault = error?.root?.Envelope?.Body?.Fault;
          assert.ok(fault, `expected a fault, got ${String(error)}`);
          const detail = (fault.detail ?? fault.Detail) as { EchoFaultDetail?: Record<string, unknown> };
          assert.deepEqual(detail.EchoFaultDetail, { code: 'ECHO', message: 'a <&> b', item: ['echo', 'fault'] });
        });
      });
    }

    it('answers declared faults with detail in SOAP 1.1 (500, Client) and SOAP 1.2 (400, Sender)', async () => {
      const body = `<e:RaiseFault xmlns:e="${ECHO_NS}"><e:kind>limit</e:kind></e:RaiseFault>`;
      const a = await post11(url, soap11(body), 'urn:example:echo/RaiseFault');
      assert.equal(a.status, 500);
      assert.match(a.body, /<faultcode>soap:Client<\/faultcode>/);
      assert.match(
        a.body,
        /<detail><(\w+):LimitFaultDetail xmlns:\1="urn:example:echo"><\1:limit>9223372036854775807<\/\1:limit><\1:requested>12345678901234567.89<\/\1:requested><\/\1:LimitFaultDetail><\/detail>/,
      );
      const b = await post12(url, soap12(body), 'urn:example:echo/RaiseFault');
      assert.equal(b.status, 400);
      assert.match(b.body, /<soap:Detail><(\w+):LimitFaultDetail[^>]*>.*9223372036854775807.*<\/soap:Detail>/);
    });

    it('hides an undeclared error behind a generic Receiver fault and logs it', async () => {
      const r = await post12(
        url,
        soap12(
          `<e:RaiseFault xmlns:e="${ECHO_NS}"><e:kind>unexpected</e:kind><e:message>secret-42</e:message></e:RaiseFault>`,
        ),
      );
      assert.equal(r.status, 500);
      assert.match(r.body, /soap:Receiver/);
      assert.doesNotMatch(r.body, /secret-42/);
      assert.match(r.body, new RegExp(String(r.headers['x-request-id'])));
      assert.ok(logger.lines.some((l) => l.level === 'error' && JSON.stringify(l.meta).includes('secret-42')));
    });

    it('serves every contract document, all locations pointing back at this endpoint', async () => {
      const wsdl = await httpRequest(`${url}?wsdl`, { method: 'GET' });
      assert.equal(wsdl.status, 200);
      const seen = new Set<string>();
      const queue = [wsdl.body];
      while (queue.length > 0) {
        const text = queue.pop() ?? '';
        for (const m of text.matchAll(/(?:schemaLocation|location)="([^"]*)"/g)) {
          const location = m[1] ?? '';
          assert.ok(location.startsWith(url), `location not rewritten: ${location}`);
          const name = /\?xsd=(.*)$/.exec(location)?.[1];
          if (name === undefined || seen.has(name)) continue;
          seen.add(name);
          const doc = await httpRequest(location, { method: 'GET' });
          assert.equal(doc.status, 200, location);
          queue.push(doc.body);
        }
      }
      assert.deepEqual(
        [...seen].sort(),
        contract.documents
          .filter((d) => d.kind === 'xsd')
          .map((d) => encodeURIComponent(d.name))
          .sort(),
      );
    });
  });
}
