/**
 * The documentation's command blocks run as written (issue 17, point 5). A fenced block right after a
 * marker comment is taken from README.md and docs/*.md, in document order:
 *
 *   <!-- file: Name.java -->   the block is written to that file in the document's scratch directory
 *   <!-- run: sh -->           the block runs with bash -e in that directory
 *   <!-- run: python -->       the block runs with Debian's /usr/bin/python3
 *
 * The blocks name the server as http://localhost:8080 with the demo partner; the test serves a fresh,
 * seeded database on an ephemeral port of 127.0.0.1 and replaces that one origin, nothing else. Every
 * run block calls GetProduct for FAS-SCR-4X40 and must print it. A block whose tool is missing on this
 * machine is reported as skipped (CI installs them: default-jdk-headless, jaxws, python3-zeep, curl).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/app-server';

const ROOT = path.join(__dirname, '..', '..');
const DOCUMENTED_ORIGIN = 'http://localhost:8080';
const exec = promisify(execFile);

interface Block {
  document: string;
  kind: 'file' | 'run';
  /** File name for 'file', interpreter for 'run'. */
  target: string;
  content: string;
  line: number;
}

function markedBlocks(document: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- (file|run): (\S+)/.exec(lines[i]!);
    if (marker === null) continue;
    // One blank line may stand between marker and fence: Prettier writes one after an HTML comment.
    const open = lines[i + 1] === '' ? i + 2 : i + 1;
    const fence = /^(```+)\w*\s*$/.exec(lines[open] ?? '');
    assert.ok(fence !== null, `${document}:${i + 1}: a marker must be followed by a fenced block`);
    const end = lines.findIndex((line, index) => index > open && line === fence[1]);
    assert.ok(end > 0, `${document}:${open + 1}: unclosed block`);
    blocks.push({
      document,
      kind: marker[1] as 'file' | 'run',
      target: marker[2]!,
      content: `${lines.slice(open + 1, end).join('\n')}\n`,
      line: open + 1,
    });
    i = end;
  }
  return blocks;
}

function which(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, tool)));
}

/** Why a block cannot run here, or undefined. */
function missingTool(block: Block): string | undefined {
  if (block.target === 'python') {
    if (!fs.existsSync('/usr/bin/python3')) return '/usr/bin/python3';
    return undefined;
  }
  for (const tool of ['wsimport', 'javac', 'java', 'curl'])
    if (block.content.includes(tool) && !which(tool)) return tool;
  if (block.content.includes('/usr/share/java/jaxws-rt.jar') && !fs.existsSync('/usr/share/java/jaxws-rt.jar'))
    return 'jaxws-rt.jar (Debian jaxws)';
  return undefined;
}

const documents = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const blocks = documents.flatMap((doc) => markedBlocks(doc, fs.readFileSync(path.join(ROOT, doc), 'utf8')));

describe('documentation command blocks run as written', function () {
  this.timeout(300_000);
  let app: TestApp;
  const scratch = new Map<string, string>();

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
    for (const dir of scratch.values()) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the marked blocks: README curl, the Java client (file + wsimport/javac/java), the zeep snippet', () => {
    const found = blocks.map((b) => `${b.document} ${b.kind}:${b.target}`);
    assert.ok(found.includes('README.md run:sh'), found.join(', '));
    assert.ok(found.includes('docs/clients.md file:PartnerClient.java'), found.join(', '));
    assert.ok(found.includes('docs/clients.md run:sh'), found.join(', '));
    assert.ok(found.includes('docs/clients.md run:python'), found.join(', '));
    for (const block of blocks)
      assert.ok(
        block.content.includes(DOCUMENTED_ORIGIN),
        `${block.document}:${block.line} names ${DOCUMENTED_ORIGIN}`,
      );
  });

  for (const block of blocks) {
    it(`${block.document}:${block.line} ${block.kind} ${block.target}`, async function () {
      const dir = scratch.get(block.document) ?? fs.mkdtempSync(path.join(os.tmpdir(), 'po-doc-blocks-'));
      scratch.set(block.document, dir);
      const content = block.content.split(DOCUMENTED_ORIGIN).join(app.baseUrl);
      if (block.kind === 'file') {
        fs.writeFileSync(path.join(dir, block.target), content);
        return;
      }
      const missing = missingTool(block);
      if (missing !== undefined) {
        process.stderr.write(`  skipped: ${missing} is not installed\n`);
        this.skip();
      }
      const [command, args] =
        block.target === 'python'
          ? ['/usr/bin/python3', ['-c', content]]
          : ['bash', ['-e', '-o', 'pipefail', '-c', content]];
      const { stdout } = await exec(command, args as string[], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      assert.match(stdout, /FAS-SCR-4X40/, `output of ${block.document}:${block.line}: ${stdout}`);
    });
  }
});
