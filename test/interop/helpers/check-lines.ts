import { strict as assert } from 'node:assert';
import type { ProcessResult } from './process';

/**
 * The interop client programs (Java, Python) print one line per check, "OK <name>" or
 * "FAIL <name> expected=... actual=...", and finish with "DONE <checks> <failures>".
 */
export interface CheckReport {
  passed: string[];
  failed: string[];
  done?: { checks: number; failures: number };
}

export function parseCheckLines(stdout: string): CheckReport {
  const report: CheckReport = { passed: [], failed: [] };
  for (const line of stdout.split('\n')) {
    if (line.startsWith('OK ')) report.passed.push(line.slice(3));
    else if (line.startsWith('FAIL ')) report.failed.push(line.slice(5));
    else {
      const done = /^DONE (\d+) (\d+)$/.exec(line);
      if (done) report.done = { checks: Number(done[1]), failures: Number(done[2]) };
    }
  }
  return report;
}

/** The client ran to its end: it printed DONE with counts matching its lines. */
export function assertRanToEnd(report: CheckReport, result: ProcessResult): void {
  assert.ok(
    report.done,
    `the client did not finish (exit ${result.status ?? result.signal})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
  );
  assert.equal(
    report.done.checks,
    report.passed.length + report.failed.length,
    'DONE count differs from the lines printed',
  );
  assert.equal(report.done.failures, report.failed.length, 'DONE failure count differs from the FAIL lines');
  assert.equal(result.status, report.failed.length === 0 ? 0 : 1, 'exit status does not match the failures');
}

/** Every check of one scenario (lines named "<scenario>/...") passed, and there was at least one. */
export function assertScenarioPassed(report: CheckReport, scenario: string, minimumChecks = 1): void {
  const prefix = `${scenario}/`;
  const failed = report.failed.filter((line) => line.startsWith(prefix));
  const passed = report.passed.filter((line) => line.startsWith(prefix));
  assert.ok(failed.length === 0, `${failed.length} check(s) of ${scenario} failed:\n  ${failed.join('\n  ')}`);
  assert.ok(
    passed.length >= minimumChecks,
    `${scenario}: expected at least ${minimumChecks} passing checks, got ${passed.length}`,
  );
}
