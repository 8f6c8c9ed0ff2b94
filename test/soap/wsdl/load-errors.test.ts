import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContractLoadError, loadContract } from '../../../src/soap/wsdl/load';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BAD = 'test/fixtures/bad-wsdl';

/** Load a bad fixture and return the ContractLoadError it must raise. */
function failure(file: string): ContractLoadError {
  try {
    loadContract(`${BAD}/${file}`, { id: 'bad', projectRoot: ROOT });
  } catch (err) {
    assert.ok(err instanceof ContractLoadError, `expected a ContractLoadError, got ${String(err)}`);
    return err;
  }
  return assert.fail(`${file} loaded without error`);
}

describe('loadContract: unsupported or broken contracts fail with the file and the construct', () => {
  const cases: Array<[file: string, where: string, construct: RegExp, detail: RegExp]> = [
    ['rpc-style.wsdl', 'rpc-style.wsdl', /wsdl:binding "PingBinding" operation "Ping" style="rpc"/, /only document style/],
    ['encoded-use.wsdl', 'encoded-use.wsdl', /<soap:body> use="encoded"/, /only use="literal"/],
    ['soapenc-array.wsdl', 'soapenc-array.wsdl', /xs:complexType "StringArray".*soapenc:Array/, /SOAP encoding/],
    ['multiple-parts.wsdl', 'multiple-parts.wsdl', /operation "Ping" input/, /multiple body parts/],
    ['type-part.wsdl', 'type-part.wsdl', /operation "Ping" input/, /type= \(rpc style\)/],
    ['substitution-group.wsdl', 'substitution-group.wsdl', /xs:element "Circle" substitutionGroup="tns:Shap"/, /element \{urn:example:bad\}Shap is not defined/],
    ['circular-group.wsdl', 'circular-group.wsdl', /xs:group "A"/, /contains itself \(through xs:complexType "Loop"\); a model group may not be circular/],
    ['redefine.wsdl', 'redefine.wsdl', /xs:redefine/, /not supported/],
    ['unsupported-builtin.wsdl', 'unsupported-builtin.wsdl', /xs:element "Refs"/, /unsupported built-in type xs:ENTITIES/],
    ['unresolved-type.wsdl', 'unresolved-type.wsdl', /xs:element "Order"/, /\{urn:example:bad\}OrderType is not defined/],
    ['unresolved-element.wsdl', 'unresolved-element.wsdl', /wsdl:message "PingIn"/, /\{urn:example:bad\}Pong is not defined/],
    ['type-clash.wsdl', 'xsd/clash-b.xsd', /xs:complexType "Order"/, /already defined in test\/fixtures\/bad-wsdl\/xsd\/clash-a\.xsd/],
    ['union.wsdl', 'union.wsdl', /xs:simpleType "IntOrString" xs:union/, /member type \{urn:example:bad\}Pair is not a simple type/],
    ['bad-pattern.wsdl', 'bad-pattern.wsdl', /xs:simpleType "Odd" xs:pattern/, /unsupported Unicode block "IsKlingon"/],
    ['missing-xsd.wsdl', 'missing-xsd.wsdl', /xs:include schemaLocation="xsd\/does-not-exist.xsd"/, /cannot read/],
    ['soap-header.wsdl', 'soap-header.wsdl', /<soap:header>/, /header part "token" uses type=; a header needs element=/],
    ['misplaced-facet.wsdl', 'misplaced-facet.wsdl', /xs:simpleType "Code" xs:totalDigits/, /does not apply to a restriction of xs:string/],
  ];
  for (const [file, where, construct, detail] of cases) {
    it(`${file}`, () => {
      const err = failure(file);
      assert.equal(err.file, `${BAD}/${where}`);
      assert.ok(err.message.startsWith(`${BAD}/${where}: `), err.message);
      assert.match(err.construct, construct);
      assert.match(err.message, detail);
    });
  }

  it('reports malformed XML with its line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-wsdl-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.wsdl'), '<?xml version="1.0"?>\n<definitions>\n  <types>\n</definitions>\n');
      assert.throws(() => loadContract(path.join(dir, 'broken.wsdl'), { id: 'x', projectRoot: dir }),
        (err: unknown) => err instanceof ContractLoadError && /^broken\.wsdl: XML: not well-formed at line \d+/.test(err.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a WSDL that does not exist', () => {
    assert.throws(() => loadContract(`${BAD}/nope.wsdl`, { id: 'x', projectRoot: ROOT }), /nope\.wsdl: WSDL: cannot read/);
  });
});
