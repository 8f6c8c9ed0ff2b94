/**
 * Replays a SoapUI 5 project without SoapUI: reads the project XML, sends every request test step of
 * every test case in order to a running service, applies property transfers, and evaluates the
 * assertions SoapUI would (SOAP Response, Not SOAP Fault, SOAP Fault, XPath Match, Simple Contains).
 *
 * Supported property expansions: ${#Project#name}, ${#TestSuite#name}, ${#TestCase#name}. Anything else
 * (Groovy ${=...}, other scopes, unknown names) is an error, never an empty string, so a broken project
 * cannot pass by accident. XPath is 1.0 (the `xpath` package over @xmldom/xmldom); SoapUI itself uses
 * Saxon, so the project keeps to expressions both understand.
 */
import { DOMParser } from '@xmldom/xmldom';
import { XMLParser } from 'fast-xml-parser';
import type * as XPathModule from 'xpath';

export const SOAPUI_NS = 'http://eviware.com/soapui/config';
const SOAP_ENVELOPE_NS = ['http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'];

/** The xpath package ships with xml-crypto; undefined when it cannot be resolved (the test then skips). */
export function loadXPath(): typeof XPathModule | undefined {
  try {
    require.resolve('xpath');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional module, loaded only when it resolves
    return require('xpath') as typeof XPathModule;
  } catch {
    return undefined;
  }
}

type Node = Record<string, unknown>;

/** Elements that may repeat, by their path from the root (a step's con:interface is a plain name). */
const ARRAYS = new Set([
  'con:soapui-project.con:interface',
  'con:soapui-project.con:interface.con:operation',
  'con:soapui-project.con:testSuite',
  'con:soapui-project.con:testSuite.con:testCase',
  'con:soapui-project.con:testSuite.con:testCase.con:testStep',
  'con:soapui-project.con:testSuite.con:testCase.con:testStep.con:config.con:request.con:assertion',
  'con:soapui-project.con:testSuite.con:testCase.con:testStep.con:config.con:transfers',
  'con:soapui-project.con:testSuite.con:testCase.con:testStep.con:config.con:request.con:endpoint',
]);

export interface AssertionOutcome {
  type: string;
  name: string;
  passed: boolean;
  message: string;
}

export interface StepOutcome {
  testSuite: string;
  testCase: string;
  step: string;
  type: 'request' | 'transfer';
  status?: number;
  assertions: AssertionOutcome[];
  /** Transfer results: property name -> value. */
  transferred?: Record<string, string>;
  error?: string;
}

export class ReplayError extends Error {}

const asArray = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : value === undefined ? [] : [value as Node]);
const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return text((value as Node)['#text']);
  return String(value);
};
const attr = (node: Node, name: string): string => text(node[`@_${name}`]);

export interface ParsedProject {
  name: string;
  properties: Map<string, string>;
  interfaces: Array<{ name: string; soapVersion: string; operations: Map<string, string> }>;
  testSuites: Node[];
}

export function parseProject(xml: string): ParsedProject {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name, jpath) => ARRAYS.has(String(jpath)) || name === 'con:property',
  });
  const document = parser.parse(xml) as Node;
  const root = document['con:soapui-project'] as Node | undefined;
  if (root === undefined) throw new ReplayError('not a SoapUI project: the root element is not con:soapui-project');
  if (attr(root, 'xmlns:con') !== SOAPUI_NS) throw new ReplayError(`the con prefix is not bound to ${SOAPUI_NS}`);
  const properties = new Map<string, string>();
  for (const property of asArray((root['con:properties'] as Node | undefined)?.['con:property'])) {
    properties.set(text(property['con:name']), text(property['con:value']));
  }
  const interfaces = asArray(root['con:interface']).map((iface) => ({
    name: attr(iface, 'name'),
    soapVersion: attr(iface, 'soapVersion'),
    operations: new Map(asArray(iface['con:operation']).map((op) => [attr(op, 'name'), attr(op, 'action')])),
  }));
  return { name: attr(root, 'name'), properties, interfaces, testSuites: asArray(root['con:testSuite']) };
}

interface Scopes {
  Project: Map<string, string>;
  TestSuite: Map<string, string>;
  TestCase: Map<string, string>;
}

export function expand(template: string, scopes: Scopes): string {
  return template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    const match = /^#(Project|TestSuite|TestCase)#(.+)$/.exec(inner);
    if (match === null) throw new ReplayError(`unsupported property expansion ${whole}`);
    const value = scopes[match[1] as keyof Scopes].get(match[2]!);
    if (value === undefined) throw new ReplayError(`unknown property ${whole}`);
    return value;
  });
}

