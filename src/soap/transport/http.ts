/**
 * Serving endpoints on bare node:http: a request listener that hands each endpoint's path to its
 * SoapEndpoint and everything else to a fallback (another framework, or a plain 404).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SoapEndpoint } from '../endpoint';
import { pathOf } from './endpoint-url';

function notFound(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Not found\n');
}

/**
 * `routes` maps an exact path (e.g. `/soap/echo`; a trailing slash is tolerated) to its endpoint.
 * A Map lookup per request, no pattern matching.
 */
export function soapRequestListener(routes: Readonly<Record<string, SoapEndpoint>>, fallback: RequestListener = notFound): RequestListener {
  const table = new Map<string, SoapEndpoint>();
  for (const [path, endpoint] of Object.entries(routes)) {
    if (!path.startsWith('/')) throw new Error(`SOAP endpoint path '${path}' must start with '/'`);
    const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    table.set(bare, endpoint);
    table.set(`${bare}/`, endpoint);
  }
  return (req, res) => {
    const endpoint = table.get(pathOf(req.url ?? '/'));
    if (endpoint === undefined) fallback(req, res);
    else endpoint.handle(req, res);
  };
}
