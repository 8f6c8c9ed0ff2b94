/** "node-soap-http": node-soap (soap.listen) on a bare node:http server, for the node:http row. */
import { createServer } from 'node:http';
import * as soap from 'soap';
import { BENCH_PATH } from '../data';
import { benchService, benchWsdl } from './node-soap';
import { listen } from './listen';

const server = createServer();
soap.listen(server, BENCH_PATH, benchService, benchWsdl);
listen(server);
