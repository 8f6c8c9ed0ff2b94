/**
 * "node-soap": the `soap` package's server (soap.listen on Express, no ETag), the usual Node.js choice, serving
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

export const benchService = {
  BenchOrderService: {
    BenchOrdersSoap11Port: {
      GetOrder(args: { orderId: string }) {
        const order = ORDERS.get(String(args.orderId));
        if (order === undefined) {
          throw {
            Fault: {
              faultcode: 'soap:Client',
              faultstring: `No order ${args.orderId}`,
              detail: { OrderNotFound: { orderId: args.orderId } },
            },
          };
        }
        return { order };
      },
      SubmitOrder(args: SubmitArgs) {
        const lines = Array.isArray(args.line) ? args.line : [args.line];
        return submitOrder(
          String(args.partnerOrderRef),
          lines.map((l) => ({ quantity: Number(l.quantity), unitPrice: String(l.unitPrice) })),
        );
      },
    },
  },
};

export const benchWsdl = readFileSync(join(projectRoot(), 'bench', 'wsdl', 'bench.wsdl'), 'utf8');
if (require.main === module) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const server = createServer(app);
  listen(server);
  soap.listen(app, BENCH_PATH, benchService, benchWsdl);
}
