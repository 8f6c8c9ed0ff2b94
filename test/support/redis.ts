/**
 * Redis for tests: the circuit the service puts in front of a client, and a redis-server of the test's own
 * on a free loopback port (never the shared 6379) that the test may stall (SIGSTOP), resume, kill and
 * restart without disturbing anyone else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { createRedisCircuit, type RedisCircuit } from '../../src/ops/redis';
import { freePort } from './ports';

export const REDIS_SERVER_BINARY = '/usr/bin/redis-server';

/** The circuit with the defaults of config/default.json. */
export const circuitOf = (client: Redis): RedisCircuit =>
  createRedisCircuit(client, { commandTimeoutMs: 50, failureThreshold: 3, probeIntervalMs: 500 });

export function redisServerAvailable(): boolean {
  return fs.existsSync(REDIS_SERVER_BINARY);
}

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** SIGSTOP: the connection stays open, nothing is answered (a stalled or black-holed Redis). */
  stall(): void;
  /** SIGCONT after stall(). */
  resume(): void;
  /** SIGKILL; resolves when the process has gone. */
  kill(): Promise<void>;
  /** Starts a fresh server on the same port (after kill); resolves when it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function waitForRedis(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.write('PING\r\n');
        socket.once('data', () => {
          socket.destroy();
          resolve();
        });
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server on ${port} not up after ${timeoutMs} ms`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

/** A redis-server without persistence in a temp dir, on a free port. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-redis-'));
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      REDIS_SERVER_BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    await waitForRedis(port, 5000);
  };
  const gone = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => c.once('exit', () => resolve()));
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stall: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async kill() {
      if (child === undefined) return;
      const c = child;
      c.kill('SIGCONT');
      c.kill('SIGKILL');
      await gone(c);
    },
    restart: launch,
    async stop() {
      if (child !== undefined) {
        const c = child;
        c.kill('SIGCONT');
        c.kill('SIGKILL');
        await gone(c);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
