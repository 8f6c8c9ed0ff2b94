/**
 * Writes soapui/partner-orders-soapui-project.xml, the SoapUI 5 project shipped to integration teams:
 * one interface per SOAP 1.1 binding of both contract versions (operations with a sample request each,
 * definitions loaded from the running service's ?wsdl), and a test suite covering the order lifecycle and
 * the main faults with SOAP Response / Not SOAP Fault / SOAP Fault / XPath Match / Contains assertions and
 * property transfers of order ids.
 *
 * Run after changing a contract or the suite: npx tsx test/soapui/build-project.ts
 * (test/soapui/project.test.ts fails while the committed file differs from what this produces).
 */
import fs from 'node:fs';
import path from 'node:path';
import { contract as v1 } from '../../src/generated/v1';
import { contract as v2 } from '../../src/generated/v2';
import { sampleElement } from '../../src/portal/sample';
import type { ContractModel } from '../../src/soap';

export const PROJECT_FILE = path.join(__dirname, '..', '..', 'soapui', 'partner-orders-soapui-project.xml');

const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

type Version = 'v1' | 'v2';
type Port = 'orders' | 'admin';
type Caller = 'partner' | 'admin' | 'wrong';

const CONTRACTS: Record<Version, ContractModel> = { v1, v2 };
const BINDINGS: Record<Port, string> = { orders: 'PartnerOrderSoap11Binding', admin: 'PartnerOrderAdminSoap11Binding' };

const interfaceName = (version: Version, port: Port): string => `${BINDINGS[port]} ${version}`;
const endpointOf = (version: Version, port: Port): string => `\${#Project#baseUrl}/soap/${version}/${port}`;

type Assertion =
  | { type: 'SOAP Response' }
  | { type: 'Not SOAP Fault' }
  | { type: 'SOAP Fault' }
  | { type: 'XPath Match'; name: string; path: string; expected: string }
  | { type: 'Contains'; name: string; token: string };

interface RequestStep {
  kind: 'request';
  name: string;
  version: Version;
  port: Port;
  operation: string;
  caller: Caller;
  body: string;
  assertions: Assertion[];
}

interface TransferStep {
  kind: 'transfer';
  name: string;
  transfers: Array<{ name: string; sourceStep: string; version: Version; path: string; targetProperty: string }>;
}

type Step = RequestStep | TransferStep;

interface TestCase {
  name: string;
  description: string;
  properties: string[];
  steps: Step[];
}

const ns = (version: Version): string => `declare namespace po='urn:partner-orders:${version}';\n`;
const faultNs = (version: Version): string => `declare namespace soap='${SOAP11_NS}';\n${ns(version)}`;
const ok: Assertion[] = [{ type: 'SOAP Response' }, { type: 'Not SOAP Fault' }];
const fault: Assertion[] = [{ type: 'SOAP Response' }, { type: 'SOAP Fault' }];

const SHIP_TO =
  '<po:shipTo><po:name>ACME Receiving</po:name><po:line1>Dock 4</po:line1><po:city>Hamburg</po:city>' +
  '<po:postalCode>20095</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>';

function submit(ref: string, lines: string): string {
  return `<po:SubmitOrderRequest><po:partnerOrderRef>${ref}</po:partnerOrderRef>${SHIP_TO}${lines}<po:note>SoapUI suite</po:note></po:SubmitOrderRequest>`;
}
const line = (sku: string, quantity: number, partnerLineRef?: string): string =>
  `<po:line><po:sku>${sku}</po:sku><po:quantity>${quantity}</po:quantity>${partnerLineRef === undefined ? '' : `<po:partnerLineRef>${partnerLineRef}</po:partnerLineRef>`}</po:line>`;

