/**
 * The committed SoapUI project: what test/soapui/build-project.ts generates, a SoapUI 5 project in the
 * eviware config namespace with both contract versions' interfaces and a suite that uses the assertion
 * and transfer types integration teams expect.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { contract as v1 } from '../../src/generated/v1';
import { contract as v2 } from '../../src/generated/v2';
import { buildProject, PROJECT_FILE } from './build-project';
import { parseProject, SOAPUI_NS } from './replay';

describe('SoapUI project file', () => {
  const xml = fs.readFileSync(PROJECT_FILE, 'utf8');

  it('is up to date with test/soapui/build-project.ts (run: npx tsx test/soapui/build-project.ts)', () => {
    assert.equal(xml, buildProject());
  });

  it('is a SoapUI 5 project with every operation of both versions and their WSDL definitions', () => {
    assert.match(xml, new RegExp(`<con:soapui-project [^>]*xmlns:con="${SOAPUI_NS}"`));
    const project = parseProject(xml);
    assert.deepEqual(project.interfaces.map((i) => i.name), [
      'PartnerOrderSoap11Binding v1', 'PartnerOrderAdminSoap11Binding v1', 'PartnerOrderSoap11Binding v2', 'PartnerOrderAdminSoap11Binding v2',
    ]);
    for (const [index, contract] of [v1, v1, v2, v2].entries()) {
      const portType = contract.portTypes[index % 2]!;
      assert.deepEqual([...project.interfaces[index]!.operations.keys()], portType.operations.map((o) => o.name));
    }
    for (const path of ['/soap/v1/orders', '/soap/v1/admin', '/soap/v2/orders', '/soap/v2/admin']) assert.ok(xml.includes(`definition="http://localhost:8080${path}?wsdl"`), path);
    for (const name of ['baseUrl', 'partnerUsername', 'partnerPassword', 'adminUsername', 'adminPassword', 'runId']) assert.ok(project.properties.has(name), name);
  });

  it('uses request and transfer steps with the SoapUI assertion types', () => {
    for (const fragment of [
      '<con:testStep type="request"', '<con:testStep type="transfer"', 'xsi:type="con:PropertyTransfersStep"',
      '<con:assertion type="SOAP Response"', '<con:assertion type="SOAP Fault Assertion" ', 'name="Not SOAP Fault"',
      '<con:assertion type="Not SOAP Fault Assertion" ', 'name="SOAP Fault"', '<con:assertion type="XPath Match"',
      '<con:assertion type="Simple Contains"', 'declare namespace po=', '${#TestCase#orderId}', '${#Project#partnerPassword}',
      '<con:targetStep>#TestCase#</con:targetStep>', '<wsse:UsernameToken>',
    ]) assert.ok(xml.includes(fragment), fragment);
  });
});
