/**
 * "true-floor": node:http reading the whole request body and answering a response prepared at start-up,
 * with no parsing and no handler: the physical limit of a Node.js HTTP server on this machine for these
 * message sizes. The prepared response is the parsing baseline's answer to the scenario's request
 * (`--request <file>`, the bodies file bench/run.ts writes), so the preflight check holds.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { RECORD_SEPARATOR } from '../lib/load';
import { answerParsed } from './parse-handler';
import { argValue, listen } from './listen';

const requestFile = argValue('request');
if (requestFile === undefined) throw new Error('usage: true-floor.js --request <bodies file>');
const record = readFileSync(requestFile, 'utf8').split(RECORD_SEPARATOR)[0]!;
const answer = answerParsed(record.slice(record.indexOf('\n') + 1));
const body = Buffer.from(answer.xml, 'utf8');
const headers = { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': String(body.length) };

listen(
  createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(answer.status, headers);
      res.end(body);
    });
  }),
);
