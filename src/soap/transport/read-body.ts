/**
 * Reads a request body into one Buffer under a size limit and a time limit. The declared Content-Length is
 * checked before the first byte is read; a chunked body is counted while it streams and reading stops at
 * the first byte over the limit.
 */
import type { IncomingMessage } from 'node:http';

export type BodyReadResult =
  | { readonly ok: true; readonly body: Buffer }
  | {
      readonly ok: false;
      readonly problem: 'too-large' | 'timeout' | 'aborted' | 'bad-length';
      readonly message: string;
    };

const DECIMAL = /^\d+$/;

/** The Content-Length header as a number; undefined when absent, NaN when malformed. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined) return undefined;
  return DECIMAL.test(header) ? Number(header) : Number.NaN;
}

export function tooLargeMessage(maxBytes: number): string {
  return `Request body exceeds the limit of ${maxBytes} bytes`;
}

export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyReadResult> {
  const declared = declaredLength(req);
  if (declared !== undefined && Number.isNaN(declared)) {
    return Promise.resolve({ ok: false, problem: 'bad-length', message: 'Malformed Content-Length header' });
  }
  if (declared !== undefined && declared > maxBytes) {
    return Promise.resolve({ ok: false, problem: 'too-large', message: tooLargeMessage(maxBytes) });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (result: BodyReadResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('aborted', onAborted);
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) {
        finish({ ok: false, problem: 'too-large', message: tooLargeMessage(maxBytes) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      finish({ ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received) });
    };
    const onError = (): void => finish({ ok: false, problem: 'aborted', message: 'Request stream failed' });
    const onAborted = (): void => finish({ ok: false, problem: 'aborted', message: 'Client aborted the request' });
    const timer = setTimeout(() => {
      finish({ ok: false, problem: 'timeout', message: `Request body not received within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
