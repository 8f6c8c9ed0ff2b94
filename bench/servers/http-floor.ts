/** "http-floor": the floor handler on bare node:http, the practical upper bound for a Node.js SOAP server. */
import { createServer } from 'node:http';
import { answerFloor } from './floor-handler';
import { listen } from './listen';

listen(createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { status, xml } = answerFloor(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  });
}));
