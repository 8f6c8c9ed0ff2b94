/** A loopback HTTP proxy for interop tests that shows what a client really put on the wire. */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  readonly contentType: string;
  readonly head: Buffer;
}

/** Forwards every request to `target` unchanged and keeps the Content-Type and first bytes of each POST. */
export async function startRecordingProxy(
  target: string,
): Promise<{ url: string; recorded: Recorded[]; replies: string[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const recorded: Recorded[] = [];
  /** Content-Type of each reply to a POST. */
  const replies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST')
        recorded.push({ contentType: String(req.headers['content-type']), head: body.subarray(0, 8) });
      const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (reply) => {
          if (req.method === 'POST') replies.push(String(reply.headers['content-type']));
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    recorded,
    replies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
