import { join } from 'node:path';
import { assertRanToEnd, assertScenarioPassed, parseCheckLines, type CheckReport } from './helpers/check-lines';
import { startEchoServer, type EchoServer } from './helpers/echo-server';
import { runProcess, type ProcessResult } from './helpers/process';
import { findZeep } from './helpers/tools';
import { ECHO_SCENARIOS, SOAP_VERSIONS } from './echo-scenarios';

// Python zeep (Debian python3-zeep, run with /usr/bin/python3) against the running echo service, driven
// by test/interop/python/echo_client.py: the same values and checks as the JAX-WS client.
describe('interop: Python zeep client against the echo service', function () {
  this.timeout(120_000);
  let server: EchoServer | undefined;
  let result: ProcessResult;
  let report: CheckReport;

  before(async function () {
    const found = await findZeep();
    if (typeof found === 'string') {
      console.log(`    skipped: ${found}`);
      this.skip();
    }
    const { python } = found as { python: string };
    server = await startEchoServer();
    result = await runProcess(python, [join(__dirname, 'python', 'echo_client.py'), server.wsdlUrl, server.endpoint], {
      timeoutMs: 90_000,
    });
    report = parseCheckLines(result.stdout);
  });

  after(async () => {
    await server?.close();
  });

  it('runs every check to the end', () => {
    assertRanToEnd(report, result);
  });

  for (const version of SOAP_VERSIONS) {
    for (const scenario of ECHO_SCENARIOS) {
      it(`${version}: ${scenario.name}`, () => {
        assertScenarioPassed(report, `${version}/${scenario.name}`, scenario.minimumChecks);
      });
    }
  }
});
