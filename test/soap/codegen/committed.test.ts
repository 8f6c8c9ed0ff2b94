import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateEntry, readCodegenConfig, runCodegen } from '../../../src/soap/codegen/run';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('codegen: committed output', () => {
  it('codegen.json lists the echo contract', () => {
    const entries = readCodegenConfig(ROOT);
    assert.ok(
      entries.some(
        (e) => e.id === 'echo' && e.wsdl === 'test/fixtures/echo/echo.wsdl' && e.out === 'test/fixtures/echo/generated',
      ),
    );
  });

  for (const entry of readCodegenConfig(ROOT)) {
    it(`regenerating "${entry.id}" gives exactly the committed files`, () => {
      const generated = generateEntry(entry, ROOT);
      for (const [file, text] of generated) {
        const abs = path.join(ROOT, file);
        assert.ok(fs.existsSync(abs), `${file} is missing; run npm run codegen`);
        assert.ok(
          fs.readFileSync(abs, 'utf8') === text,
          `${file} differs from what codegen generates; run npm run codegen`,
        );
      }
      const onDisk = fs
        .readdirSync(path.join(ROOT, entry.out))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.posix.join(entry.out, f));
      assert.deepEqual(onDisk.sort(), [...generated.keys()].sort(), 'no stale generated files');
    });
  }
});

describe('codegen: write and --check', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-run-'));
    fs.cpSync(path.join(ROOT, 'test/fixtures/echo'), path.join(dir, 'contract'), {
      recursive: true,
      filter: (src) => !src.includes('generated'),
    });
    fs.writeFileSync(
      path.join(dir, 'codegen.json'),
      JSON.stringify([{ id: 'echo', wsdl: 'contract/echo.wsdl', out: 'out/echo' }]),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates, then reports nothing; updates changed files and deletes stale ones', () => {
    assert.deepEqual(
      runCodegen(dir, { write: false }).map((c) => c.change),
      ['create', 'create', 'create', 'create', 'create'],
    );
    assert.equal(fs.existsSync(path.join(dir, 'out')), false, 'check mode writes nothing');
    assert.equal(runCodegen(dir, { write: true }).length, 5);
    assert.deepEqual(runCodegen(dir, { write: false }), []);
    fs.appendFileSync(path.join(dir, 'out/echo/types.ts'), '// edited by hand\n');
    fs.writeFileSync(path.join(dir, 'out/echo/old.ts'), 'export {};\n');
    assert.deepEqual(runCodegen(dir, { write: false }), [
      { file: 'out/echo/types.ts', change: 'update' },
      { file: 'out/echo/old.ts', change: 'delete' },
    ]);
    runCodegen(dir, { write: true });
    assert.deepEqual(runCodegen(dir, { write: false }), []);
    assert.equal(fs.existsSync(path.join(dir, 'out/echo/old.ts')), false);
  });

  it('the CLI exits 1 with --check when files would change, 0 when up to date, 2 on a broken contract', function () {
    this.timeout(60000);
    const cli = (...args: string[]) =>
      spawnSync(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        [path.join(ROOT, 'src/cli/main.ts'), 'codegen', '--root', dir, ...args],
        { encoding: 'utf8' },
      );
    let r = cli('--check');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /would create out\/echo\/types\.ts/);
    assert.match(r.stdout, /5 file\(s\) out of date/);
    r = cli();
    assert.equal(r.status, 0, r.stderr);
    r = cli('--check');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /up to date/);
    fs.writeFileSync(
      path.join(dir, 'contract/echo.wsdl'),
      fs
        .readFileSync(path.join(dir, 'contract/echo.wsdl'), 'utf8')
        .replace('EchoPrimitives" style="document"', 'EchoPrimitives" style="rpc"'),
    );
    r = cli('--check');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /codegen failed: contract\/echo\.wsdl: wsdl:binding "EchoSoap11Binding" operation "EchoPrimitives" style="rpc"/,
    );
  });

  it('--help describes the command', () => {
    const r = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'src/cli/main.ts'), 'codegen', '--help'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--check/);
    assert.match(r.stdout, /generate TypeScript types/);
  });
});
