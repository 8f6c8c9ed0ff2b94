/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`). A load balancer takes an instance
 * out of rotation on 503 from /readyz, so it answers 503 only for what makes this instance useless (a
 * failing check: the database) and while draining, which graceful shutdown relies on. A dependency that
 * only makes things shared (Redis) is a degradation: /readyz stays 200 with status "degraded" and the
 * reason, since every instance shares that dependency and a 503 would take them all out at once.
 */
import type { Request, Response } from 'express';

/** Resolves when the dependency is reachable; rejects (or outlasts the timeout) when it is not. */
export type ReadinessCheck = () => Promise<unknown>;

/** Why the instance runs degraded because of one dependency, or undefined when it does not. Synchronous: no waiting. */
export type DegradationCheck = () => string | undefined;

export interface HealthOptions {
  /** e.g. { database: () => db.ping(), redis: () => redis.ping() }; Redis only when configured. */
  checks: Readonly<Record<string, ReadinessCheck>>;
  /** e.g. { redis: () => circuit open ? reason : undefined }. */
  degradations?: Readonly<Record<string, DegradationCheck>>;
  /** Per check; a slow dependency counts as down. */
  timeoutMs?: number;
}

export interface CheckResult {
  status: 'ok' | 'fail';
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  /** 'ready' and 'degraded' answer 200; 'not-ready' and 'draining' 503. */
  status: 'ready' | 'degraded' | 'not-ready' | 'draining';
  checks: Record<string, CheckResult>;
  /** Reasons by dependency, when degraded. */
  degraded?: Record<string, string>;
}

export interface Health {
  healthz(req: Request, res: Response): void;
  readyz(req: Request, res: Response): Promise<void>;
  /** From now on /readyz answers 503 (called when shutdown begins). */
  startDraining(): void;
  readonly draining: boolean;
  readiness(): Promise<ReadinessReport>;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(check),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', durationMs: elapsed() };
  } catch (error) {
    return { status: 'fail', durationMs: elapsed(), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function createHealth(options: HealthOptions): Health {
  const timeoutMs = options.timeoutMs ?? 1000;
  let draining = false;

  async function readiness(): Promise<ReadinessReport> {
    if (draining) return { status: 'draining', checks: {} };
    const names = Object.keys(options.checks);
    const results = await Promise.all(names.map((name) => runCheck(options.checks[name], timeoutMs)));
    const checks: Record<string, CheckResult> = {};
    names.forEach((name, i) => (checks[name] = results[i]));
    // Draining may have begun while the checks ran.
    if (draining) return { status: 'draining', checks };
    if (!results.every((r) => r.status === 'ok')) return { status: 'not-ready', checks };
    const degraded = degradedNow();
    return degraded === undefined ? { status: 'ready', checks } : { status: 'degraded', checks, degraded };
  }

  function degradedNow(): Record<string, string> | undefined {
    let degraded: Record<string, string> | undefined;
    for (const [name, check] of Object.entries(options.degradations ?? {})) {
      const reason = check();
      if (reason !== undefined) (degraded ??= {})[name] = reason;
    }
    return degraded;
  }

  return {
    healthz(_req, res) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(200).json({ status: 'ok' });
    },
    async readyz(_req, res) {
      const report = await readiness();
      res.setHeader('Cache-Control', 'no-store');
      res.status(report.status === 'ready' || report.status === 'degraded' ? 200 : 503).json(report);
    },
    startDraining() {
      draining = true;
    },
    get draining() {
      return draining;
    },
    readiness,
  };
}
