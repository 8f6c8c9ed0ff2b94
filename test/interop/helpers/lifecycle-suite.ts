/**
 * One mocha suite shape for every real-client lifecycle run against the service (JAX-WS or zeep, v1 or
 * v2): find the toolchain (skip with its reason when absent), start the service through the shipped CLI,
 * run the client program once, then one test per SOAP version and scenario step over its check lines.
 */
import { SOAP_VERSIONS } from '../echo-scenarios';
import { assertRanToEnd, assertScenarioPassed, parseCheckLines, type CheckReport } from './check-lines';
import type { ProcessResult } from './process';
import { startV1Server, type V1Server } from './v1-server';

export interface LifecycleStep {
  readonly name: string;
  readonly minimumChecks: number;
}

export interface LifecycleSuite<T> {
  readonly title: string;
  readonly timeoutMs: number;
  readonly steps: readonly LifecycleStep[];
  /** The client's toolchain, or a string saying why it is missing (the suite then skips). */
  findTools(): T | string | Promise<T | string>;
  /** Runs the client program against the started service. */
  runClient(tools: T, server: V1Server): Promise<ProcessResult>;
}

/** The client's arguments after its endpoints: both partners' credentials and a run id for fresh order refs. */
export function credentialArgs(server: V1Server): string[] {
  return [
    server.partner.username,
    server.partner.password,
    server.admin.username,
    server.admin.password,
    String(Date.now()),
  ];
}

export function describeLifecycle<T>(suite: LifecycleSuite<T>): void {
  describe(suite.title, function () {
    this.timeout(suite.timeoutMs);
    let server: V1Server | undefined;
    let result: ProcessResult;
    let report: CheckReport;

    before(async function () {
      const found = await suite.findTools();
      if (typeof found === 'string') {
        console.log(`    skipped: ${found}`);
        this.skip();
      }
      server = await startV1Server();
      result = await suite.runClient(found as T, server);
      report = parseCheckLines(result.stdout);
    });

    after(async () => {
      await server?.close();
    });

    it('runs every check to the end', () => {
      assertRanToEnd(report, result);
    });

    for (const version of SOAP_VERSIONS) {
      for (const step of suite.steps) {
        it(`${version}: ${step.name}`, () => {
          assertScenarioPassed(report, `${version}/${step.name}`, step.minimumChecks);
        });
      }
    }
  });
}
