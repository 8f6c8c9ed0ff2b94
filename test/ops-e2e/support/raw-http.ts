/**
 * A raw HTTP/1.1 client over a TCP socket for hostile requests: any method, any headers (or none), a body
 * sent with Content-Length or chunked. fetch() and node:http cannot send every shape, and node:http gives
 * up on the response when the server answers and closes before the whole body was sent, which is exactly
 * what a server should do with an oversized request. This client reads while it writes, stops sending
 * once an answer arrives, ignores the write error that may follow, and parses the response.
 */
import net from 'node:net';

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length), in 64 KiB chunks. */
  chunked?: boolean;
  /**
   * Send `Expect: 100-continue` and hold the body back until the server says 100 Continue (or 1 s
   * passes); a final answer instead means the body is never sent (RFC 9110 section 10.1.1).
   */
  expectContinue?: boolean;
  timeoutMs?: number;
}

export interface RawResponse {
  /** 0 when the connection was reset while sending and no byte of a response arrived. */
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** A write error after the server stopped reading (EPIPE/ECONNRESET), if any. */
  writeError?: string;
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('truncated chunked body');
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/** Drops leading interim (1xx) responses. */
function skipInterim(data: Buffer): Buffer {
  while (/^HTTP\/1\.[01] 1\d\d/.test(data.subarray(0, 16).toString('latin1'))) {
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) return data;
    data = data.subarray(end + 4);
  }
  return data;
}

function parseResponse(raw: Buffer): Omit<RawResponse, 'writeError'> {
  const data = skipInterim(raw);
  const headerEnd = data.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw new Error(`no complete HTTP response received (${data.length} bytes)`);
  const [statusLine, ...headerLines] = data.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`bad status line: ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = data.subarray(headerEnd + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = decodeChunked(body);
  else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (body.length < length) throw new Error(`response body truncated: ${body.length} of ${length} bytes`);
    body = body.subarray(0, length);
  }
  return { status, headers, body: body.toString('utf8') };
}

export function rawRequest(url: string, request: RawRequest): Promise<RawResponse> {
  const target = new URL(url);
  const body = request.body ?? Buffer.alloc(0);
  const method = request.method ?? 'POST';
  const headers: Record<string, string> = { Host: target.host, Connection: 'close', ...request.headers };
  if (request.chunked) headers['Transfer-Encoding'] = 'chunked';
  else if (body.length > 0 || method === 'POST' || method === 'PUT') headers['Content-Length'] = String(body.length);
  if (request.expectContinue) headers.Expect = '100-continue';
  const head = `${method} ${target.pathname}${target.search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  const timeoutMs = request.timeoutMs ?? 15_000;

  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    let writeError: string | undefined;
    const socket = net.connect(Number(target.port), target.hostname);
    const timer = setTimeout(() => socket.destroy(new Error(`no complete response within ${timeoutMs} ms`)), timeoutMs);
    let onData: (() => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      onData?.();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      writeError = error.code ?? error.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (
        skipInterim(Buffer.concat(received)).length === 0 &&
        (writeError === 'EPIPE' || writeError === 'ECONNRESET')
      ) {
        resolve({ status: 0, headers: {}, body: '', writeError });
        return;
      }
      try {
        resolve({ ...parseResponse(Buffer.concat(received)), writeError });
      } catch (error) {
        reject(new Error(`${(error as Error).message}${writeError ? ` (socket: ${writeError})` : ''}`));
      }
    });
    // RFC 9112 section 9.5: a client sending a body watches for an early response and, when the server
    // answers before reading everything, stops sending (as curl does). The server may still close with
    // unread input, and then its kernel resets the connection, possibly before its answer left.
    socket.once('connect', () => {
      socket.write(head);
      const CHUNK = 64 * 1024;
      let offset = 0;
      const pump = () => {
        while (offset < body.length && skipInterim(Buffer.concat(received)).length === 0 && !socket.destroyed) {
          const piece = body.subarray(offset, offset + CHUNK);
          offset += piece.length;
          const frame = request.chunked
            ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
            : piece;
          if (!socket.write(frame)) {
            // After the poll phase, so a response that came in meanwhile is seen before the next write.
            socket.once('drain', () => setImmediate(pump));
            return;
          }
        }
        if (
          request.chunked &&
          offset >= body.length &&
          skipInterim(Buffer.concat(received)).length === 0 &&
          !socket.destroyed
        )
          socket.write('0\r\n\r\n');
      };
      if (!request.expectContinue) {
        pump();
        return;
      }
      let started = false;
      const start = () => {
        if (started) return;
        started = true;
        clearTimeout(waitTimer);
        onData = undefined;
        pump();
      };
      // A final response right after the 100 (the server decided on the headers alone) wins the race
      // against the first body chunk because the body waits for a later turn of the event loop.
      const waitTimer = setTimeout(start, 1000);
      onData = () => {
        if (skipInterim(Buffer.concat(received)).length > 0) {
          started = true;
          clearTimeout(waitTimer);
          onData = undefined;
        } else setTimeout(start, 50);
      };
    });
  });
}
