/**
 * "ours-express": the same engine and typed handler as ours.ts, mounted on Express with soapRouter (the
 * Express binding), for the like-for-like row against node-soap, which runs on Express. No ETag.
 */
import { createServer } from 'node:http';
import express from 'express';
import { soapRouter } from '../../src/soap';
import { contract } from '../generated';
import { BENCH_PATH } from '../data';
import { benchHandlers, benchLogger } from './bench-handlers';
import { listen, projectRoot } from './listen';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(
  BENCH_PATH,
  soapRouter({
    contract,
    service: 'BenchOrderService',
    handlers: benchHandlers,
    interceptors: [],
    logger: benchLogger,
    documentRoot: projectRoot(),
  }),
);
listen(createServer(app));
