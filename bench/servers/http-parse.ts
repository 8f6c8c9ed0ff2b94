/** "http-parse": the parsing baseline (parse-handler.ts) on bare node:http. */
import { createServer } from 'node:http';
import { answerParsed } from './parse-handler';
import { listen } from './listen';

listen(
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { status, xml } = answerParsed(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
      res.end(xml);
    });
  }),
);
