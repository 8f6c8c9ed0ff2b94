import { join } from 'node:path';
import { assertRanToEnd, assertScenarioPassed, parseCheckLines, type CheckReport } from './helpers/check-lines';
import { runProcess, type ProcessResult } from './helpers/process';
import { findZeep } from './helpers/tools';
import { startV1Server, type V1Server } from './helpers/v1-server';
import { SOAP_VERSIONS } from './echo-scenarios';
import { V2_STEPS } from './v1-scenarios';

// Python zeep against the running service, driven by test/interop/python/v2_client.py.
describe('interop: Python zeep client, Partner Order Service v2 lifecycle', function () {
  this.timeout(180_000);
  let server: V1Server | undefined;
  let result: ProcessResult;
  let report: CheckReport;

  before(async function () {
    const found = await findZeep();
    if (typeof found === 'string') {
      console.log(`    skipped: ${found}`);
      this.skip();
    }
    const { python } = found as { python: string };
    server = await startV1Server();
    result = await runProcess(python, [
      join(__dirname, 'python', 'v2_client.py'),
      server.v2OrdersEndpoint, server.v2AdminEndpoint,
      server.partner.username, server.partner.password,
      server.admin.username, server.admin.password,
      String(Date.now()),
    ], { timeoutMs: 150_000 });
    report = parseCheckLines(result.stdout);
  });

  after(async () => {
    await server?.close();
  });

  it('runs every check to the end', () => {
    assertRanToEnd(report, result);
  });

  for (const version of SOAP_VERSIONS) {
    for (const step of V2_STEPS) {
      it(`${version}: ${step.name}`, () => {
        assertScenarioPassed(report, `${version}/${step.name}`, step.minimumChecks);
      });
    }
  }
});
