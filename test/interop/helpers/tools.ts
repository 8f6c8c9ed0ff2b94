import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { runProcess } from './process';

/** The absolute path of an executable on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface JaxwsToolchain {
  java: string;
  javac: string;
  wsimport: string;
  /**
   * The JAX-WS runtime on JDK 11+ (javax.xml.ws was removed from the JDK). Debian's jaxws-rt.jar lists
   * the rest of the runtime (JAXB, SAAJ, StAX, streambuffer, policy, ...) in its manifest Class-Path, so
   * this one jar is the whole classpath addition for javac and java.
   */
  runtimeClasspath: string;
}

/** java + javac + wsimport and the JAX-WS runtime jar (Debian: jaxws, default-jdk-headless), or why not. */
export function findJaxws(): JaxwsToolchain | string {
  const java = which('java');
  const javac = which('javac');
  const wsimport = which('wsimport');
  if (!java) return 'java not found (Debian package default-jdk-headless)';
  if (!javac) return 'javac not found (Debian package default-jdk-headless)';
  if (!wsimport) return 'wsimport not found (Debian package jaxws)';
  // wsimport is a script in <JAXWS_HOME>/bin whose runtime jars live in <JAXWS_HOME>/lib.
  const candidates = [
    join(dirname(realpathSync(wsimport)), '..', 'lib', 'jaxws-rt.jar'),
    '/usr/share/java/jaxws-rt.jar',
  ];
  const runtime = candidates.find((path) => existsSync(path));
  if (!runtime) return `the JAX-WS runtime jar was not found (looked at ${candidates.join(', ')})`;
  return { java, javac, wsimport, runtimeClasspath: runtime };
}

export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Debian's python3 with zeep (python3-zeep), or why not. */
export async function findZeep(): Promise<{ python: string } | string> {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} not found`;
  const probe = await runProcess(SYSTEM_PYTHON, ['-c', 'import zeep, isodate, lxml'], { timeoutMs: 30_000 });
  if (probe.status !== 0)
    return `${SYSTEM_PYTHON} cannot import zeep (Debian package python3-zeep): ${probe.stderr.trim()}`;
  return { python: SYSTEM_PYTHON };
}
