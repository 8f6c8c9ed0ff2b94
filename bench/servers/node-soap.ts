/**
 * "node-soap": the `soap` package's server (soap.listen on Express), the usual Node.js choice, serving
 * the bench WSDL with the same in-memory data and SubmitOrder logic.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import * as soap from 'soap';
import { BENCH_PATH, ORDERS, submitOrder, type SubmittedLine } from '../data';
import { listen, projectRoot } from './listen';

type SubmitArgs = { partnerOrderRef: string; line: SubmittedLine | SubmittedLine[] };

const service = {
  BenchOrderService: {
    BenchOrdersSoap11Port: {
      GetOrder(args: { orderId: string }) {
        const order = ORDERS.get(String(args.orderId));
        if (order === undefined) {
          throw { Fault: { faultcode: 'soap:Client', faultstring: `No order ${args.orderId}`, detail: { OrderNotFound: { orderId: args.orderId } } } };
        }
        return { order };
      },
      SubmitOrder(args: SubmitArgs) {
        const lines = Array.isArray(args.line) ? args.line : [args.line];
        return submitOrder(String(args.partnerOrderRef), lines.map((l) => ({ quantity: Number(l.quantity), unitPrice: String(l.unitPrice) })));
      },
    },
  },
};

const wsdl = readFileSync(join(projectRoot(), 'bench', 'wsdl', 'bench.wsdl'), 'utf8');
const app = express();
app.disable('x-powered-by');
const server = createServer(app);
listen(server);
soap.listen(app, BENCH_PATH, service, wsdl);
