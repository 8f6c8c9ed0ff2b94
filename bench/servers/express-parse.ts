/** "express-parse": the parsing baseline (parse-handler.ts) behind Express with a raw body parser; no ETag (Express would hash every response). */
import { createServer } from 'node:http';
import express from 'express';
import { BENCH_PATH } from '../data';
import { answerParsed } from './parse-handler';
import { listen } from './listen';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.post(BENCH_PATH, express.raw({ type: () => true, limit: '2mb' }), (req, res) => {
  const { status, xml } = answerParsed(req.body as Buffer);
  res.status(status).type('text/xml; charset=utf-8').send(xml);
});
listen(createServer(app));
