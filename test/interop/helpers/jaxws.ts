import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runChecked, runProcess, type ProcessResult } from './process';
import type { JaxwsToolchain } from './tools';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** wsimport output is cached by contract hash here (gitignored), so CI pays for it once per contract. */
export const JAXWS_CACHE = join(REPO_ROOT, '.tmp', 'interop', 'jaxws');

/** -extension: also generate the SOAP 1.2 port (wsimport skips it by default as "non-standard"). */
const WSIMPORT_OPTIONS = ['-extension', '-keep', '-quiet', '-encoding', 'UTF-8'];

export interface JaxwsBuild {
  classpath: string;
  /** Whether wsimport ran (false: the cached output for this exact contract was reused). */
  generated: boolean;
  generatedDir: string;
  timingsMs: { fetchContract: number; wsimport: number; javac: number };
}

/**
 * Every document of the served contract (the WSDL and each XSD it reaches through schemaLocation or
 * wsdl:import location), with the server's origin replaced so the text does not depend on the port.
 */
export async function fetchContract(wsdlUrl: string): Promise<string[]> {
  const origin = new URL(wsdlUrl).origin;
  const seen = new Set<string>();
  const documents: string[] = [];
  const queue = [wsdlUrl];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const text = await response.text();
    documents.push(text.split(origin).join('{origin}'));
    for (const match of text.matchAll(/\b(?:schemaLocation|location)\s*=\s*"([^"]+)"/g)) {
      const target = new URL(match[1]!.replace(/&amp;/g, '&'), url);
      // soap:address locations are endpoints, not documents: follow only ?wsdl / ?xsd / *.xsd / *.wsdl
      if (target.origin === origin && /(\?wsdl|\?xsd=|\.xsd$|\.wsdl$)/.test(target.href)) queue.push(target.href);
    }
  }
  return documents;
}

function sha256(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 20);
}

/**
 * Moves a finished build into the cache. Several test runs may share this working tree: when another run
 * published the same build first, ours is dropped and theirs (identical, same hash) is used, so a
 * directory another run is reading is never replaced. Returns whether ours was published.
 */
function publish(building: string, target: string): boolean {
  if (!existsSync(join(target, '.complete'))) {
    // an unfinished target is a crashed run's leftover
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(building, target);
      return true;
    } catch (error) {
      if (!existsSync(join(target, '.complete'))) throw error;
    }
  }
  rmSync(building, { recursive: true, force: true });
  return false;
}

/**
 * Generates a JAX-WS client with wsimport from the running server's `?wsdl` (cached by the served
 * contract's hash), then compiles `clientSources` against it with javac.
 */
export async function buildJaxwsClient(
  tools: JaxwsToolchain,
  options: { wsdlUrl: string; packageName: string; clientSources: readonly string[] },
): Promise<JaxwsBuild> {
  let started = Date.now();
  const documents = await fetchContract(options.wsdlUrl);
  const fetchContractMs = Date.now() - started;

  const contractHash = sha256([options.packageName, ...WSIMPORT_OPTIONS, ...documents]);
  const generatedDir = join(JAXWS_CACHE, `${options.packageName}-${contractHash}`);
  const generatedClasses = join(generatedDir, 'classes');
  let generated = false;
  started = Date.now();
  if (!existsSync(join(generatedDir, '.complete'))) {
    const building = `${generatedDir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(join(building, 'src'), { recursive: true });
    mkdirSync(join(building, 'classes'), { recursive: true });
    await runChecked(
      tools.wsimport,
      [
        ...WSIMPORT_OPTIONS,
        '-s',
        join(building, 'src'),
        '-d',
        join(building, 'classes'),
        '-p',
        options.packageName,
        options.wsdlUrl,
      ],
      { timeoutMs: 180_000 },
    );
    writeFileSync(join(building, '.complete'), `${options.wsdlUrl}\n`);
    generated = publish(building, generatedDir);
  }
  const wsimportMs = Date.now() - started;

  started = Date.now();
  const sourcesHash = sha256(options.clientSources.map((path) => readFileSync(path)));
  const clientClasses = join(generatedDir, `client-${sourcesHash}`);
  if (!existsSync(join(clientClasses, '.complete'))) {
    const building = `${clientClasses}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    await runChecked(
      tools.javac,
      [
        '-encoding',
        'UTF-8',
        '-nowarn',
        '-d',
        building,
        '-cp',
        [generatedClasses, tools.runtimeClasspath].join(':'),
        ...options.clientSources,
      ],
      { timeoutMs: 180_000 },
    );
    writeFileSync(join(building, '.complete'), '');
    publish(building, clientClasses);
  }
  const javacMs = Date.now() - started;

  return {
    classpath: [clientClasses, generatedClasses, tools.runtimeClasspath].join(':'),
    generated,
    generatedDir,
    timingsMs: { fetchContract: fetchContractMs, wsimport: wsimportMs, javac: javacMs },
  };
}

/** Runs a compiled client's main class on the build's classpath. */
export function runJavaClient(
  tools: JaxwsToolchain,
  build: JaxwsBuild,
  mainClass: string,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<ProcessResult> {
  // The JAX-WS runtime logs a SAAJ deprecation warning per port on stderr; it is not a test failure.
  return runProcess(tools.java, ['-Dfile.encoding=UTF-8', '-cp', build.classpath, mainClass, ...args], { timeoutMs });
}
