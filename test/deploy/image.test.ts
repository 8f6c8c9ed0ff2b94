// The Dockerfile. No container engine runs on this machine, so the image is not built here; instead the
// Dockerfile's shape is checked (multi-stage, production dependencies only, non-root, HEALTHCHECK) and the
// runtime stage's file layout is rebuilt from its COPY lines in a temp dir (no src/, compiled dist/) and run
// as the image would run it: NODE_ENV=production, its CMD, its HEALTHCHECK command, SIGTERM. The
// node_modules there is this checkout's (development dependencies included), not the pruned one.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exited, freePort, sleep } from '../ops-e2e/support/processes';

const ROOT = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require(path.join(ROOT, 'bin', 'build.js')) as { buildIfStale(log: (line: string) => void): boolean };

interface Stage {
  name: string;
  lines: string[];
}

function stages(): Stage[] {
  const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const result: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) result.push({ name: from[1], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

const instruction = (stage: Stage, name: string) => stage.lines.filter((l) => l.toUpperCase().startsWith(`${name} `));

describe('Dockerfile (no container engine here: shape checked, runtime layout run without one)', function () {
  this.timeout(600_000);

  it('is multi-stage: built with dev dependencies, run with production ones only, as a non-root user, with a HEALTHCHECK', () => {
    const [buildStage, runtime, ...rest] = stages();
    assert.equal(rest.length, 0);
    assert.ok(instruction(buildStage, 'RUN').some((l) => /npm ci\b/.test(l)));
    assert.ok(
      instruction(buildStage, 'RUN').some((l) => /npm prune --omit=dev/.test(l)),
      'dev dependencies pruned before they are copied',
    );
    assert.ok(instruction(runtime, 'COPY').some((l) => l.includes(`--from=${buildStage.name} /app/node_modules`)));
    assert.equal(
      instruction(runtime, 'COPY').some((l) => /\bsrc\b/.test(l)),
      false,
      'no sources in the image',
    );
    assert.match(
      instruction(runtime, 'USER').at(-1) ?? '',
      /^USER [1-9]\d*(:\d+)?$/,
      'a numeric non-root user (runAsNonRoot can check it)',
    );
    assert.equal(instruction(runtime, 'HEALTHCHECK').length, 1);
    assert.match(instruction(runtime, 'ENV').join(' '), /NODE_ENV=production/);
    assert.match(instruction(runtime, 'CMD').at(-1) ?? '', /"node", "bin\/partner-orders.js", "serve"/);
  });

  it('the runtime layout (its COPY lines, no src/) serves in production, passes its HEALTHCHECK, and drains on SIGTERM', async () => {
    assert.ok(
      build.buildIfStale((line) => process.stdout.write(`      ${line}\n`)),
      'the TypeScript build failed',
    );
    const runtime = stages()[1];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-image-'));
    try {
      for (const line of instruction(runtime, 'COPY')) {
        const [source, target] = line.split(/\s+/).slice(line.includes('--from=') ? 2 : 1);
        const from = path.join(ROOT, source.replace(/^\/app\//, ''));
        const to = target.endsWith('/') ? path.join(dir, target, path.basename(source)) : path.join(dir, target);
        if (source.endsWith('node_modules')) fs.symlinkSync(from, to);
        else fs.cpSync(from, to, { recursive: true });
      }
      assert.equal(fs.existsSync(path.join(dir, 'src')), false);
      fs.mkdirSync(path.join(dir, 'data'));
      const port = await freePort();
      const env = {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        SQLITE_FILENAME: path.join(dir, 'data', 'orders.sqlite'),
        SECRETS_KEY: randomBytes(32).toString('base64'),
        PAGING_TOKEN_KEY: randomBytes(32).toString('base64'),
        DRAIN_DELAY_MS: '500',
      };
      // The keys of secrets.env.example are refused: a forgotten fill-in stops start-up with a clear message.
      const refused = spawnSync(process.execPath, ['bin/partner-orders.js', 'serve'], {
        cwd: dir,
        env: { ...env, SECRETS_KEY: 'CHANGE-ME' },
        encoding: 'utf8',
      });
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /SECRETS_KEY/);

      const cmd = JSON.parse((instruction(runtime, 'CMD').at(-1) ?? '').slice(4)) as string[];
      assert.equal(cmd[0], 'node');
      const child = spawn(process.execPath, cmd.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      try {
        const deadline = Date.now() + 60_000;
        for (;;) {
          assert.equal(child.exitCode, null, out);
          const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.status,
            () => 0,
          );
          if (ready === 200) break;
          assert.ok(Date.now() < deadline, `not ready: ${out}`);
          await sleep(100);
        }
        const wsdl = await fetch(`http://127.0.0.1:${port}/soap/v1/orders?wsdl`);
        assert.equal(wsdl.status, 200);
        assert.match(await wsdl.text(), /wsdl:definitions|<definitions/);
        const healthcheck = JSON.parse(
          /HEALTHCHECK .*?CMD (\[.*\])$/.exec(instruction(runtime, 'HEALTHCHECK')[0])?.[1] ?? '[]',
        ) as string[];
        const probe = spawnSync(process.execPath, healthcheck.slice(1), { env, encoding: 'utf8' });
        assert.equal(probe.status, 0, probe.stderr);
      } finally {
        child.kill('SIGTERM');
        await exited(child);
      }
      assert.equal(child.exitCode, 0, out);
      assert.match(out, /shutdown complete/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
