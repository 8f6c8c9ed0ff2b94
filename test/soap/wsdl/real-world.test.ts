/**
 * The real-world corpus (test/fixtures/real-world): every contract loads, generates and type-checks, or is
 * refused for a stated reason with file and construct; every loaded one is served (?wsdl and each ?xsd=);
 * zeep calls a representative subset (EU VIES, ONVIF device management over SOAP 1.2, Salesforce partner
 * with its declared headers); the codegen command on one contract and on a refused one.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { operationMethodName } from '../../../src/soap/codegen/naming';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import type { ContractModel } from '../../../src/soap/schema/model';
import { httpRequest, startServer, type RunningServer } from '../runtime/http-helpers';
import { PROJECT_ROOT, runCorpus, summarize, type CorpusOutcome } from './real-world-corpus';

const run = promisify(execFile);

/** Contracts refused on purpose, and why: rpc style, a broken reference, ambiguous dispatch, a non-HTTP transport... */
const REFUSED: Record<string, RegExp> = {
  'onvif-federatedsearch': /mpqf\.xsd": remote location has no entry in the XML catalog/, // MPEG-7 query schema: not in the corpus
  'zeep-claim': /style="rpc": only document style is supported/,
  'zeep-recursive-schema-main': /portType \{http:\/\/schemas\.xmlsoap\.org\/wsdl\/\}portje is not defined/, // a zeep test of a broken WSDL
  'zeep-soap': /same input element .* does not give them distinct soapActions/, // two operations, one element, one soapAction
  'zeep-soap-header': /header part "body" uses type=/, // rpc-style type= parts
  'zeep-soap-import-main': /imports namespace "http:\/\/test\.python-zeep\.org\/sub" but/, // namespace mismatch (WS-I R2005)
  'zeep-soap-transport-err': /transport="http:\/\/schemas\.microsoft\.com\/soap\/tcp"/,
};

/** A service for contracts that publish bindings only (ONVIF): the deployer gives the port its address. */
function servable(model: ContractModel): { model: ContractModel; service: string } {
  const bound = model.services.find((s) => s.ports.length > 0);
  // One endpoint serves one port type: keep the first port's (PayPal's service holds two).
  if (bound) return { model: { ...model, services: [{ ...bound, ports: [bound.ports[0]] }] }, service: bound.name };
  const binding = model.bindings[0];
  return { model: { ...model, services: [{ name: 'CorpusService', ports: [{ name: 'CorpusPort', binding: binding.name, address: 'http://localhost/corpus' }] }] }, service: 'CorpusService' };
}

/** Handlers for every operation of the served port type: the listed ones answer, the others fail (never called). */
function handlersFor(model: ContractModel, service: string, answers: Record<string, () => unknown>): Record<string, () => Promise<unknown>> {
  const port = model.services.find((s) => s.name === service)?.ports[0];
  const binding = model.bindings.find((b) => b.name === port?.binding);
  const portType = model.portTypes.find((p) => p.name === binding?.portType);
  const handlers: Record<string, () => Promise<unknown>> = {};
  for (const op of portType?.operations ?? []) {
    const answer = answers[op.name];
    handlers[operationMethodName(op.name)] = async () => {
      if (answer === undefined) throw new Error(`${op.name} is not implemented by the corpus test`);
      return answer();
    };
  }
  return handlers;
}

