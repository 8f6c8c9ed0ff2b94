// A hand-written SchemaModel shaped like what the WSDL loader produces, used by the codec tests and bench.
import type { SchemaModel } from '../../../src/soap/schema/model';

export const NS = 'urn:example:orders';
const xs = (local: string): string => `{http://www.w3.org/2001/XMLSchema}${local}`;
const t = (local: string): string => `{${NS}}${local}`;

export const ORDER_MODEL: SchemaModel = {
  types: {
    [t('Quantity')]: {
      kind: 'simple',
      name: t('Quantity'),
      builtin: 'int',
      facets: { minInclusive: '1', maxInclusive: '10000' },
    },
    [t('Sku')]: {
      kind: 'simple',
      name: t('Sku'),
      builtin: 'string',
      facets: { pattern: ['[A-Z]{3}-[0-9]+'], maxLength: 20 },
    },
    [t('Currency')]: { kind: 'simple', name: t('Currency'), builtin: 'token', facets: { enumeration: ['EUR', 'USD'] } },
    [t('Amount')]: {
      kind: 'simple',
      name: t('Amount'),
      builtin: 'decimal',
      facets: { totalDigits: 19, fractionDigits: 2, minInclusive: '0' },
    },
    [t('Money')]: {
      kind: 'complex',
      name: t('Money'),
      content: null,
      simpleContent: t('Amount'),
      attributes: [{ name: 'currency', ns: '', prop: 'currency', type: t('Currency'), required: true }],
    },
    [t('Line')]: {
      kind: 'complex',
      name: t('Line'),
      attributes: [],
      content: {
        kind: 'sequence',
        minOccurs: 1,
        maxOccurs: 1,
        particles: [
          {
            kind: 'element',
            name: 'sku',
            ns: '',
            prop: 'sku',
            type: t('Sku'),
            minOccurs: 1,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'description',
            ns: '',
            prop: 'description',
            type: xs('string'),
            minOccurs: 0,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'quantity',
            ns: '',
            prop: 'quantity',
            type: t('Quantity'),
            minOccurs: 1,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'unitPrice',
            ns: '',
            prop: 'unitPrice',
            type: t('Money'),
            minOccurs: 1,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'requestedDate',
            ns: '',
            prop: 'requestedDate',
            type: xs('date'),
            minOccurs: 0,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'note',
            ns: '',
            prop: 'note',
            type: xs('string'),
            minOccurs: 0,
            maxOccurs: 1,
            nillable: true,
          },
        ],
      },
    },
    [t('SubmitOrderRequest')]: {
      kind: 'complex',
      attributes: [{ name: 'version', ns: '', prop: 'version', type: xs('int'), required: false }],
      content: {
        kind: 'sequence',
        minOccurs: 1,
        maxOccurs: 1,
        particles: [
          {
            kind: 'element',
            name: 'partnerId',
            ns: NS,
            prop: 'partnerId',
            type: xs('token'),
            minOccurs: 1,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'orderRef',
            ns: NS,
            prop: 'orderRef',
            type: xs('string'),
            minOccurs: 1,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'total',
            ns: NS,
            prop: 'total',
            type: xs('long'),
            minOccurs: 0,
            maxOccurs: 1,
            nillable: false,
          },
          {
            kind: 'element',
            name: 'line',
            ns: NS,
            prop: 'line',
            type: t('Line'),
            minOccurs: 1,
            maxOccurs: -1,
            nillable: false,
          },
          {
            kind: 'choice',
            minOccurs: 1,
            maxOccurs: 1,
            particles: [
              {
                kind: 'element',
                name: 'deliverTo',
                ns: NS,
                prop: 'deliverTo',
                type: xs('string'),
                minOccurs: 1,
                maxOccurs: 1,
                nillable: false,
              },
              {
                kind: 'element',
                name: 'pickup',
                ns: NS,
                prop: 'pickup',
                type: xs('boolean'),
                minOccurs: 1,
                maxOccurs: 1,
                nillable: false,
              },
            ],
          },
          { kind: 'any', prop: 'extension', minOccurs: 0, maxOccurs: -1, namespace: '##other', processContents: 'lax' },
        ],
      },
    },
  },
  elements: {
    [t('SubmitOrderRequest')]: { name: 'SubmitOrderRequest', ns: NS, type: t('SubmitOrderRequest'), nillable: false },
  },
};

export const SUBMIT = t('SubmitOrderRequest');

export interface OrderLine {
  sku: string;
  description?: string;
  quantity: number;
  unitPrice: { $value: string; currency: string };
  requestedDate?: string;
  note?: string | null;
}

export function sampleOrder(lines: number): Record<string, unknown> {
  const line: OrderLine[] = [];
  for (let i = 0; i < lines; i++) {
    line.push({
      sku: `SKU-${i}`,
      description: `Widget & gadget <${i}>`,
      quantity: (i % 100) + 1,
      unitPrice: { $value: '12345678901234567.89', currency: i % 2 ? 'EUR' : 'USD' },
      requestedDate: '2026-01-02',
      note: i % 3 === 0 ? null : `n${i}`,
    });
  }
  return {
    version: 2,
    partnerId: 'ACME',
    orderRef: 'PO-1',
    total: 9223372036854775807n,
    line,
    deliverTo: 'Dock 7',
    extension: [],
  };
}
