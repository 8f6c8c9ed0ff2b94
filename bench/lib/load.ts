/**
 * The load generator: wrk with one thread on the other core, 32 connections, bounded duration,
 * driven by bench/wrk/post.lua which writes its summary as JSON.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOAD_CORE, pinned, run } from './process';

export const CONNECTIONS = 32;

export interface LoadResult {
  readonly requests: number;
  readonly durationUs: number;
  readonly bytes: number;
  readonly errors: { connect: number; read: number; write: number; status: number; timeout: number };
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly meanUs: number;
  readonly maxUs: number;
  readonly distinctBodies: number;
}

export const requestsPerSecond = (result: LoadResult): number => result.requests / (result.durationUs / 1e6);
export const failedRequests = (result: LoadResult): number =>
  result.errors.status + result.errors.connect + result.errors.read + result.errors.write + result.errors.timeout;

/** Separates records in a bodies file (bench/wrk/post.lua splits on it). */
export const RECORD_SEPARATOR = '\n\x1e\n';

export interface SoapRequest {
  readonly action: string;
  readonly body: string;
}

/** A record is the SOAPAction on its first line, then the message. */
export const recordOf = (request: SoapRequest): string => `${request.action}\n${request.body}`;

export function writeRequests(file: string, requests: readonly SoapRequest[]): string {
  // Record by record: a long run's requests joined into one string exceed V8's maximum string length.
  const fd = openSync(file, 'w');
  try {
    requests.forEach((request, i) => writeSync(fd, i === 0 ? recordOf(request) : RECORD_SEPARATOR + recordOf(request)));
  } finally {
    closeSync(fd);
  }
  return file;
}

export interface LoadOptions {
  readonly url: string;
  /** File written by writeRequests (or by bench/sign.ts). */
  readonly bodiesFile: string;
  readonly seconds: number;
  readonly workDir: string;
  readonly benchDir: string;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const resultFile = join(options.workDir, `wrk-${process.pid}-${Date.now()}.json`);
  const [program, args] = pinned(LOAD_CORE, 'wrk', [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${options.seconds}s`,
    '--timeout',
    '5s',
    '-s',
    join(options.benchDir, 'wrk', 'post.lua'),
    options.url,
  ]);
  await run(program, args, {
    env: { BENCH_BODIES: options.bodiesFile, BENCH_RESULT: resultFile },
    timeoutMs: (options.seconds + 30) * 1000,
  });
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as LoadResult;
  rmSync(resultFile, { force: true });
  return result;
}
