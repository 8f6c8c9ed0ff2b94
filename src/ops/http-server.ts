/**
 * The listening socket: HTTP, or HTTPS when a certificate and key are configured (optionally requiring a
 * client certificate), with timeouts against slow clients, and graceful shutdown on SIGTERM/SIGINT that
 * never accepts a connection it then drops.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { EngineLogger } from '../soap';
import type { ServerConfig } from '../config';

const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

export type ServerSettings = Pick<
  ServerConfig,
  'https' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'
>;

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
  /** How long in-flight requests may take to finish, after the listener closed, before their connections are cut. */
  graceMs: number;
  /** Called first (e.g. health.startDraining so /readyz turns 503). */
  onDrainStart?: () => void;
  /**
   * How long the listener keeps accepting and answering after onDrainStart, so load balancers see the 503
   * from /readyz and stop routing here before connections would be refused (server.drainDelayMs).
   */
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
 * How long after the listener closed a connection accepted before may take to send its first request: it
 * was accepted, so it is answered (Node's own server.close() would destroy it as "idle" without reading it).
 */
const FIRST_REQUEST_GRACE_MS = 1000;

interface ConnectionState {
  readonly acceptedAt: number;
  /** Requests begun on this connection, and those of them not finished yet. */
  requests: number;
  active: number;
}

/**
 * On SIGTERM/SIGINT, in this order: /readyz turns 503 (onDrainStart) while the listener keeps accepting and
 * answering for `drainDelayMs`, every response from then on carrying `Connection: close`; then the listener
 * closes; idle kept-alive connections are closed, connections that were accepted but have not sent their
 * request yet get up to FIRST_REQUEST_GRACE_MS to send it and are answered; in-flight requests finish; what
 * is left after `graceMs` is cut. Then the closers run and the process exits 0. A second signal (1 s or
 * more after the first) cuts the remaining connections immediately.
 */
export function gracefulShutdown(server: AppServer, options: GracefulShutdownOptions): ShutdownController {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.logger;
  let shuttingDown = false;
  /** When the listener closed (epoch ms), once it has. */
  let listenerClosedAt: number | undefined;
  const active = new Set<http.ServerResponse>();
  const connections = new Map<Socket, ConnectionState>();
  let running: Promise<void> | undefined;

  // Over TLS the request's socket is the TLSSocket of 'secureConnection' (a handshake still under way when
  // the listener closes keeps the server open until it completes, and is then tracked like any other).
  server.on(server instanceof tls.Server ? 'secureConnection' : 'connection', (socket: Socket) => {
    connections.set(socket, { acceptedAt: Date.now(), requests: 0, active: 0 });
    socket.once('close', () => connections.delete(socket));
  });

  /** Closes connections that will not carry another request: idle after a response, or silent too long. */
  function closeUnneededConnections(): void {
    if (listenerClosedAt === undefined) return;
    const now = Date.now();
    for (const [socket, state] of connections) {
      if (state.active > 0) continue;
      const silentSince = Math.max(state.acceptedAt, listenerClosedAt);
      if (state.requests > 0 || now - silentSince >= FIRST_REQUEST_GRACE_MS) socket.destroy();
    }
  }

  // Prepended so it runs before the application answers (and can still add Connection: close).
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    active.add(res);
    const state = connections.get(req.socket);
    if (state !== undefined) {
      state.requests++;
      state.active++;
    }
    // Requests arriving during the drain are still answered, but the connection is not kept for another one.
    if (shuttingDown) res.setHeader('Connection', 'close');
    const finished = () => {
      if (!active.delete(res)) return;
      if (state !== undefined) state.active--;
      if (shuttingDown) setImmediate(closeUnneededConnections);
    };
    res.once('finish', finished);
    res.once('close', finished);
  });

  async function run(reason: string): Promise<void> {
    shuttingDown = true;
    for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
    const drainDelayMs = options.drainDelayMs ?? 0;
    log?.info('shutdown started', { reason, inFlight: active.size, drainDelayMs, graceMs: options.graceMs });
    options.onDrainStart?.();
    if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));

    // net.Server's close, not http.Server's: the latter also destroys every connection without an active
    // request, including one accepted a moment ago whose request has not been read yet (issue 15: such a
    // connection was accepted and closed without an answer). Those are handled by closeUnneededConnections.
    const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    listenerClosedAt = Date.now();
    log?.info('listener closed; draining', { inFlight: active.size, connections: connections.size });
    closeUnneededConnections();
    const sweeper = setInterval(closeUnneededConnections, 100);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.graceMs);
    });
    const outcome = await Promise.race([closed.then(() => 'drained' as const), graceOver]);
    clearTimeout(timer);
    clearInterval(sweeper);
    if (outcome === 'timeout') {
      log?.warn('grace period over; closing remaining connections', { inFlight: active.size });
      for (const socket of connections.keys()) socket.destroy();
      server.closeAllConnections();
      await closed;
    }
    log?.info('server closed', { outcome });

    for (const close of options.closers ?? []) {
      try {
        await close();
      } catch (error) {
        log?.error('closing a resource failed during shutdown', {
          error: error instanceof Error ? error.message : String(error),
        });
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
      for (const socket of connections.keys()) socket.destroy();
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