const V1_LIFECYCLE: TestCase = {
  name: 'v1 order lifecycle',
  description: 'search, submit, idempotent resubmit, get, list, cancel; an administrator ships a second order',
  properties: ['orderId', 'shipOrderId'],
  steps: [
    {
      kind: 'request', name: 'SearchProducts', version: 'v1', port: 'orders', operation: 'SearchProducts', caller: 'partner',
      body: '<po:SearchProductsRequest><po:text>screw</po:text><po:category>Fasteners</po:category><po:pageSize>10</po:pageSize></po:SearchProductsRequest>',
      assertions: [...ok,
        { type: 'XPath Match', name: 'finds the 4 x 40 screw', path: `${ns('v1')}count(//po:product[po:sku='FAS-SCR-4X40'])`, expected: '1' },
        { type: 'Contains', name: 'priced in EUR', token: '<tns:currency>EUR</tns:currency>' }],
    },
    {
      kind: 'request', name: 'SubmitOrder', version: 'v1', port: 'orders', operation: 'SubmitOrder', caller: 'partner',
      body: submit('SOAPUI-${#Project#runId}-A', line('FAS-SCR-4X40', 3) + line('TLS-HAM-500', 1)),
      assertions: [...ok,
        { type: 'XPath Match', name: 'accepted', path: `${ns('v1')}//po:order/po:status`, expected: 'ACCEPTED' },
        { type: 'XPath Match', name: 'exact total 3 x 6.90 + 18.50', path: `${ns('v1')}//po:order/po:total`, expected: '39.20' }],
    },
    {
      kind: 'transfer', name: 'Transfer orderId',
      transfers: [{ name: 'orderId', sourceStep: 'SubmitOrder', version: 'v1', path: `${ns('v1')}//po:order/po:orderId`, targetProperty: 'orderId' }],
    },
    {
      kind: 'request', name: 'ResubmitOrder', version: 'v1', port: 'orders', operation: 'SubmitOrder', caller: 'partner',
      body: submit('SOAPUI-${#Project#runId}-A', line('FAS-SCR-4X40', 3) + line('TLS-HAM-500', 1)),
      assertions: [...ok, { type: 'XPath Match', name: 'returns the original order', path: `${ns('v1')}//po:order/po:orderId`, expected: '${#TestCase#orderId}' }],
    },
    {
      kind: 'request', name: 'GetOrder', version: 'v1', port: 'orders', operation: 'GetOrder', caller: 'partner',
      body: '<po:GetOrderRequest><po:orderId>${#TestCase#orderId}</po:orderId></po:GetOrderRequest>',
      assertions: [...ok,
        { type: 'XPath Match', name: 'two lines', path: `${ns('v1')}count(//po:order/po:line)`, expected: '2' },
        { type: 'Contains', name: 'partner reference', token: 'SOAPUI-${#Project#runId}-A' }],
    },
    {
      kind: 'request', name: 'ListOrders', version: 'v1', port: 'orders', operation: 'ListOrders', caller: 'partner',
      body: '<po:ListOrdersRequest><po:status>ACCEPTED</po:status><po:pageSize>100</po:pageSize></po:ListOrdersRequest>',
      assertions: [...ok, { type: 'XPath Match', name: 'lists the order', path: `${ns('v1')}count(//po:orderSummary[po:orderId='\${#TestCase#orderId}'])`, expected: '1' }],
    },
    {
      kind: 'request', name: 'CancelOrder', version: 'v1', port: 'orders', operation: 'CancelOrder', caller: 'partner',
      body: '<po:CancelOrderRequest><po:orderId>${#TestCase#orderId}</po:orderId><po:reason>SoapUI suite</po:reason></po:CancelOrderRequest>',
      assertions: [...ok, { type: 'XPath Match', name: 'cancelled', path: `${ns('v1')}//po:order/po:status`, expected: 'CANCELLED' }],
    },
    {
      kind: 'request', name: 'SubmitOrderToShip', version: 'v1', port: 'orders', operation: 'SubmitOrder', caller: 'partner',
      body: submit('SOAPUI-${#Project#runId}-B', line('FAS-NUT-M8', 5)),
      assertions: [...ok, { type: 'XPath Match', name: 'accepted', path: `${ns('v1')}//po:order/po:status`, expected: 'ACCEPTED' }],
    },
    {
      kind: 'transfer', name: 'Transfer shipOrderId',
      transfers: [{ name: 'shipOrderId', sourceStep: 'SubmitOrderToShip', version: 'v1', path: `${ns('v1')}//po:order/po:orderId`, targetProperty: 'shipOrderId' }],
    },
    {
      kind: 'request', name: 'ShipOrder (admin)', version: 'v1', port: 'admin', operation: 'ShipOrder', caller: 'admin',
      body: '<po:ShipOrderRequest><po:orderId>${#TestCase#shipOrderId}</po:orderId><po:carrier>UPS</po:carrier><po:trackingNumber>1Z999AA10123456784</po:trackingNumber></po:ShipOrderRequest>',
      assertions: [...ok,
        { type: 'XPath Match', name: 'shipped', path: `${ns('v1')}//po:order/po:status`, expected: 'SHIPPED' },
        { type: 'XPath Match', name: 'carrier recorded', path: `${ns('v1')}//po:order/po:shipment/po:carrier`, expected: 'UPS' }],
    },
  ],
};

