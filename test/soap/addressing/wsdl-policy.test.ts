/**
 * The served WSDL's WS-Policy: generated from the endpoint's interceptors (WS-Security, WS-Addressing),
 * referenced from the served service's bindings, well-formed for xmllint (libxml2-utils), and present in
 * ?singleWsdl too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import { InMemoryCredentialStore, InMemoryReplayCache, wsSecurityInterceptor } from '../../../src/soap/security';
import { contract } from '../../fixtures/echo/generated';
import { echoHandlers } from '../../fixtures/echo/service';
import { httpRequest, startServer, type RunningServer } from '../runtime/http-helpers';

const WSP = 'http://www.w3.org/ns/ws-policy';
const SP = 'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702';
const WSAM = 'http://www.w3.org/2007/05/addressing/metadata';
const WSDL = 'http://schemas.xmlsoap.org/wsdl/';

function children(el: Element): Element[] {
  const found: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) found.push(c as Element);
  return found;
}

describe('WS-Policy in the served WSDL', () => {
  let server: RunningServer;
  let url: string;

  before(async () => {
    const security = wsSecurityInterceptor({
      store: new InMemoryCredentialStore(),
      replayCache: new InMemoryReplayCache(),
    });
    const endpoint = createSoapEndpoint({
      contract,
      service: 'EchoService',
      handlers: echoHandlers,
      addressing: true,
      interceptors: [security],
      documentRoot: resolve(__dirname, '..', '..', '..'),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    server = await startServer('node:http', { '/soap/echo': endpoint });
    url = `${server.base}/soap/echo`;
  });
  after(() => server.close());

  for (const query of ['wsdl', 'singleWsdl']) {
    it(`?${query}: one wsp:Policy with the UsernameToken-over-HTTPS and X.509 alternatives, each with wsam:Addressing, referenced by both bindings`, async () => {
      const reply = await httpRequest(`${url}?${query}`, { method: 'GET' });
      assert.equal(reply.status, 200);
      const lint = spawnSync('xmllint', ['--noout', '-'], { input: reply.body });
      if (lint.error === undefined) assert.equal(lint.status, 0, String(lint.stderr));
      const document = new DOMParser().parseFromString(reply.body, 'text/xml');
      const policies = document.getElementsByTagNameNS(WSP, 'Policy');
      const top = Array.from({ length: policies.length }, (_, i) => policies.item(i)!).filter(
        (p) => (p.parentNode as Element).namespaceURI === WSDL,
      );
      assert.equal(top.length, 1);
      const id = top[0]!.getAttributeNS(
        'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
        'Id',
      );
      const alternatives = children(children(top[0]!)[0]!);
      assert.deepEqual(
        alternatives.map((all) =>
          children(all).map(
            (a) => `${a.namespaceURI === SP ? 'sp' : a.namespaceURI === WSAM ? 'wsam' : '?'}:${a.localName}`,
          ),
        ),
        [
          ['sp:TransportBinding', 'sp:SignedSupportingTokens', 'wsam:Addressing'],
          ['sp:AsymmetricBinding', 'sp:Wss11', 'sp:SignedParts', 'wsam:Addressing'],
        ],
      );
      const references = document.getElementsByTagNameNS(WSP, 'PolicyReference');
      const boundBy = Array.from({ length: references.length }, (_, i) => references.item(i)!).map((r) => [
        (r.parentNode as Element).getAttribute('name'),
        r.getAttribute('URI'),
      ]);
      assert.deepEqual(
        boundBy.sort(),
        [
          ['EchoSoap11Binding', `#${id}`],
          ['EchoSoap12Binding', `#${id}`],
        ].sort(),
      );
      assert.match(reply.body, /<sp:Basic256Sha256\/>/);
      assert.match(reply.body, /wsp:Optional="true"/);
    });
  }
});
