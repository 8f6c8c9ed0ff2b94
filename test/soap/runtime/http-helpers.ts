/** Test helpers: start the same endpoint on bare node:http or behind Express, and talk raw HTTP to it. */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { SoapEndpoint } from '../../../src/soap/endpoint';
import { soapRequestListener } from '../../../src/soap/transport/http';
import { soapRouterFor } from '../../../src/soap/transport/express';

export type TransportKind = 'node:http' | 'express';
export const TRANSPORTS: readonly TransportKind[] = ['node:http', 'express'];

export interface RunningServer {
  readonly base: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves each endpoint at its path, through the chosen transport, on 127.0.0.1 port 0. */
export async function startServer(kind: TransportKind, routes: Record<string, SoapEndpoint>): Promise<RunningServer> {
  let server: Server;
  if (kind === 'node:http') {
    server = createServer(soapRequestListener(routes));
  } else {
    const app = express();
    // A JSON parser in front must not touch SOAP bodies.
    app.use(express.json());
    for (const [path, endpoint] of Object.entries(routes)) app.use(path, soapRouterFor(endpoint));
    server = createServer(app);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes to the server and resolves with whatever comes back before `waitMs` or the close. */
export function rawExchange(
  port: number,
  chunks: readonly (string | Buffer)[],
  waitMs: number,
): Promise<{ text: string; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (d: Buffer) => {
      text += d.toString('utf8');
      // A complete response with Content-Length is enough.
      const headEnd = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text);
      if (headEnd >= 0 && length !== null && Buffer.byteLength(text.slice(headEnd + 4)) >= Number(length[1])) finish();
    });
    socket.on('close', finish);
    socket.on('error', (err) => (text === '' ? reject(err) : finish()));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
  });
}

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

export function soap11(body: string, header = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}">${header === '' ? '' : `<soapenv:Header>${header}</soapenv:Header>`}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export function soap12(body: string, header = ''): string {
  return `<env:Envelope xmlns:env="${SOAP12_NS}">${header === '' ? '' : `<env:Header>${header}</env:Header>`}<env:Body>${body}</env:Body></env:Envelope>`;
}

export function post11(
  url: string,
  envelope: string | Buffer,
  action?: string,
  extra: Record<string, string> = {},
): Promise<HttpReply> {
  const headers: Record<string, string> = { 'Content-Type': 'text/xml; charset=utf-8', ...extra };
  if (action !== undefined) headers['SOAPAction'] = `"${action}"`;
  return httpRequest(url, { headers, body: envelope });
}

export function post12(
  url: string,
  envelope: string | Buffer,
  action?: string,
  extra: Record<string, string> = {},
): Promise<HttpReply> {
  const type =
    action === undefined
      ? 'application/soap+xml; charset=utf-8'
      : `application/soap+xml; charset=utf-8; action="${action}"`;
  return httpRequest(url, { headers: { 'Content-Type': type, ...extra }, body: envelope });
}

/** A logger that keeps what it is told, for assertions. */
export class CapturingLogger {
  readonly lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  debug(message: string, meta?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, meta });
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, meta });
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, meta });
  }
  error(message: string, meta?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, meta });
  }
}