const V1_FAULTS: TestCase = {
  name: 'v1 faults',
  description: 'ProductNotFound, InsufficientStock, OrderNotFound, a wrong password, and the admin port refused to a partner',
  properties: [],
  steps: [
    {
      kind: 'request', name: 'GetProduct unknown sku', version: 'v1', port: 'orders', operation: 'GetProduct', caller: 'partner',
      body: '<po:GetProductRequest><po:sku>NO-SUCH-SKU</po:sku></po:GetProductRequest>',
      assertions: [...fault, { type: 'XPath Match', name: 'ProductNotFound detail', path: `${faultNs('v1')}//soap:Fault/detail/po:ProductNotFound/po:sku`, expected: 'NO-SUCH-SKU' }],
    },
    {
      kind: 'request', name: 'SubmitOrder beyond stock', version: 'v1', port: 'orders', operation: 'SubmitOrder', caller: 'partner',
      body: submit('SOAPUI-${#Project#runId}-C', line('TLS-DRL-18V', 100000)),
      assertions: [...fault,
        { type: 'XPath Match', name: 'InsufficientStock detail', path: `${faultNs('v1')}//soap:Fault/detail/po:InsufficientStock/po:requested`, expected: '100000' },
        { type: 'Contains', name: 'names the sku', token: 'Insufficient stock for TLS-DRL-18V' }],
    },
    {
      kind: 'request', name: 'GetOrder unknown id', version: 'v1', port: 'orders', operation: 'GetOrder', caller: 'partner',
      body: '<po:GetOrderRequest><po:orderId>no-such-order</po:orderId></po:GetOrderRequest>',
      assertions: [...fault, { type: 'XPath Match', name: 'OrderNotFound detail', path: `${faultNs('v1')}//soap:Fault/detail/po:OrderNotFound/po:orderId`, expected: 'no-such-order' }],
    },
    {
      kind: 'request', name: 'GetProduct wrong password', version: 'v1', port: 'orders', operation: 'GetProduct', caller: 'wrong',
      body: '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>',
      assertions: [...fault, { type: 'Contains', name: 'FailedAuthentication', token: 'wsse:FailedAuthentication' }],
    },
    {
      kind: 'request', name: 'AdjustStock as partner', version: 'v1', port: 'admin', operation: 'AdjustStock', caller: 'partner',
      body: '<po:AdjustStockRequest><po:sku>FAS-SCR-4X40</po:sku><po:delta>5</po:delta><po:reason>count</po:reason></po:AdjustStockRequest>',
      assertions: [...fault, { type: 'XPath Match', name: 'admin role required', path: `${faultNs('v1')}//soap:Fault/detail/po:NotAuthorized/po:requiredRole`, expected: 'admin' }],
    },
  ],
};

