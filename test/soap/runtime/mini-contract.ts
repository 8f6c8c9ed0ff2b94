/**
 * A small hand-written contract for the runtime tests (transport, routing, pipeline, faults), independent
 * of the loader and codegen: Ping (request/response with a declared fault), Other, Notify (one-way).
 */
import { resolve } from 'node:path';
import type { ContractModel } from '../../../src/soap/schema/model';
import { DeclaredFault } from '../../../src/soap/fault';
import type { SoapContext } from '../../../src/soap/pipeline';

const XS = 'http://www.w3.org/2001/XMLSchema';
const NS = 'urn:mini';
const el = (name: string, type: string, minOccurs = 1) => ({
  kind: 'element' as const,
  name,
  ns: NS,
  prop: name,
  type,
  minOccurs,
  maxOccurs: 1,
  nillable: false,
});
const seq = (...particles: ReturnType<typeof el>[]) => ({
  kind: 'sequence' as const,
  minOccurs: 1,
  maxOccurs: 1,
  particles,
});

export const MINI_NS = NS;
/** The `documentRoot` to serve miniContract with: its document paths are relative to the project root, like generated contracts. */
export const MINI_DOCUMENT_ROOT = resolve(__dirname, '..', '..', '..');

export const miniContract: ContractModel = {
  id: 'mini',
  targetNamespace: NS,
  schema: {
    types: {
      [`{${XS}}string`]: { kind: 'simple', name: `{${XS}}string`, builtin: 'string', facets: {} },
      [`{${XS}}int`]: { kind: 'simple', name: `{${XS}}int`, builtin: 'int', facets: {} },
      [`{${NS}}Ping/anon`]: {
        kind: 'complex',
        content: seq(el('text', `{${XS}}string`), el('count', `{${XS}}int`, 0)),
        attributes: [],
      },
      [`{${NS}}PingResponse/anon`]: {
        kind: 'complex',
        content: seq(el('text', `{${XS}}string`), el('count', `{${XS}}int`, 0)),
        attributes: [],
      },
      [`{${NS}}Other/anon`]: { kind: 'complex', content: seq(), attributes: [] },
      [`{${NS}}OtherResponse/anon`]: { kind: 'complex', content: seq(), attributes: [] },
      [`{${NS}}Notify/anon`]: { kind: 'complex', content: seq(el('text', `{${XS}}string`)), attributes: [] },
      [`{${NS}}PingFault/anon`]: { kind: 'complex', content: seq(el('code', `{${XS}}string`)), attributes: [] },
    },
    elements: Object.fromEntries(
      ['Ping', 'PingResponse', 'Other', 'OtherResponse', 'Notify', 'PingFault'].map((n) => [
        `{${NS}}${n}`,
        { name: n, ns: NS, type: `{${NS}}${n}/anon`, nillable: false },
      ]),
    ),
  },
  portTypes: [
    {
      name: 'Mini',
      ns: NS,
      operations: [
        {
          name: 'Ping',
          input: `{${NS}}Ping`,
          output: `{${NS}}PingResponse`,
          faults: [{ name: 'PingFault', element: `{${NS}}PingFault` }],
        },
        { name: 'Other', input: `{${NS}}Other`, output: `{${NS}}OtherResponse`, faults: [] },
        { name: 'Notify', input: `{${NS}}Notify`, faults: [] },
      ],
    },
  ],
  bindings: [
    {
      name: 'Mini11',
      ns: NS,
      portType: `{${NS}}Mini`,
      soapVersion: '1.1',
      operations: [
        { name: 'Ping', soapAction: 'urn:mini/Ping' },
        { name: 'Other', soapAction: 'urn:mini/Other' },
        { name: 'Notify', soapAction: '' },
      ],
    },
    {
      name: 'Mini12',
      ns: NS,
      portType: `{${NS}}Mini`,
      soapVersion: '1.2',
      operations: [
        { name: 'Ping', soapAction: 'urn:mini/Ping' },
        { name: 'Other', soapAction: 'urn:mini/Other' },
        { name: 'Notify', soapAction: '' },
      ],
    },
  ],
  services: [
    {
      name: 'MiniService',
      ports: [
        { name: 'Mini11Port', binding: `{${NS}}Mini11`, address: 'http://localhost/mini' },
        { name: 'Mini12Port', binding: `{${NS}}Mini12`, address: 'http://localhost/mini' },
      ],
    },
  ],
  documents: [
    { name: 'wsdl', path: 'test/soap/runtime/fixtures/mini.wsdl', kind: 'wsdl', references: { 'mini.xsd': 'mini' } },
    { name: 'mini', path: 'test/soap/runtime/fixtures/mini.xsd', kind: 'xsd', references: {} },
  ],
};

export interface Ping {
  text: string;
  count?: number;
}
export interface PingResponse {
  text: string;
  count?: number;
}
export interface PingFaultDetail {
  code: string;
}

export class PingFault extends DeclaredFault<PingFaultDetail> {
  constructor(reason: string, detail: PingFaultDetail) {
    super(`{${NS}}PingFault`, reason, detail);
    this.name = 'PingFault';
  }
}

export interface MiniHandlers {
  ping(request: Ping, context: SoapContext): Promise<PingResponse>;
  other(request: Record<string, never>, context: SoapContext): Promise<Record<string, never>>;
  notify(request: { text: string }, context: SoapContext): Promise<void>;
}
