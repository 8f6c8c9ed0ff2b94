/** Loading the construct fixtures (test/fixtures/wsdl-constructs) for the construct and header tests. */
import * as path from 'node:path';
import type { ContractModel } from '../../../src/soap/schema/model';
import { loadContract } from '../../../src/soap/wsdl/load';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = 'test/fixtures/wsdl-constructs';

export function loadFixture(name: string): ContractModel {
  return loadContract(`${FIXTURES}/${name}`, { id: name.replace(/\.wsdl$/, ''), projectRoot: PROJECT_ROOT });
}
