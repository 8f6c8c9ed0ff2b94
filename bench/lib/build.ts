/**
 * Everything the servers run is built before any measurement: the TypeScript servers compiled with tsc
 * (servers run as plain `node` on JavaScript, no loader in the measured process), and the JAX-WS server
 * from wsimport's output for the bench WSDL plus BenchServer.java (cached by content hash).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process';

export interface BuildPaths {
  readonly root: string;
  readonly benchDir: string;
  readonly workDir: string;
  /** Compiled JavaScript of bench/ and src/ (rootDir = project root). */
  readonly distDir: string;
}

export const pathsFor = (root: string): BuildPaths => {
  const benchDir = join(root, 'bench');
  const workDir = join(benchDir, '.work');
  return { root, benchDir, workDir, distDir: join(workDir, 'dist') };
};

/** tsc -p bench/tsconfig.json. Type errors elsewhere in the tree (work in progress) do not stop emit. */
export async function compileTypeScript(paths: BuildPaths, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const marker = join(paths.distDir, 'bench', 'servers', 'ours.js');
  try {
    await run(join(paths.root, 'node_modules', '.bin', 'tsc'), ['-p', join(paths.benchDir, 'tsconfig.json')], {
      cwd: paths.root,
    });
  } catch (error) {
    if (!existsSync(marker) || statSync(marker).mtimeMs < started) throw error;
    const lines = (error as Error).message.split('\n').filter((line) => /error TS/.test(line));
    log(`tsc reported ${lines.length} type error(s) (JavaScript was emitted); first: ${lines[0] ?? '?'}`);
  }
  log(`compiled TypeScript in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export interface MetroBuild {
  readonly classpath: string;
  readonly jaxwsJar: string;
}

/** The JAX-WS runtime jar of Debian's jaxws package (its manifest Class-Path brings JAXB, SAAJ, ...). */
export function findJaxwsRuntime(): string | undefined {
  return ['/usr/share/java/jaxws-rt.jar'].find((path) => existsSync(path));
}

/** True when `command` is on PATH. */
export function commandAvailable(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Why an optional peer cannot run here, or undefined when everything it needs is installed; the bench skips
 * a missing peer with this reason instead of failing (e.g. `spawn wsimport ENOENT`).
 */
export function missingFor(peer: 'metro' | 'wss4j' | 'pgbench' | 'postgres'): string | undefined {
  const needs: Record<typeof peer, { commands: string[]; files: string[]; packages: string }> = {
    metro: {
      commands: ['java', 'javac', 'wsimport'],
      files: ['/usr/share/java/jaxws-rt.jar'],
      packages: 'Debian packages default-jdk and jaxws (wsimport, jaxws-rt.jar)',
    },
    wss4j: {
      commands: ['java', 'javac'],
      files: WSS4J_CLASSPATH,
      packages:
        'Debian packages default-jdk, libwss4j-java, libxml-security-java, libcommons-logging-java, libslf4j-java',
    },
    pgbench: {
      commands: ['pgbench', 'psql'],
      files: [],
      packages: 'Debian package postgresql-client (pgbench) and a PostgreSQL server on 127.0.0.1:5432',
    },
    postgres: {
      commands: ['psql'],
      files: [],
      packages: 'Debian package postgresql-client and a PostgreSQL server on 127.0.0.1:5432',
    },
  };
  const need = needs[peer];
  const missing = [...need.commands.filter((c) => !commandAvailable(c)), ...need.files.filter((f) => !existsSync(f))];
  return missing.length === 0 ? undefined : `${missing.join(', ')} not found (${need.packages})`;
}

/** WSS4J 1.6 + Santuario and what they log through, from Debian's packages. */
const WSS4J_CLASSPATH = [
  '/usr/share/java/wss4j.jar',
  '/usr/share/java/xmlsec.jar',
  '/usr/share/java/commons-logging.jar',
  '/usr/share/java/slf4j-api.jar',
  '/usr/share/java/slf4j-nop.jar',
];

/** Compiles bench/java/Wss4jPeer.java against Debian's WSS4J (cached by content hash); returns the classpath. */
export async function buildWss4jPeer(paths: BuildPaths, log: (line: string) => void): Promise<string> {
  const source = join(paths.benchDir, 'java', 'Wss4jPeer.java');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const dir = join(paths.workDir, `wss4j-${hash}`);
  const classpath = [dir, ...WSS4J_CLASSPATH].join(':');
  if (!existsSync(join(dir, '.complete'))) {
    const started = Date.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await run('javac', ['-encoding', 'UTF-8', '-nowarn', '-d', dir, '-cp', WSS4J_CLASSPATH.join(':'), source]);
    writeFileSync(join(dir, '.complete'), '');
    log(`built the WSS4J peer (javac) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return classpath;
}

export async function buildMetro(paths: BuildPaths, log: (line: string) => void): Promise<MetroBuild> {
  const jaxwsJar = findJaxwsRuntime();
  if (jaxwsJar === undefined)
    throw new Error('JAX-WS runtime not found (Debian package jaxws: /usr/share/java/jaxws-rt.jar)');
  const wsdl = join(paths.benchDir, 'wsdl', 'bench.wsdl');
  const source = join(paths.benchDir, 'java', 'BenchServer.java');
  const hash = createHash('sha256')
    .update(readFileSync(wsdl))
    .update('\0')
    .update(readFileSync(source))
    .digest('hex')
    .slice(0, 16);
  const dir = join(paths.workDir, `metro-${hash}`);
  const generated = join(dir, 'generated');
  const server = join(dir, 'server');
  if (!existsSync(join(dir, '.complete'))) {
    const started = Date.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(generated, { recursive: true });
    mkdirSync(server, { recursive: true });
    await run('wsimport', [
      '-extension',
      '-keep',
      '-quiet',
      '-encoding',
      'UTF-8',
      '-s',
      join(dir, 'src'),
      '-d',
      generated,
      '-p',
      'bench.metro.generated',
      wsdl,
    ]);
    await run('javac', ['-encoding', 'UTF-8', '-nowarn', '-d', server, '-cp', `${generated}:${jaxwsJar}`, source]);
    writeFileSync(join(dir, '.complete'), '');
    log(`built the JAX-WS server (wsimport + javac) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { classpath: [server, generated, jaxwsJar].join(':'), jaxwsJar };
}
