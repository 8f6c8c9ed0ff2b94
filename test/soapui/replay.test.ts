/**
 * The shipped SoapUI project, replayed against the real service: every request step in order, property
 * transfers applied, every assertion evaluated; any assertion that does not hold fails the test.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { startTestApp, type TestApp } from '../support/app-server';
import { PROJECT_FILE } from './build-project';
import { loadXPath, parseProject, ProjectReplayer, type StepOutcome } from './replay';

const xpath = loadXPath();

function failures(outcomes: StepOutcome[]): string[] {
  return outcomes.flatMap((o) =>
    o.assertions.filter((a) => !a.passed).map((a) => `${o.testCase} / ${o.step} [HTTP ${o.status ?? '-'}]: ${a.name} (${a.type}): ${a.message}`));
}

describe('SoapUI project replayed against the service', function () {
  let app: TestApp;
  const projectXml = fs.readFileSync(PROJECT_FILE, 'utf8');

  before(async function () {
    if (xpath === undefined) this.skip(); // the xpath package (a dependency of xml-crypto) cannot be resolved
    app = await startTestApp();
  });
  after(async () => { await app?.close(); });

  const replay = async (xml: string): Promise<StepOutcome[]> => {
    const project = parseProject(xml);
    project.properties.set('baseUrl', app.baseUrl);
    project.properties.set('runId', randomBytes(4).toString('hex'));
    return new ProjectReplayer(project, xpath!).run();
  };

  it('passes every assertion of every test case, in order, with the order ids transferred', async () => {
    const outcomes = await replay(projectXml);
    assert.deepEqual(failures(outcomes), []);

    const requests = outcomes.filter((o) => o.type === 'request');
    assert.equal(requests.length, 19, 'every request step ran');
    const types = outcomes.flatMap((o) => o.assertions.map((a) => a.type));
    for (const type of ['SOAP Response', 'SOAP Fault Assertion', 'Not SOAP Fault Assertion', 'XPath Match', 'Simple Contains', 'Property Transfer']) {
      assert.ok(types.includes(type), `${type} evaluated`);
    }
    const transfers = outcomes.filter((o) => o.type === 'transfer');
    assert.equal(transfers.length, 3);
    for (const transfer of transfers) assert.match(Object.values(transfer.transferred ?? {})[0] ?? '', /^[0-9a-f-]{36}$/);
    const cases = [...new Set(outcomes.map((o) => o.testCase))];
    assert.deepEqual(cases, ['v1 order lifecycle', 'v1 faults', 'v2 order lifecycle']);
  });

  it('reports a failure when an assertion does not hold (the replay can fail)', async () => {
    const broken = projectXml.replace('<content>CANCELLED</content>', '<content>SHIPPED</content>');
    assert.notEqual(broken, projectXml);
    const problems = failures(await replay(broken));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, /CancelOrder .*XPath Match: cancelled.*expected "SHIPPED", got "CANCELLED"/);
  });

  it('refuses an unknown property instead of expanding it to nothing', async () => {
    const broken = projectXml.replace('${#TestCase#shipOrderId}', '${#TestCase#noSuchProperty}');
    await assert.rejects(replay(broken), /unknown property \$\{#TestCase#noSuchProperty\}/);
  });
});
