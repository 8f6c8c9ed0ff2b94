// `npm start` as a process manager runs it: the second start skips the TypeScript build (and its time to
// ready is measured), SIGTERM to the npm process (not to node) drains the server and leaves no process
// behind, every request in flight at the signal is answered, a connection arriving just after the signal
// is answered (the listener stays open for server.drainDelayMs while /readyz already says 503), a
// connection accepted before the listener closed but silent until after it is still answered, and only
// then are new connections refused. npm itself exits 0.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEV_DEMO_PASSWORDS } from '../../src/server';
import { soap11 } from '../support/app-server';
import { exited, freePort, sleep, PROJECT_ROOT } from './support/processes';
import { getProduct } from './support/soap';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require(path.join(PROJECT_ROOT, 'bin', 'build.js')) as {
  buildIfStale(log: (line: string) => void): boolean;
  buildState(): string;
};

const DRAIN_DELAY_MS = 1500;

/** A request sent over a raw socket in parts, so it can be in flight (half sent) across the signal. */
class StagedRequest {
  private readonly socket: net.Socket;
  private received = Buffer.alloc(0);
  readonly answered: Promise<{ status: number; connection: string | undefined; error?: string }>;
  readonly connected: Promise<void>;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.answered = new Promise((resolve) => {
      this.socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
      const done = (error?: string) => {
        const head = this.received.toString('latin1');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
        resolve({
          status,
          connection: /\r\nconnection: ([^\r]+)/i.exec(head)?.[1],
          error: status === 0 ? (error ?? 'closed without an answer') : undefined,
        });
      };
      this.socket.on('error', (error) => done(error.message));
      this.socket.on('close', () => done());
    });
  }

  static envelope(): Buffer {
    return Buffer.from(
      soap11(getProduct('FAS-SCR-4X40'), { username: 'demo', password: DEV_DEMO_PASSWORDS.demo }),
      'utf8',
    );
  }

  head(bodyLength: number): string {
    return (
      'POST /soap/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n' +
      `SOAPAction: "urn:partner-orders:v1/GetProduct"\r\nContent-Length: ${bodyLength}\r\n\r\n`
    );
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }
}

function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      all.push(child);
      walk(child);
    }
  };
  walk(pid);
  return all;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Started {
  child: ChildProcess;
  port: number;
  readyMs: number;
  output: () => string;
}

async function npmStart(env: NodeJS.ProcessEnv): Promise<Started> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn('npm', ['start', '--silent', '--', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) return { child, port, readyMs: Date.now() - started, output: () => out };
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) throw new Error(`npm start not ready after 120 s:\n${out}`);
    await sleep(20);
  }
}

describe('ops e2e: npm start starts fast and stops like a service', function () {
  this.timeout(600_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const leftovers: ChildProcess[] = [];

  before(function () {
    // The first build of a fresh checkout compiles everything; that is not what is measured here.
    assert.ok(
      build.buildIfStale((line) => process.stdout.write(`      ${line}\n`)),
      'the TypeScript build failed',
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-npm-start-'));
    env = {
      ...process.env,
      NODE_ENV: 'test',
      SQLITE_FILENAME: path.join(dir, 'orders.sqlite'),
      DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      SHUTDOWN_GRACE_MS: '5000',
      LOG_LEVEL: 'info',
    };
  });
  after(async () => {
    for (const child of leftovers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a second start skips the build and is ready quickly (measured)', async () => {
    assert.equal(build.buildState(), 'fresh');
    const first = await npmStart(env);
    leftovers.push(first.child);
    first.child.kill('SIGTERM');
    await exited(first.child);
    const second = await npmStart(env);
    leftovers.push(second.child);
    const [server] = descendantsOf(second.child.pid as number);
    const cpu = cpuSeconds(server);
    const [load1] = os.loadavg();
    process.stdout.write(
      `      second npm start to ready: ${second.readyMs} ms wall, server ${cpu.toFixed(2)} s CPU (load average ${load1.toFixed(1)} on ${os.cpus().length} cores)\n`,
    );
    assert.doesNotMatch(second.output(), /compiling TypeScript/);
    second.child.kill('SIGTERM');
    await exited(second.child);
    // On a machine busier than its core count wall time measures the neighbours; the CPU time does not.
    if (load1 < os.cpus().length) assert.ok(second.readyMs < 3000, `${second.readyMs} ms to ready`);
    assert.ok(cpu < 3, `${cpu} s of CPU to ready`);
  });

  it('SIGTERM to npm: /readyz 503 at once, in-flight and late-arriving requests answered, then refused, exit 0, no process left', async () => {
    const { child, port, output } = await npmStart(env);
    leftovers.push(child);
    const tree = [child.pid as number, ...descendantsOf(child.pid as number)];
    assert.ok(tree.length >= 2, `npm and the server: ${tree.join(',')}`);

    const body = StagedRequest.envelope();
    // In flight at the signal: headers and half the body sent.
    const inFlight = Array.from({ length: 5 }, () => new StagedRequest(port));
    await Promise.all(inFlight.map((r) => r.connected));
    for (const r of inFlight) r.write(r.head(body.length) + body.subarray(0, 100).toString('latin1'));
    // Accepted before the signal, silent until the listener has closed.
    const silent = new StagedRequest(port);
    await silent.connected;
    await sleep(200);

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await sleep(10);
    // Right after the signal: a new connection, and the readiness a load balancer would poll.
    const late = new StagedRequest(port);
    await late.connected;
    late.write(late.head(body.length));
    late.write(body);
    // npm forwards the signal to the server; from then on /readyz says 503 while requests are still served.
    let readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
    let readyzBody = (await readyz.json()) as { status: string };
    while (readyz.status === 200 && Date.now() - signalledAt < DRAIN_DELAY_MS / 2) {
      await sleep(10);
      readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
      readyzBody = (await readyz.json()) as { status: string };
    }
    const notReadyAfterMs = Date.now() - signalledAt;
    const healthz = await fetch(`http://127.0.0.1:${port}/healthz`);
    await healthz.arrayBuffer();

    await sleep(200);
    for (const r of inFlight) r.write(body.subarray(100));
    // After the drain delay the listener closes: then the silent connection sends its request.
    await sleep(DRAIN_DELAY_MS + 100 - (Date.now() - signalledAt));
    let refused: string | undefined;
    try {
      await new StagedRequest(port).connected;
    } catch (error) {
      refused = (error as NodeJS.ErrnoException).code;
    }
    silent.write(silent.head(body.length));
    silent.write(body);

    const answers = await Promise.all([...inFlight, late, silent].map((r) => r.answered));
    const code = await new Promise<number | null>((resolve) =>
      child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (c) => resolve(c)),
    );
    const stoppedMs = Date.now() - signalledAt;
    await sleep(200);
    const survivors = tree.filter(alive);
    process.stdout.write(
      `      SIGTERM to /readyz 503: ${notReadyAfterMs} ms; to exit: ${stoppedMs} ms (drain delay ${DRAIN_DELAY_MS} ms); answers ${answers.map((a) => a.status).join(',')}\n`,
    );

    assert.equal(readyz.status, 503, JSON.stringify(readyzBody));
    assert.equal(readyzBody.status, 'draining');
    assert.equal(healthz.status, 200);
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(7).fill(200),
      JSON.stringify(answers),
    );
    for (const answer of answers) assert.equal(answer.connection, 'close');
    assert.equal(refused, 'ECONNREFUSED', 'after the drain delay the listener is closed');
    assert.equal(code, 0, output());
    assert.deepEqual(survivors, [], `processes left: ${survivors.join(',')}`);
    assert.match(output(), /shutdown complete/);
  });
});
