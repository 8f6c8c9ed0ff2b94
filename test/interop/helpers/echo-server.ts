import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServerProcess } from './process';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const ECHO_SERVE_SCRIPT = join(REPO_ROOT, 'test', 'fixtures', 'echo', 'serve.ts');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface EchoServer {
  /** The SOAP endpoint, e.g. http://127.0.0.1:41234/soap/echo */
  endpoint: string;
  wsdlUrl: string;
  close(): Promise<void>;
}

/**
 * Starts our engine's echo service (test/fixtures/echo/serve.ts) on an ephemeral loopback port, in its own
 * process, as a client on another machine would meet it.
 *
 * INTEROP_ECHO_URL=<endpoint> points the suites at an already running echo server instead (to debug a
 * client program against another SOAP stack); CI never sets it.
 */
export async function startEchoServer(extraArgs: readonly string[] = []): Promise<EchoServer> {
  const external = process.env.INTEROP_ECHO_URL;
  if (external) return { endpoint: external, wsdlUrl: `${external}?wsdl`, close: async () => undefined };
  if (!existsSync(ECHO_SERVE_SCRIPT)) throw new Error(`${ECHO_SERVE_SCRIPT} does not exist yet`);
  const server = await startServerProcess(TSX, [ECHO_SERVE_SCRIPT, '--port', '0', ...extraArgs], {
    cwd: REPO_ROOT,
    timeoutMs: 60_000,
  });
  const printed = new URL(server.url);
  const endpoint = printed.pathname.endsWith('/soap/echo')
    ? `${printed.origin}${printed.pathname}`
    : `${printed.origin}/soap/echo`;
  return { endpoint, wsdlUrl: `${endpoint}?wsdl`, close: () => server.close() };
}