/** "declare namespace p='uri';" lines of a SoapUI XPath, and the expression after them. */
export function splitXPath(path: string): { namespaces: Record<string, string>; expression: string } {
  const namespaces: Record<string, string> = {};
  const expression = path.replace(/declare\s+namespace\s+([A-Za-z_][\w.-]*)\s*=\s*(['"])(.*?)\2\s*;/g, (_all, prefix: string, _q: string, uri: string) => {
    namespaces[prefix] = uri;
    return '';
  });
  return { namespaces, expression: expression.trim() };
}

export class ProjectReplayer {
  private readonly responses = new Map<string, string>();

  constructor(
    private readonly project: ParsedProject,
    private readonly xpath: typeof XPathModule,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async run(): Promise<StepOutcome[]> {
    const outcomes: StepOutcome[] = [];
    for (const suite of this.project.testSuites) {
      const suiteProps = new Map(asArray((suite['con:properties'] as Node | undefined)?.['con:property']).map((p) => [text(p['con:name']), text(p['con:value'])]));
      for (const testCase of asArray(suite['con:testCase'])) {
        const caseProps = new Map(asArray((testCase['con:properties'] as Node | undefined)?.['con:property']).map((p) => [text(p['con:name']), text(p['con:value'])]));
        const scopes: Scopes = { Project: this.project.properties, TestSuite: suiteProps, TestCase: caseProps };
        this.responses.clear();
        for (const step of asArray(testCase['con:testStep'])) {
          const where = { testSuite: attr(suite, 'name'), testCase: attr(testCase, 'name'), step: attr(step, 'name') };
          const type = attr(step, 'type');
          if (type === 'request') outcomes.push({ ...where, ...(await this.request(step, scopes)) });
          else if (type === 'transfer') outcomes.push({ ...where, ...this.transfer(step, scopes) });
          else throw new ReplayError(`${where.testCase} / ${where.step}: unsupported test step type ${type}`);
        }
      }
    }
    return outcomes;
  }

  private async request(step: Node, scopes: Scopes): Promise<Omit<StepOutcome, 'testSuite' | 'testCase' | 'step'>> {
    const config = step['con:config'] as Node;
    const request = config['con:request'] as Node;
    const ifaceName = text(config['con:interface']);
    const operation = text(config['con:operation']);
    const iface = this.project.interfaces.find((i) => i.name === ifaceName);
    const action = iface?.operations.get(operation);
    if (iface === undefined || action === undefined) throw new ReplayError(`${attr(step, 'name')}: no operation ${operation} in interface ${ifaceName}`);
    const endpoint = expand(text(asArray(request['con:endpoint'])[0]), scopes);
    const body = expand(text(request['con:request']), scopes);
    const headers: Record<string, string> =
      iface.soapVersion === '1_2'
        ? { 'Content-Type': `application/soap+xml;charset=UTF-8;action="${action}"` }
        : { 'Content-Type': 'text/xml;charset=UTF-8', SOAPAction: `"${action}"` };
    const response = await this.fetchImpl(endpoint, { method: 'POST', headers, body });
    const responseText = await response.text();
    this.responses.set(attr(step, 'name'), responseText);
    const assertions = asArray(request['con:assertion']).map((assertion) => this.evaluate(assertion, responseText, scopes));
    return { type: 'request', status: response.status, assertions };
  }

  private transfer(step: Node, scopes: Scopes): Omit<StepOutcome, 'testSuite' | 'testCase' | 'step'> {
    const config = step['con:config'] as Node;
    const transferred: Record<string, string> = {};
    const assertions: AssertionOutcome[] = [];
    for (const transfer of asArray(config['con:transfers'])) {
      const name = text(transfer['con:name']);
      const sourceStep = text(transfer['con:sourceStep']);
      const sourceType = text(transfer['con:sourceType']);
      const targetStep = text(transfer['con:targetStep']);
      const target = text(transfer['con:targetType']);
      const response = this.responses.get(sourceStep);
      let value: string | undefined;
      let message: string;
      if (sourceType !== 'Response') message = `source type ${sourceType} is not supported`;
      else if (response === undefined) message = `step ${sourceStep} has not run`;
      else {
        value = this.select(text(transfer['con:sourcePath']), response, scopes).value ?? undefined;
        message = value === undefined ? `nothing at ${text(transfer['con:sourcePath'])}` : `${target} = ${value}`;
      }
      const scope = targetStep === '#TestCase#' ? scopes.TestCase : targetStep === '#Project#' ? scopes.Project : targetStep === '#TestSuite#' ? scopes.TestSuite : undefined;
      if (scope === undefined) message = `target ${targetStep} is not supported`;
      if (value !== undefined && scope !== undefined) {
        scope.set(target, value);
        transferred[target] = value;
      }
      assertions.push({ type: 'Property Transfer', name, passed: value !== undefined && scope !== undefined, message });
    }
    return { type: 'transfer', transferred, assertions };
  }

  private select(path: string, xml: string, scopes: Scopes): { value: string | null } {
    const { namespaces, expression } = splitXPath(expand(path, scopes));
    const document = new DOMParser().parseFromString(xml, 'text/xml');
    const result = this.xpath.useNamespaces(namespaces)(expression, document as unknown as globalThis.Node);
    if (Array.isArray(result)) {
      const first = result[0] as { nodeValue?: string | null; textContent?: string | null } | undefined;
      if (first === undefined) return { value: null };
      return { value: first.textContent ?? first.nodeValue ?? '' };
    }
    return { value: String(result) };
  }

  private evaluate(assertion: Node, response: string, scopes: Scopes): AssertionOutcome {
    const type = attr(assertion, 'type');
    const name = attr(assertion, 'name') || type;
    const configuration = (assertion['con:configuration'] ?? {}) as Node;
    const outcome = (passed: boolean, message: string): AssertionOutcome => ({ type, name, passed, message });
    const body = soapBody(response);
    switch (type) {
      case 'SOAP Response':
        return outcome(body !== undefined, body !== undefined ? 'a SOAP envelope with a Body' : 'not a SOAP envelope');
      // SoapUI's ids are crossed: "SOAP Fault Assertion" asserts NOT a fault, "Not SOAP Fault Assertion" asserts a fault.
      case 'SOAP Fault Assertion':
        return outcome(body !== undefined && !body.fault, body?.fault ? 'the response is a SOAP Fault' : 'not a fault');
      case 'Not SOAP Fault Assertion':
        return outcome(body?.fault === true, body?.fault ? 'a SOAP Fault' : 'the response is not a SOAP Fault');
      case 'XPath Match': {
        const expected = expand(text(configuration['content']), scopes);
        let actual: string | null;
        try {
          actual = this.select(text(configuration['path']), response, scopes).value;
        } catch (error) {
          return outcome(false, `XPath error: ${(error as Error).message}`);
        }
        const wildcards = text(configuration['allowWildcards']) === 'true';
        const matches = actual !== null && (wildcards ? wildcardRegExp(expected).test(actual) : actual === expected);
        return outcome(matches, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
      case 'Simple Contains': {
        const token = expand(text(configuration['token']), scopes);
        const ignoreCase = text(configuration['ignoreCase']) === 'true';
        const found = text(configuration['useRegEx']) === 'true'
          ? new RegExp(token, ignoreCase ? 'is' : 's').test(response)
          : ignoreCase ? response.toLowerCase().includes(token.toLowerCase()) : response.includes(token);
        return outcome(found, `${found ? 'contains' : 'missing'} ${JSON.stringify(token)}`);
      }
      default:
        return outcome(false, `assertion type ${type} is not supported by the replay`);
    }
  }
}

function wildcardRegExp(expected: string): RegExp {
  return new RegExp(`^${expected.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
}

/** The SOAP Body of a response and whether it holds a Fault; undefined when it is not a SOAP envelope. */
function soapBody(xml: string): { fault: boolean } | undefined {
  let document: Document;
  try {
    const strict = (message: unknown): never => { throw new Error(String(message)); };
    document = new DOMParser({ errorHandler: { error: strict, fatalError: strict } }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch {
    return undefined;
  }
  const root = document.documentElement;
  if (root === null || root.localName !== 'Envelope' || !SOAP_ENVELOPE_NS.includes(root.namespaceURI ?? '')) return undefined;
  const body = Array.from(root.childNodes).find((n): n is Element => n.nodeType === 1 && (n as Element).localName === 'Body' && (n as Element).namespaceURI === root.namespaceURI);
  if (body === undefined) return undefined;
  const first = Array.from(body.childNodes).find((n): n is Element => n.nodeType === 1);
  return { fault: first !== undefined && first.localName === 'Fault' && first.namespaceURI === root.namespaceURI };
}
