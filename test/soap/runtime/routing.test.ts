import assert from 'node:assert/strict';
import { OperationRouter } from '../../../src/soap/routing';
import { SoapFault } from '../../../src/soap/fault';
import { operationMethodName } from '../../../src/soap/codegen/naming';
import type { ContractModel } from '../../../src/soap/schema/model';
import type { XmlElement } from '../../../src/soap/xml/element';
import { miniContract } from './mini-contract';

const handlers = { ping: async () => ({}), other: async () => ({}), notify: async () => undefined };

function payload(ns: string, local: string): XmlElement {
  return {
    ns,
    local,
    prefix: 'p',
    attributes: [],
    children: [],
    text: '',
    hasMixedText: false,
    lookupNamespace: () => undefined,
    attr: () => undefined,
    toXml: () => '',
  };
}

function faultOf(action: () => unknown): SoapFault {
  try {
    action();
  } catch (err) {
    assert.ok(err instanceof SoapFault, String(err));
    return err;
  }
  assert.fail('expected a SoapFault');
}

describe('routing', () => {
  const router = new OperationRouter({
    contract: miniContract,
    service: 'MiniService',
    handlers,
    methodName: operationMethodName,
  });

  it('routes by namespace URI and local name, for each bound SOAP version', () => {
    assert.deepEqual([...router.versions].sort(), ['1.1', '1.2']);
    const op = router.route('1.2', payload('urn:mini', 'Ping'), undefined);
    assert.equal(op.name, 'Ping');
    assert.equal(op.methodName, 'ping');
    assert.equal(op.soapAction, 'urn:mini/Ping');
    assert.ok(op.faultElements.has('{urn:mini}PingFault'));
  });

  it('refuses the right local name in the wrong namespace', () => {
    const fault = faultOf(() => router.route('1.1', payload('urn:other', 'Ping'), undefined));
    assert.equal(fault.code, 'Sender');
    assert.match(fault.reason, /\{urn:other\}Ping/);
  });

  it('accepts the matching action and refuses one naming another operation', () => {
    assert.equal(router.route('1.1', payload('urn:mini', 'Other'), 'urn:mini/Other').name, 'Other');
    assert.match(
      faultOf(() => router.route('1.1', payload('urn:mini', 'Other'), 'urn:mini/Ping')).reason,
      /names operation Ping/,
    );
  });

  it('tolerates any action for an operation without soapAction unless it names another operation', () => {
    assert.equal(router.route('1.1', payload('urn:mini', 'Notify'), 'Notify').name, 'Notify');
    assert.match(
      faultOf(() => router.route('1.1', payload('urn:mini', 'Notify'), 'urn:mini/Ping')).reason,
      /names operation Ping/,
    );
  });

  it('calls the handler with the handlers object as this', async () => {
    const withState = {
      greeting: 'hi',
      async ping(this: { greeting: string }) {
        return { text: this.greeting };
      },
      other: handlers.other,
      notify: handlers.notify,
    };
    const d = new OperationRouter({
      contract: miniContract,
      service: 'MiniService',
      handlers: withState,
      methodName: operationMethodName,
    });
    const op = d.route('1.1', payload('urn:mini', 'Ping'), undefined);
    assert.deepEqual(await op.invoke({}, undefined as never), { text: 'hi' });
  });

  it('serves only the versions the service binds', () => {
    const only12: ContractModel = {
      ...miniContract,
      services: [{ name: 'MiniService', ports: [miniContract.services[0]!.ports[1]!] }],
    };
    const d = new OperationRouter({
      contract: only12,
      service: 'MiniService',
      handlers,
      methodName: operationMethodName,
    });
    assert.equal(d.supports('1.1'), false);
    assert.equal(d.supports('1.2'), true);
    assert.match(
      faultOf(() => d.route('1.1', payload('urn:mini', 'Ping'), undefined)).reason,
      /does not accept SOAP 1.1/,
    );
  });

  it('fails at start-up for ports of different port types and for operations sharing an input element without distinct soapActions', () => {
    const twoTypes: ContractModel = {
      ...miniContract,
      portTypes: [...miniContract.portTypes, { ...miniContract.portTypes[0]!, name: 'Mini2' }],
      bindings: [miniContract.bindings[0]!, { ...miniContract.bindings[1]!, portType: '{urn:mini}Mini2' }],
    };
    assert.throws(
      () =>
        new OperationRouter({ contract: twoTypes, service: 'MiniService', handlers, methodName: operationMethodName }),
      /different port types/,
    );
    const pt = miniContract.portTypes[0]!;
    const clash: ContractModel = {
      ...miniContract,
      portTypes: [
        { ...pt, operations: pt.operations.map((o) => (o.name === 'Other' ? { ...o, input: '{urn:mini}Notify' } : o)) },
      ],
    };
    assert.throws(
      () => new OperationRouter({ contract: clash, service: 'MiniService', handlers, methodName: operationMethodName }),
      /same body element/,
    );
  });
});
