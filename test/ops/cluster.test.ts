import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

interface Line {
  message: string;
  pid?: number;
  port?: number;
  [key: string]: unknown;
}

function get(port: number, pathname: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ops/cluster', function () {
  this.timeout(30000);
  let primary: ChildProcess | undefined;
  const lines: Line[] = [];
  after(() => {
    if (primary && primary.exitCode === null) primary.kill('SIGKILL');
  });

  async function waitFor(predicate: () => boolean, what: string, ms = 15000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline)
        assert.fail(`timed out waiting for ${what}; output:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('restarts a crashed worker and stops every worker on SIGTERM, exiting 0', async () => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures', 'cluster-app.ts')],
      {
        cwd: path.join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    primary = child;
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (text.trim()) lines.push(JSON.parse(text) as Line);
      }
    });
    const listening = () => lines.filter((l) => l.message === 'worker listening');
    await waitFor(() => listening().length === 2, 'two workers');
    const port = listening()[0].port ?? 0;
    assert.ok(
      listening().every((l) => l.port === port),
      'workers share one port',
    );

    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) seen.add(await get(port, '/'));
    assert.equal(seen.size, 2, 'both workers answer');

    const crashedPid = Number(await get(port, '/crash'));
    await waitFor(
      () => lines.some((l) => l.message === 'worker died; restarting' && l.pid === crashedPid),
      'the crash to be noticed',
    );
    await waitFor(() => listening().length === 3, 'a replacement worker');
    const replacement = listening()[2].pid ?? 0;
    assert.notEqual(replacement, crashedPid);
    const pids = new Set<number>();
    for (let i = 0; i < 40 && pids.size < 2; i++) pids.add(Number(await get(port, '/')));
    assert.ok(pids.has(replacement), 'the replacement serves requests');
    assert.ok(!pids.has(crashedPid));

    const workerPids = [...pids];
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 0);
    assert.equal(lines.filter((l) => l.message === 'worker closed').length, 2, 'each worker shut down gracefully');
    assert.ok(
      !lines.some(
        (l) =>
          l.message === 'worker started' &&
          lines.indexOf(l) > lines.findIndex((x) => x.message === 'cluster shutdown started'),
      ),
      'no restart during shutdown',
    );
    for (const pid of workerPids) assert.equal(alive(pid), false, `worker ${pid} is gone`);
  });
});
