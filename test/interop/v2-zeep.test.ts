import { join } from 'node:path';
import { assertRanToEnd, assertScenarioPassed, parseCheckLines, type CheckReport } from './helpers/check-lines';
import { runProcess, type ProcessResult } from './helpers/process';
import { findZeep } from './helpers/tools';
import { startV1Server, type V1Server } from './helpers/v1-server';
import { SOAP_VERSIONS } from './echo-scenarios';
import { V2_STEPS } from './v2-scenarios';

// Python zeep against contract v2 of the running service (the same `partner-orders serve` process that
// serves v1; its v2 endpoints sit beside the v1 ones).
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
    const v2 = (endpoint: string): string => endpoint.replace('/soap/v1/', '/soap/v2/');
    result = await runProcess(python, [
      join(__dirname, 'python', 'v2_client.py'),
      v2(server.ordersEndpoint), v2(server.adminEndpoint),
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