describe('real-world corpus', function () {
  this.timeout(300_000);
  let outcomes: CorpusOutcome[];

  before(() => {
    outcomes = runCorpus();
    console.log(summarize(outcomes).split('\n').map((l) => `      ${l}`).join('\n'));
  });

  it('loads, generates and type-checks every contract not refused on purpose; refusals name file and construct', () => {
    for (const o of outcomes) {
      const reason = REFUSED[o.entry.id];
      if (reason === undefined) assert.equal(o.stage, 'ok', `${o.entry.id}: ${o.error ?? ''}`);
      else if (o.stage !== 'ok') {
        assert.equal(o.stage, 'load', `${o.entry.id} fails after loading: ${o.error ?? ''}`);
        assert.match(o.error ?? '', /^test\/fixtures\/real-world\/\S+: \S.*: /);
        assert.match(o.error ?? '', reason);
      }
    }
    assert.ok(outcomes.filter((o) => o.stage === 'ok').length >= 35);
  });

  it('serves every loaded contract: the WSDL and each referenced document, pointing at our own ?xsd=', async () => {
    for (const o of outcomes) {
      if (o.model === undefined || o.model.bindings.length === 0) continue;
      const { model, service } = servable(o.model);
      const endpoint = createSoapEndpoint({ contract: model, service, documentRoot: PROJECT_ROOT, handlers: handlersFor(model, service, {}) });
      const server = await startServer('node:http', { '/svc': endpoint });
      try {
        const wsdl = await httpRequest(`${server.base}/svc?wsdl`, { method: 'GET' });
        assert.equal(wsdl.status, 200, o.entry.id);
        assert.doesNotMatch(wsdl.body, /(schemaLocation|location)="https?:\/\/(?!127\.0\.0\.1)[^"]*\.(xsd|wsdl)"/, `${o.entry.id} still points at a remote document`);
        for (const doc of model.documents.filter((d) => d.name !== 'wsdl')) {
          const xsd = await httpRequest(`${server.base}/svc?xsd=${encodeURIComponent(doc.name)}`, { method: 'GET' });
          assert.equal(xsd.status, 200, `${o.entry.id} ?xsd=${doc.name}`);
        }
      } finally {
        await server.close();
      }
    }
  });

  describe('zeep calls a representative subset', () => {
    const cases: { id: string; answers: Record<string, () => unknown>; script: string; expected: string }[] = [
      {
        id: 'vies-checkvatservice',
        answers: { checkVat: () => ({ countryCode: 'DE', vatNumber: '123', requestDate: '2026-12-04', valid: true, name: 'ACME', address: null }) },
        script: 'r = svc.checkVat(countryCode="DE", vatNumber="123"); print(r.countryCode, r.valid, r.name, r.requestDate)',
        expected: 'DE True ACME 2026-12-04',
      },
      {
        id: 'onvif-device-devicemgmt',
        answers: { GetHostname: () => ({ HostnameInformation: { FromDHCP: false, Name: 'cam-1', $attributes: { vendor: 'x' } } }) },
        script: 'r = svc.GetHostname(); print(r.FromDHCP, r.Name)',
        expected: 'False cam-1',
      },
      {
        id: 'salesforce-partner',
        answers: { getServerTimestamp: () => ({ result: { timestamp: '2026-12-04T18:00:00Z' } }) },
        script: 'r = svc.getServerTimestamp(_soapheaders={"SessionHeader": {"sessionId": "00D"}}); print(r.body.result.timestamp.isoformat())',
        expected: '2026-12-04T18:00:00+00:00',
      },
    ];
    for (const c of cases) {
      it(c.id, async function () {
        const o = outcomes.find((x) => x.entry.id === c.id);
        assert.ok(o?.model, `${c.id} did not load`);
        const { model, service } = servable(o.model);
        const endpoint = createSoapEndpoint({ contract: model, service, documentRoot: PROJECT_ROOT, handlers: handlersFor(model, service, c.answers) });
        let server: RunningServer | undefined;
        try {
          server = await startServer('node:http', { '/svc': endpoint });
          const binding = model.bindings.find((b) => b.name === model.services.find((s) => s.name === service)?.ports[0].binding);
          const script = [
            'import sys, zeep',
            'client = zeep.Client(sys.argv[1])',
            `svc = client.create_service("{${binding?.ns ?? ''}}${binding?.name ?? ''}", sys.argv[2])`,
            c.script,
          ].join('\n');
          let out: string;
          try {
            out = (await run('/usr/bin/python3', ['-c', script, `${server.base}/svc?wsdl`, `${server.base}/svc`], { encoding: 'utf8', timeout: 120_000 })).stdout;
          } catch (err) {
            const e = err as { stderr?: string };
            if (/No module named 'zeep'/.test(e.stderr ?? '')) this.skip();
            throw new Error(`zeep failed: ${(e.stderr ?? String(err)).split('\n').slice(-6).join('\n')}`);
          }
          assert.equal(out.trim(), c.expected);
        } finally {
          await server?.close();
        }
      });
    }
  });

  it('partner-orders codegen --wsdl: exit 0 with the files, exit 2 with file and construct on a refusal', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-cli-'));
    const cli = [path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), path.join(PROJECT_ROOT, 'src/cli/main.ts'), 'codegen'];
    try {
      const ok = await run(cli[0], [...cli.slice(1), '--wsdl', 'test/fixtures/real-world/vies/checkVatService.wsdl', '--out', out, '--id', 'vies'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      assert.match(ok.stdout, /create .*handlers\.ts/);
      assert.match(fs.readFileSync(path.join(out, 'handlers.ts'), 'utf8'), /checkVat\(request: CheckVat, context: SoapContext\): Promise<CheckVatResponse>;/);
      await assert.rejects(
        run(cli[0], [...cli.slice(1), '--wsdl', 'test/fixtures/real-world/zeep/claim.wsdl', '--out', out], { cwd: PROJECT_ROOT, encoding: 'utf8' }),
        (err: { code?: number; stderr?: string }) => err.code === 2
          && /^codegen failed: test\/fixtures\/real-world\/zeep\/claim\.wsdl: wsdl:binding "GetClaimDetailsBinding" operation "GetClaimDetails" style="rpc": /.test(err.stderr ?? ''),
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
