/**
 * Issue 14, finding 4: what an unauthenticated sender can make a signed-message check cost. Serves the
 * echo fixture over loopback HTTP with the WS-Security interceptor (in-memory partners of the security
 * test harness) and times, end to end, three ~930 KB requests that all end in a fault:
 *   signed-garbage: 8 nested References (Body and 7 elements inside it, each digest correct), a registered
 *                   partner's certificate in the BinarySecurityToken, a signature made with another key;
 *   dsig-mention:   no signature at all, but the XML-DSig namespace string in a text node;
 *   unsigned:       the same payload with a valid UsernameToken digest and no signature.
 * Usage: npx tsx scripts/measure-signature-cpu.ts [rounds=15]   (prints the median and p90 in ms)
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createSoapEndpoint } from '../src/soap/endpoint';
import { describeCertificate } from '../src/soap/security/certificate-info';
import { contract, type EchoHandlers } from '../test/fixtures/echo/generated';
import { PASSWORDS, buildWorld, interceptorFor, quietLogger } from '../test/soap/security/support/harness';
import { DS, S11, WSSE, WSU } from '../test/soap/security/support/signers';

const ROUNDS = Number(process.argv[2] ?? 15);
const NESTED = 7;
const TARGET_BYTES = 930 * 1024;
const X = 'urn:example:filler';

function filler(bytes: number): string {
  const item = '<x:i>lorem ipsum dolor sit amet, consectetur 0123456789</x:i>';
  return item.repeat(Math.ceil(bytes / item.length));
}

function nestedPayload(extraText = ''): string {
  let inner = filler(TARGET_BYTES) + extraText;
  for (let level = NESTED; level >= 1; level--) inner = `<x:L${level} wsu:Id="R${level}">${inner}</x:L${level}>`;
  return `<e:EchoPrimitives xmlns:e="urn:example:echo" xmlns:x="${X}"><stringValue>x</stringValue>${inner}</e:EchoPrimitives>`;
}

const iso = (offsetSeconds: number) => new Date(Date.now() + offsetSeconds * 1000).toISOString();

function timestamp(): string {
  return `<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>${iso(0)}</wsu:Created><wsu:Expires>${iso(300)}</wsu:Expires></wsu:Timestamp>`;
}

function envelope(security: string, payload: string, bodyId = true): string {
  return (
    `<soap:Envelope xmlns:soap="${S11}" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><soap:Header><wsse:Security soap:mustUnderstand="1">${security}</wsse:Security></soap:Header>` +
    `<soap:Body${bodyId ? ' wsu:Id="Body-1"' : ''}>${payload}</soap:Body></soap:Envelope>`
  );
}

function usernameToken(): string {
  const nonce = randomBytes(16);
  const created = iso(0);
  const digest = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created + PASSWORDS.alice, 'utf8')]))
    .digest('base64');
  return (
    `<wsse:UsernameToken><wsse:Username>alice</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken>`
  );
}

async function main(): Promise<void> {
  const world = await buildWorld();
  try {
    const endpoint = createSoapEndpoint({
      contract,
      service: 'EchoService',
      handlers: {
        async echoPrimitives(request) {
          return request;
        },
        async echoStructures(request) {
          return request;
        },
        async echoFacets(request) {
          return request;
        },
        async raiseFault(request) {
          return { kind: request.kind };
        },
      } satisfies EchoHandlers,
      interceptors: [interceptorFor(world).interceptor],
      documentRoot: resolve(__dirname, '..'),
      logger: quietLogger,
      limits: { maxBodyBytes: 4 * 1024 * 1024 },
    });
    const server = createServer((req, res) => endpoint.handle(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap/echo`;

    // Signed by the attacker's key, presenting alice's registered certificate: digests right, signature wrong.
    const aliceDer = describeCertificate(world.alice.certPem).der.toString('base64');
    const references = ['Body-1', ...Array.from({ length: NESTED }, (_, i) => `R${i + 1}`)]
      .map(
        (id) =>
          `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
          '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference>',
      )
      .join('');
    const signatureTemplate =
      `<ds:Signature xmlns:ds="${DS}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
      `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>${references}</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>` +
      '<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#X509-1" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"/></wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature>';
    const bst = `<wsse:BinarySecurityToken wsu:Id="X509-1" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${aliceDer}</wsse:BinarySecurityToken>`;
    const signedGarbage = (): string => {
      const template = envelope(bst + timestamp() + signatureTemplate, nestedPayload());
      const idArgs = [`${S11}:Body`, ...Array.from({ length: NESTED }, (_, i) => `${X}:L${i + 1}`)].flatMap((name) => [
        '--id-attr:Id',
        name,
      ]);
      return execFileSync(
        'xmlsec1',
        [
          '--sign',
          '--privkey-pem',
          world.attacker.keyPath,
          ...idArgs,
          world.pki.file(`cpu-${Date.now()}.xml`, template),
        ],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      ).toString('utf8');
    };
    const cases: Record<string, () => string> = {
      'signed-garbage': signedGarbage,
      'dsig-mention': () => envelope(timestamp() + usernameToken(), nestedPayload(`<x:note>${DS}</x:note>`), false),
      unsigned: () => envelope(timestamp() + usernameToken(), nestedPayload(), false),
    };

    const signed = signedGarbage(); // one signature: RSA PKCS#1 v1.5 is deterministic, replays are refused later anyway
    for (const [name, build] of Object.entries(cases)) {
      const times: number[] = [];
      let lastBody = '';
      let bytes = 0;
      for (let round = 0; round < ROUNDS + 2; round++) {
        const xml = name === 'signed-garbage' ? signed : build();
        bytes = Buffer.byteLength(xml);
        const started = process.hrtime.bigint();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:example:echo/EchoPrimitives"' },
          body: xml,
        });
        lastBody = await response.text();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (round >= 2) times.push(ms); // two warm-up rounds
      }
      times.sort((a, b) => a - b);
      const fault = `${/<faultcode>([^<]*)<\/faultcode>/.exec(lastBody)?.[1]}: ${/<faultstring[^>]*>([^<]*)</.exec(lastBody)?.[1]?.slice(0, 100)}`;
      console.log(
        `${name.padEnd(15)} ${(bytes / 1024).toFixed(0)} KB  median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms  p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1)} ms  (${ROUNDS} rounds; answer ${fault})`,
      );
    }
    await new Promise((done) => server.close(done));
  } finally {
    world.pki.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