const V2_LIFECYCLE: TestCase = {
  name: 'v2 order lifecycle',
  description: 'contract v2: Money with a currency attribute, partnerLineRef, the partnerOrderRef filter, GetOrderHistory',
  properties: ['orderId'],
  steps: [
    {
      kind: 'request', name: 'GetProduct', version: 'v2', port: 'orders', operation: 'GetProduct', caller: 'partner',
      body: '<po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest>',
      assertions: [...ok, { type: 'XPath Match', name: 'price currency attribute', path: `${ns('v2')}//po:product/po:unitPrice/@currency`, expected: 'EUR' }],
    },
    {
      kind: 'request', name: 'SubmitOrder', version: 'v2', port: 'orders', operation: 'SubmitOrder', caller: 'partner',
      body: submit('SOAPUI-${#Project#runId}-V2', line('FAS-SCR-4X40', 2, 'LINE-10')),
      assertions: [...ok,
        { type: 'XPath Match', name: 'total as Money', path: `${ns('v2')}concat(//po:order/po:total, ' ', //po:order/po:total/@currency)`, expected: '13.80 EUR' },
        { type: 'XPath Match', name: 'line reference kept', path: `${ns('v2')}//po:order/po:line/po:partnerLineRef`, expected: 'LINE-10' }],
    },
    {
      kind: 'transfer', name: 'Transfer orderId',
      transfers: [{ name: 'orderId', sourceStep: 'SubmitOrder', version: 'v2', path: `${ns('v2')}//po:order/po:orderId`, targetProperty: 'orderId' }],
    },
    {
      kind: 'request', name: 'ListOrders by partnerOrderRef', version: 'v2', port: 'orders', operation: 'ListOrders', caller: 'partner',
      body: '<po:ListOrdersRequest><po:partnerOrderRef>SOAPUI-${#Project#runId}-V2</po:partnerOrderRef></po:ListOrdersRequest>',
      assertions: [...ok,
        { type: 'XPath Match', name: 'one order', path: `${ns('v2')}count(//po:orderSummary)`, expected: '1' },
        { type: 'XPath Match', name: 'that order', path: `${ns('v2')}//po:orderSummary/po:orderId`, expected: '${#TestCase#orderId}' }],
    },
    {
      kind: 'request', name: 'CancelOrder', version: 'v2', port: 'orders', operation: 'CancelOrder', caller: 'partner',
      body: '<po:CancelOrderRequest><po:orderId>${#TestCase#orderId}</po:orderId><po:reason>SoapUI suite</po:reason></po:CancelOrderRequest>',
      assertions: [...ok, { type: 'XPath Match', name: 'cancelled', path: `${ns('v2')}//po:order/po:status`, expected: 'CANCELLED' }],
    },
    {
      kind: 'request', name: 'GetOrderHistory', version: 'v2', port: 'orders', operation: 'GetOrderHistory', caller: 'partner',
      body: '<po:GetOrderHistoryRequest><po:orderId>${#TestCase#orderId}</po:orderId></po:GetOrderHistoryRequest>',
      assertions: [...ok,
        { type: 'XPath Match', name: 'two status changes', path: `${ns('v2')}count(//po:history)`, expected: '2' },
        { type: 'XPath Match', name: 'cancelled by the partner', path: `${ns('v2')}//po:history[po:status='CANCELLED']/po:by`, expected: '${#Project#partnerUsername}' }],
    },
    {
      kind: 'request', name: 'GetOrderHistory unknown id', version: 'v2', port: 'orders', operation: 'GetOrderHistory', caller: 'partner',
      body: '<po:GetOrderHistoryRequest><po:orderId>no-such-order</po:orderId></po:GetOrderHistoryRequest>',
      assertions: [...fault, { type: 'XPath Match', name: 'OrderNotFound in the v2 namespace', path: `${faultNs('v2')}//soap:Fault/detail/po:OrderNotFound/po:orderId`, expected: 'no-such-order' }],
    },
  ],
};

export const TEST_CASES: TestCase[] = [V1_LIFECYCLE, V1_FAULTS, V2_LIFECYCLE];

const PROJECT_PROPERTIES: Array<[string, string]> = [
  ['baseUrl', 'http://localhost:8080'],
  ['partnerUsername', 'demo'],
  ['partnerPassword', 'demo-password-2026'],
  ['adminUsername', 'admin'],
  ['adminPassword', 'admin-password-2026'],
  ['runId', '1'],
];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** A readable SOAP 1.1 envelope with a PasswordText UsernameToken from the project properties. */
export function envelope(version: Version, caller: Caller, body: string): string {
  const username = caller === 'admin' ? '${#Project#adminUsername}' : '${#Project#partnerUsername}';
  const password = caller === 'admin' ? '${#Project#adminPassword}' : caller === 'wrong' ? 'not-the-password-${#Project#runId}' : '${#Project#partnerPassword}';
  return [
    `<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}" xmlns:po="urn:partner-orders:${version}">`,
    '   <soapenv:Header>',
    `      <wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="${WSSE_NS}">`,
    '         <wsse:UsernameToken>',
    `            <wsse:Username>${username}</wsse:Username>`,
    `            <wsse:Password Type="${PASSWORD_TEXT}">${password}</wsse:Password>`,
    '         </wsse:UsernameToken>',
    '      </wsse:Security>',
    '   </soapenv:Header>',
    '   <soapenv:Body>',
    body.split('\n').map((l) => `      ${l}`).join('\n'),
    '   </soapenv:Body>',
    '</soapenv:Envelope>',
  ].join('\n');
}

