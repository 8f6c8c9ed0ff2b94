/** "express-floor": the floor handler behind Express with a raw body parser. */
import { createServer } from 'node:http';
import express from 'express';
import { BENCH_PATH } from '../data';
import { answerFloor } from './floor-handler';
import { listen } from './listen';

const app = express();
app.disable('x-powered-by');
app.post(BENCH_PATH, express.raw({ type: () => true, limit: '2mb' }), (req, res) => {
  const { status, xml } = answerFloor(req.body as Buffer);
  res.status(status).type('text/xml; charset=utf-8').send(xml);
});
listen(createServer(app));
