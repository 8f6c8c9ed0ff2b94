import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createHttpServer, gracefulShutdown, listen, type ServerSettings } from '../../src/ops/http-server';

const plain: ServerSettings = {
  https: { certFile: null, keyFile: null, caFile: null, requestClientCert: false },
  headersTimeoutMs: 1000,
  requestTimeoutMs: 5000,
  keepAliveTimeoutMs: 2000,
};

function startFixture(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures', 'shutdown-server.ts')],
    {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start: ${out}`)), 10000);
    child.stdout?.on('data', () => {
      const match = /port:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => out });
      }
    });
  });
}

function get(
  port: number,
  pathname: string,
  agent?: http.Agent,
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
  });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

describe('ops/http-server', () => {
  it('applies the configured timeouts', () => {
    const server = createHttpServer(() => undefined, plain);
    assert.equal(server.headersTimeout, 1000);
    assert.equal(server.requestTimeout, 5000);
    assert.equal(server.keepAliveTimeout, 2000);
  });

  describe('HTTPS', () => {
    let dir: string;
    before(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-tls-'));
      const openssl = (...args: string[]) => {
        const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
      };
      if (spawnSync('openssl', ['version']).status !== 0) this.skip();
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '2',
        '-subj',
        '/CN=test-ca',
      );
      for (const name of ['server', 'client']) {
        openssl(
          'req',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          `${name}.key`,
          '-out',
          `${name}.csr`,
          '-subj',
          `/CN=${name === 'server' ? '127.0.0.1' : 'partner-client'}`,
        );
        fs.writeFileSync(
          path.join(dir, `${name}.ext`),
          name === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n',
        );
        openssl(
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-out',
          `${name}.pem`,
          '-days',
          '2',
          '-extfile',
          `${name}.ext`,
        );
      }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const request = (port: number, withClientCert: boolean) =>
      new Promise<string>((resolve, reject) => {
        const req = https.get(
          {
            host: '127.0.0.1',
            port,
            path: '/',
            ca: fs.readFileSync(path.join(dir, 'ca.pem')),
            cert: withClientCert ? fs.readFileSync(path.join(dir, 'client.pem')) : undefined,
            key: withClientCert ? fs.readFileSync(path.join(dir, 'client.key')) : undefined,
            agent: false,
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve(body));
          },
        );
        req.on('error', reject);
      });

    it('serves HTTPS when a certificate and key are configured, and can require client certificates', async () => {
      const file = (name: string) => path.join(dir, name);
      const server = createHttpServer(
        (req, res) => {
          const socket = req.socket as TLSSocket;
          res.end(`hello ${socket.getPeerCertificate?.().subject?.CN ?? 'anonymous'}`);
        },
        {
          ...plain,
          https: {
            certFile: file('server.pem'),
            keyFile: file('server.key'),
            caFile: file('ca.pem'),
            requestClientCert: true,
          },
        },
      );
      const { port } = await listen(server, 0, '127.0.0.1');
      try {
        assert.equal(await request(port, true), 'hello partner-client');
        await assert.rejects(request(port, false));
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  it('in-process: drains, answers in-flight requests with Connection: close, runs closers in order', async () => {
    const events: string[] = [];
    const server = createHttpServer((req, res) => {
      setTimeout(() => res.end('ok'), req.url === '/slow' ? 300 : 0);
    }, plain);
    const controller = gracefulShutdown(server, {
      graceMs: 2000,
      signals: [],
      onDrainStart: () => events.push('drain'),
      closers: [
        async () => events.push('db'),
        async () => Promise.reject(new Error('redis already gone')),
        async () => events.push('cache'),
      ],
      exit: () => events.push('exit'),
    });
    const { port } = await listen(server, 0, '127.0.0.1');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await get(port, '/fast', agent)).status, 200);
    const slow = get(port, '/slow', agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(controller.inFlight, 1);
    const done = controller.shutdown('test');
    const answer = await slow;
    assert.equal(answer.status, 200);
    assert.equal(answer.connection, 'close');
    await done;
    assert.deepEqual(events, ['drain', 'db', 'cache']);
    await assert.rejects(get(port, '/fast'), /ECONNREFUSED/);
    agent.destroy();
  });

  it('child process: SIGTERM lets an in-flight request finish, refuses new connections, closes resources, exits 0', async () => {
    const { child, port, output } = await startFixture({ GRACE_MS: '3000' });
    const inFlight = get(port, '/slow?ms=800');
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await assert.rejects(get(port, '/slow?ms=0'), /ECONNREFUSED/);
    const answer = await inFlight;
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'done after 800');
    const { code } = await exited(child);
    assert.equal(code, 0, output());
    const events = output()
      .split('\n')
      .filter((l) => l.startsWith('event:'));
    assert.deepEqual(events, ['event:drain-start', 'event:closed-database', 'event:closed-redis']);
  });

  it('child process: a request outliving the grace period is cut and the process still exits 0', async () => {
    const { child, port, output } = await startFixture({ GRACE_MS: '300' });
    const stuck = get(port, '/slow?ms=10000');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    child.kill('SIGTERM');
    await assert.rejects(stuck, /socket hang up|ECONNRESET/);
    const { code } = await exited(child);
    assert.equal(code, 0, output());
    assert.ok(Date.now() - started < 3000, `exited after ${Date.now() - started} ms`);
  });

  it('child process: SIGINT+SIGTERM together (Ctrl-C under the cluster primary) still drain; a later signal cuts', async () => {
    const { child, port, output } = await startFixture({ GRACE_MS: '10000' });
    const inFlight = get(port, '/slow?ms=600');
    const stuck = get(port, '/slow?ms=20000');
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGINT');
    child.kill('SIGTERM');
    assert.equal((await inFlight).status, 200, 'the duplicate signal did not cut the in-flight request');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = Date.now();
    child.kill('SIGTERM');
    await assert.rejects(stuck, /socket hang up|ECONNRESET/);
    const { code } = await exited(child);
    assert.equal(code, 0, output());
    assert.ok(Date.now() - started < 3000);
  });
});