/** Stable ids (SoapUI wants them unique; random ones would churn the file on every build). */
function idFor(...parts: string[]): string {
  return `po-${parts.join('-').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;
}

function interfaceXml(version: Version, port: Port): string {
  const contract = CONTRACTS[version];
  const binding = contract.bindings.find((b) => b.name === BINDINGS[port])!;
  const portType = contract.portTypes.find((p) => p.name === binding.portType)!;
  const name = interfaceName(version, port);
  const endpoint = endpointOf(version, port);
  const operations = portType.operations.map((operation) => {
    const action = binding.operations.find((o) => o.name === operation.name)?.soapAction ?? '';
    const sample = sampleElement(contract, operation.input).replace(/ xmlns:po="[^"]*"/, '');
    return `
    <con:operation id="${idFor(name, operation.name)}" isOneWay="false" action="${escapeXml(action)}" name="${operation.name}" bindingOperationName="${operation.name}" type="Request-Response" inputName="" receivesAttachments="false" sendsAttachments="false" anonymous="optional">
      <con:settings/>
      <con:call id="${idFor(name, operation.name, 'request')}" name="Request 1">
        <con:settings/>
        <con:encoding>UTF-8</con:encoding>
        <con:endpoint>${escapeXml(endpoint)}</con:endpoint>
        <con:request>${cdata(envelope(version, port === 'admin' ? 'admin' : 'partner', sample))}</con:request>
        <con:credentials><con:authType>No Authorization</con:authType></con:credentials>
        <con:jmsConfig JMSDeliveryMode="PERSISTENT"/>
        <con:jmsPropertyConfig/>
        <con:wsaConfig mustUnderstand="NONE" version="200508" action="${escapeXml(action)}"/>
        <con:wsrmConfig version="1.2"/>
      </con:call>
    </con:operation>`;
  });
  const wsdlUrl = `http://localhost:8080/soap/${version}/${port}?wsdl`;
  return `
  <con:interface xsi:type="con:WsdlInterface" id="${idFor(name)}" wsaVersion="NONE" name="${name}" type="wsdl" bindingName="{${contract.targetNamespace}}${binding.name}" soapVersion="1_1" anonymous="optional" definition="${wsdlUrl}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <con:description>${escapeXml(`${portType.documentation ?? ''} (contract ${version}, ${contract.targetNamespace})`)}</con:description>
    <con:settings/>
    <con:endpoints>
      <con:endpoint>${escapeXml(endpoint)}</con:endpoint>
    </con:endpoints>${operations.join('')}
  </con:interface>`;
}

function assertionXml(owner: string, assertion: Assertion, index: number): string {
  const id = idFor(owner, 'assertion', String(index));
  switch (assertion.type) {
    case 'SOAP Response':
      return `<con:assertion type="SOAP Response" id="${id}" name="SOAP Response"/>`;
    // SoapUI's own ids are crossed: "SOAP Fault Assertion" is the Not SOAP Fault check, and vice versa.
    case 'Not SOAP Fault':
      return `<con:assertion type="SOAP Fault Assertion" id="${id}" name="Not SOAP Fault"/>`;
    case 'SOAP Fault':
      return `<con:assertion type="Not SOAP Fault Assertion" id="${id}" name="SOAP Fault"/>`;
    case 'XPath Match':
      return `<con:assertion type="XPath Match" id="${id}" name="${escapeXml(`XPath Match: ${assertion.name}`)}">
              <con:configuration>
                <path>${escapeXml(assertion.path)}</path>
                <content>${escapeXml(assertion.expected)}</content>
                <allowWildcards>false</allowWildcards>
                <ignoreNamspaceDifferences>false</ignoreNamspaceDifferences>
                <ignoreComments>false</ignoreComments>
              </con:configuration>
            </con:assertion>`;
    case 'Contains':
      return `<con:assertion type="Simple Contains" id="${id}" name="${escapeXml(`Contains: ${assertion.name}`)}">
              <con:configuration>
                <token>${escapeXml(assertion.token)}</token>
                <ignoreCase>false</ignoreCase>
                <useRegEx>false</useRegEx>
              </con:configuration>
            </con:assertion>`;
  }
}

