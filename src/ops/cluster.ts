/**
 * `serve --workers N`: a node:cluster primary that forks N workers sharing the listening port, restarts a
 * worker that dies (with exponential backoff when it keeps dying quickly, never during shutdown), and on
 * SIGTERM/SIGINT forwards SIGTERM to every worker (each drains gracefully) and exits 0 once they are gone.
 */
import cluster, { type Worker } from 'node:cluster';
import type { EngineLogger } from '../soap';

export interface ClusterOptions {
  /** Default: warnings and errors (crashes, restarts, forced kills) as JSON lines on stderr. */
  logger?: EngineLogger;
  /** Delay before the first restart after a quick crash; doubles per further quick crash. */
  restartDelayMs?: number;
  restartDelayMaxMs?: number;
  /** A worker that ran this long before dying counts as healthy: its slot's backoff starts over. */
  stableAfterMs?: number;
  /** After forwarding SIGTERM, workers still alive after this long are killed (grace + margin). */
  shutdownTimeoutMs?: number;
  signals?: readonly NodeJS.Signals[];
  exit?: (code: number) => void;
}

export interface ClusterPrimary {
  /** Live workers by slot (0..N-1). */
  workers(): ReadonlyMap<number, Worker>;
  /** Number of restarts so far. */
  readonly restarts: number;
  shutdown(reason?: string): Promise<void>;
}

/** Without a logger, crashes and restarts still reach stderr as JSON lines (never silent). */
const stderrLogger: EngineLogger = {
  debug() {},
  info() {},
  warn: (message, meta) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...meta })}\n`),
  error: (message, meta) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...meta })}\n`),
};

interface Slot {
  worker?: Worker;
  startedAt: number;
  quickCrashes: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * In the primary: forks the workers and supervises them, returning the controller. In a worker: runs
 * `startWorker` (which builds and starts the server) and returns undefined.
 */
export async function runClustered(
  workerCount: number,
  startWorker: () => void | Promise<void>,
  options: ClusterOptions = {},
): Promise<ClusterPrimary | undefined> {
  if (!cluster.isPrimary) {
    await startWorker();
    return undefined;
  }
  const log = options.logger ?? stderrLogger;
  const restartDelayMs = options.restartDelayMs ?? 200;
  const restartDelayMaxMs = options.restartDelayMaxMs ?? 30_000;
  const stableAfterMs = options.stableAfterMs ?? 10_000;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));

  const slots = new Map<number, Slot>();
  let restarts = 0;
  let shuttingDown = false;
  let allGone: (() => void) | undefined;

  function fork(index: number): void {
    const slot = slots.get(index) ?? { startedAt: 0, quickCrashes: 0 };
    slots.set(index, slot);
    slot.restartTimer = undefined;
    slot.startedAt = Date.now();
    const worker = cluster.fork({ WORKER_INDEX: String(index) });
    slot.worker = worker;
    log?.info('worker started', { index, pid: worker.process.pid });
    worker.once('exit', (code, signal) => onExit(index, worker, code, signal));
  }

  function liveWorkers(): Map<number, Worker> {
    const live = new Map<number, Worker>();
    for (const [index, slot] of slots) if (slot.worker !== undefined) live.set(index, slot.worker);
    return live;
  }

  function onExit(index: number, worker: Worker, code: number | null, signal: string | null): void {
    const slot = slots.get(index);
    if (slot === undefined || slot.worker !== worker) return;
    slot.worker = undefined;
    if (shuttingDown) {
      log?.info('worker stopped', { index, pid: worker.process.pid, code, signal });
      if (liveWorkers().size === 0) allGone?.();
      return;
    }
    const ranForMs = Date.now() - slot.startedAt;
    slot.quickCrashes = ranForMs >= stableAfterMs ? 1 : slot.quickCrashes + 1;
    const delay = Math.min(restartDelayMaxMs, restartDelayMs * 2 ** (slot.quickCrashes - 1));
    log?.error('worker died; restarting', {
      index,
      pid: worker.process.pid,
      code,
      signal,
      ranForMs,
      restartInMs: delay,
    });
    restarts++;
    slot.restartTimer = setTimeout(() => {
      if (!shuttingDown) fork(index);
    }, delay);
  }

  let stopping: Promise<void> | undefined;
  async function stop(reason: string): Promise<void> {
    shuttingDown = true;
    log?.info('cluster shutdown started', { reason });
    for (const slot of slots.values()) clearTimeout(slot.restartTimer);
    const live = liveWorkers();
    if (live.size > 0) {
      const gone = new Promise<void>((resolve) => (allGone = resolve));
      for (const worker of live.values()) worker.process.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), shutdownTimeoutMs)),
      );
      const outcome = await Promise.race([gone.then(() => 'gone' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        for (const worker of liveWorkers().values()) {
          log?.warn('worker did not stop in time; killing it', { pid: worker.process.pid });
          worker.process.kill('SIGKILL');
        }
        await gone;
      }
    }
    log?.info('cluster shutdown complete');
  }

  const controller: ClusterPrimary = {
    workers: liveWorkers,
    get restarts() {
      return restarts;
    },
    shutdown(reason = 'requested') {
      stopping ??= stop(reason);
      return stopping;
    },
  };

  for (const signal of signals) {
    process.on(signal, (received: NodeJS.Signals) => {
      if (stopping !== undefined) return;
      void controller.shutdown(received).then(() => exit(0));
    });
  }

  for (let index = 0; index < workerCount; index++) fork(index);
  return controller;
}
