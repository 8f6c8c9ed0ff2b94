/**
 * The listening socket: HTTP, or HTTPS when a certificate and key are configured (optionally requiring a
 * client certificate), with timeouts against slow clients, and graceful shutdown on SIGTERM/SIGINT.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { EngineLogger } from '../soap';
import type { ServerConfig } from '../config';

const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

export type ServerSettings = Pick<ServerConfig, 'https' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>;

export type AppServer = http.Server | https.Server;

/**
 * Creates (does not start) the server for `handler` (an Express app or any request listener). HTTPS when
 * `https.certFile` and `https.keyFile` are set; with `requestClientCert` the TLS handshake demands a
 * client certificate signed by `https.caFile` and refuses clients without one.
 */
export function createHttpServer(handler: http.RequestListener, settings: ServerSettings): AppServer {
  const { certFile, keyFile, caFile, requestClientCert } = settings.https;
  let server: AppServer;
  if (certFile !== null && keyFile !== null) {
    server = https.createServer(
      {
        cert: fs.readFileSync(certFile),
        key: fs.readFileSync(keyFile),
        ca: caFile === null ? undefined : fs.readFileSync(caFile),
        requestCert: requestClientCert,
        rejectUnauthorized: requestClientCert,
        minVersion: 'TLSv1.2',
      },
      handler,
    );
  } else {
    server = http.createServer(handler);
  }
  // headersTimeout: whole header section must arrive in time (slowloris); requestTimeout: whole request
  // including body; keepAliveTimeout: how long an idle kept-alive connection is held open.
  server.headersTimeout = settings.headersTimeoutMs;
  server.requestTimeout = settings.requestTimeoutMs;
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  return server;
}

/** Starts listening; resolves with the bound address (useful with port 0). */
export function listen(server: AppServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

export interface GracefulShutdownOptions {
  /** How long in-flight requests may take to finish before their connections are cut. */
  graceMs: number;
  /** Called first (e.g. health.startDraining so /readyz turns 503). */
  onDrainStart?: () => void;
  /** Wait this long after onDrainStart before refusing connections, so a load balancer can notice. */
  drainDelayMs?: number;
  /** Run in order once the server is closed: DB pool, Redis, caches... Failures are logged, not fatal. */
  closers?: readonly (() => Promise<unknown>)[];
  signals?: readonly NodeJS.Signals[];
  logger?: EngineLogger;
  /** Called at the end with the exit code; process.exit by default, replaceable in tests. */
  exit?: (code: number) => void;
}

export interface ShutdownController {
  /** Starts shutdown as a signal would; resolves when everything is closed (before `exit` is called). */
  shutdown(reason?: string): Promise<void>;
  readonly shuttingDown: boolean;
  /** Requests currently being answered. */
  readonly inFlight: number;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * On SIGTERM/SIGINT: mark not ready, stop accepting connections, let in-flight requests finish (answering
 * them with `Connection: close`), close idle keep-alive connections at once and everything left after
 * `graceMs`, run the closers, then exit 0. A second signal (1 s or more after the first) cuts the remaining
 * connections immediately.
 */
export function gracefulShutdown(server: AppServer, options: GracefulShutdownOptions): ShutdownController {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.logger;
  let shuttingDown = false;
  const active = new Set<http.ServerResponse>();
  let running: Promise<void> | undefined;

  // Prepended so it runs before the application answers (and can still add Connection: close).
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    active.add(res);
    // Requests arriving on an already-open keep-alive connection during draining are still answered,
    // but the connection is not kept for another one.
    if (shuttingDown) res.setHeader('Connection', 'close');
    const finished = () => {
      if (!active.delete(res)) return;
      if (shuttingDown) server.closeIdleConnections();
    };
    res.once('finish', finished);
    res.once('close', finished);
  });

  async function run(reason: string): Promise<void> {
    shuttingDown = true;
    for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
    log?.info('shutdown started', { reason, inFlight: active.size, graceMs: options.graceMs });
    options.onDrainStart?.();
    if (options.drainDelayMs) await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.graceMs);
    });
    const outcome = await Promise.race([closed.then(() => 'drained' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      log?.warn('grace period over; closing remaining connections', { inFlight: active.size });
      server.closeAllConnections();
      await closed;
    }
    log?.info('server closed', { outcome });

    for (const close of options.closers ?? []) {
      try {
        await close();
      } catch (error) {
        log?.error('closing a resource failed during shutdown', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    log?.info('shutdown complete');
  }

  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      // Ctrl-C reaches a clustered worker twice (SIGINT from the terminal's process group, SIGTERM from the
      // primary): only a deliberate later signal means "stop waiting".
      if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_WINDOW_MS) return;
      log?.warn('second signal during shutdown; closing all connections now', { signal });
      server.closeAllConnections();
      return;
    }
    firstSignalAt = Date.now();
    void controller.shutdown(signal).then(() => exit(0));
  };
  for (const signal of signals) process.on(signal, onSignal);

  const controller: ShutdownController = {
    shutdown(reason = 'requested') {
      running ??= run(reason);
      return running;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    get inFlight() {
      return active.size;
    },
    dispose() {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
  return controller;
}