function stepXml(testCase: TestCase, step: Step): string {
  const owner = `${testCase.name}-${step.name}`;
  if (step.kind === 'transfer') {
    const transfers = step.transfers.map((t) => `
          <con:transfers setNullOnMissingSource="true" transferTextContent="true" failOnError="true" ignoreEmpty="false" transferToAll="false" entitize="false" transferChildNodes="false">
            <con:name>${escapeXml(t.name)}</con:name>
            <con:sourceType>Response</con:sourceType>
            <con:sourceStep>${escapeXml(t.sourceStep)}</con:sourceStep>
            <con:sourcePath>${escapeXml(t.path)}</con:sourcePath>
            <con:targetType>${escapeXml(t.targetProperty)}</con:targetType>
            <con:targetStep>#TestCase#</con:targetStep>
            <con:upgraded>true</con:upgraded>
          </con:transfers>`).join('');
    return `
      <con:testStep type="transfer" name="${escapeXml(step.name)}" id="${idFor(owner)}">
        <con:settings/>
        <con:config xsi:type="con:PropertyTransfersStep" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${transfers}
        </con:config>
      </con:testStep>`;
  }
  const contract = CONTRACTS[step.version];
  const action = contract.bindings.find((b) => b.name === BINDINGS[step.port])!.operations.find((o) => o.name === step.operation)!.soapAction;
  const assertions = step.assertions.map((a, i) => assertionXml(owner, a, i)).join('\n            ');
  return `
      <con:testStep type="request" name="${escapeXml(step.name)}" id="${idFor(owner)}">
        <con:settings/>
        <con:config xsi:type="con:RequestStep" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <con:interface>${escapeXml(interfaceName(step.version, step.port))}</con:interface>
          <con:operation>${escapeXml(step.operation)}</con:operation>
          <con:request name="${escapeXml(step.name)}" id="${idFor(owner, 'request')}" outgoingWss="" incomingWss="">
            <con:settings/>
            <con:encoding>UTF-8</con:encoding>
            <con:endpoint>${escapeXml(endpointOf(step.version, step.port))}</con:endpoint>
            <con:request>${cdata(envelope(step.version, step.caller, step.body))}</con:request>
            ${assertions}
            <con:credentials><con:authType>No Authorization</con:authType></con:credentials>
            <con:jmsConfig JMSDeliveryMode="PERSISTENT"/>
            <con:jmsPropertyConfig/>
            <con:wsaConfig mustUnderstand="NONE" version="200508" action="${escapeXml(action)}"/>
            <con:wsrmConfig version="1.2"/>
          </con:request>
        </con:config>
      </con:testStep>`;
}

function testCaseXml(testCase: TestCase): string {
  const properties = testCase.properties.map((p) => `<con:property><con:name>${p}</con:name><con:value/></con:property>`).join('');
  return `
    <con:testCase id="${idFor(testCase.name)}" failOnError="true" failTestCaseOnErrors="true" keepSession="false" maxResults="0" name="${escapeXml(testCase.name)}" searchProperties="true">
      <con:description>${escapeXml(testCase.description)}</con:description>
      <con:settings/>${testCase.steps.map((step) => stepXml(testCase, step)).join('')}
      <con:properties>${properties}</con:properties>
    </con:testCase>`;
}

export function buildProject(): string {
  const interfaces = (['v1', 'v2'] as const).flatMap((version) => (['orders', 'admin'] as const).map((port) => interfaceXml(version, port)));
  const properties = PROJECT_PROPERTIES.map(([name, value]) => `
    <con:property><con:name>${name}</con:name><con:value>${escapeXml(value)}</con:value></con:property>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by test/soapui/build-project.ts; edit that file and run: npx tsx test/soapui/build-project.ts -->
<con:soapui-project id="po-partner-order-service" activeEnvironment="Default" name="Partner Order Service" resourceRoot="" soapui-version="5.7.2" abortOnError="false" runType="SEQUENTIAL" xmlns:con="http://eviware.com/soapui/config">
  <con:description>Partner Order Service: contracts v1 and v2 and a regression suite (order lifecycle and faults). Start the service, set baseUrl, and run the suite.</con:description>
  <con:settings/>${interfaces.join('')}
  <con:testSuite id="po-regression" name="Partner Order Service regression">
    <con:description>Order lifecycle and main faults on v1, lifecycle on v2. Order references include runId, so set a new runId (-PrunId=...) to rerun against the same database.</con:description>
    <con:settings/>
    <con:runType>SEQUENTIAL</con:runType>${TEST_CASES.map(testCaseXml).join('')}
    <con:properties/>
  </con:testSuite>
  <con:properties>${properties}
  </con:properties>
  <con:wssContainer/>
  <con:oAuth2ProfileContainer/>
  <con:oAuth1ProfileContainer/>
  <con:sensitiveInformation/>
</con:soapui-project>
`;
}

if (require.main === module) {
  fs.writeFileSync(PROJECT_FILE, buildProject());
  process.stdout.write(`wrote ${path.relative(process.cwd(), PROJECT_FILE)}\n`);
}
