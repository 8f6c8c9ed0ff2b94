/**
 * Real processes for the end-to-end ops suites: `partner-orders serve` instances and an nginx in front of
 * them, each on a free loopback port, each stopped by the suite's `after()` (and killed if it does not stop).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/ports';

export { freePort };

export const PROJECT_ROOT = path.join(__dirname, '..', '..', '..');
export const NGINX_BINARY = '/usr/sbin/nginx';

export function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends `signal`, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export interface ServiceInstance {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly ordersUrl: string;
  readonly adminUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The JSON lines of its log (non-JSON lines such as the banner are skipped). */
  logLines(): Record<string, unknown>[];
}

export interface ServiceOptions {
  name: string;
  /** Environment on top of the test runner's (NODE_ENV defaults to test); undefined removes a variable. */
  env: Record<string, string | undefined>;
  port?: number;
  startTimeoutMs?: number;
}

/**
 * Starts `partner-orders serve --port <p> --host 127.0.0.1` as one node process (node --require tsx/cjs,
 * not the tsx wrapper, so a signal reaches the server itself and SIGKILL really kills it) and resolves
 * once its /readyz answers 200.
 */
export async function startService(options: ServiceOptions): Promise<ServiceInstance> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts'),
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  const instance: ServiceInstance = {
    name: options.name,
    child,
    port,
    url,
    ordersUrl: `${url}/soap/v1/orders`,
    adminUrl: `${url}/soap/v1/admin`,
    output: () => out,
    logLines: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `instance ${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${out}`,
      );
    }
    try {
      const response = await fetch(`${url}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) return instance;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopProcess(child, 'SIGKILL');
      throw new Error(`instance ${options.name} not ready on port ${port} in time:\n${out}`);
    }
    await sleep(100);
  }
}

export function nginxAvailable(): boolean {
  return fs.existsSync(NGINX_BINARY) && spawnSync(NGINX_BINARY, ['-v'], { stdio: 'pipe' }).status === 0;
}

export interface NginxOptions {
  upstreamPorts: readonly number[];
  /** What nginx may retry on another instance (the proxy_next_upstream value). */
  nextUpstream: string;
}

export interface RunningNginx {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly config: string;
  stop(): Promise<void>;
}

/**
 * The test variant of deploy/nginx.conf.example: same upstream and proxy settings, plain HTTP on a free
 * loopback port, every file (pid, logs, temp paths) inside a temp dir. X-Upstream tells the test which
 * instance answered.
 */
export function nginxConfig(dir: string, listenPort: number, options: NginxOptions): string {
  const servers = options.upstreamPorts
    .map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=30s;`)
    .join('\n');
  // As root the master would start its worker as "nobody", which cannot use a temp dir made by root.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `# generated by test/ops-e2e/support/processes.ts
${user}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  upstream partner_orders {
${servers}
    keepalive 32;
    keepalive_timeout 4s;
  }

  server {
    listen 127.0.0.1:${listenPort};
    client_max_body_size 1m;

    location / {
      proxy_pass http://partner_orders;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      proxy_next_upstream ${options.nextUpstream};
      proxy_next_upstream_tries 2;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-e2e-nginx-'));
  const port = await freePort();
  const configPath = path.join(dir, 'nginx.conf');
  const config = nginxConfig(dir, port, options);
  fs.writeFileSync(configPath, config);
  const check = spawnSync(NGINX_BINARY, ['-t', '-p', dir, '-c', configPath], { stdio: 'pipe' });
  if (check.status !== 0)
    throw new Error(`generated nginx.conf does not pass nginx -t:\n${check.stderr.toString()}\n${config}`);
  const child = spawn(NGINX_BINARY, ['-p', dir, '-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    await waitForPort(port);
  } catch (error) {
    await stopProcess(child, 'SIGKILL');
    throw new Error(`nginx did not start: ${String(error)}\n${stderr}`);
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    config,
    async stop() {
      // SIGQUIT is nginx's graceful stop; its master then ends its worker.
      await stopProcess(child, 'SIGQUIT', 3000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resident set size and its peak so far (VmRSS, VmHWM from /proc), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}
