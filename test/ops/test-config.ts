// The committed configuration files merged the way node-config merges them (objects merge; arrays and
// scalars replace), so tests can validate variations without touching process-wide node-config state.
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfigDir, parseConfig, type AppConfig } from '../../src/config';

export const configDir = defaultConfigDir();

export function readConfigFile(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(configDir, name), 'utf8')) as Record<string, unknown>;
}

export function merge(base: unknown, over: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(base) && isObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = merge(out[key], value);
    return out;
  }
  return over === undefined ? base : over;
}

/** default.json + test.json + patch, unvalidated. */
export function testRaw(patch: unknown = {}): unknown {
  return merge(merge(readConfigFile('default.json'), readConfigFile('test.json')), patch);
}

export function testConfig(patch: unknown = {}): AppConfig {
  return parseConfig(testRaw(patch), 'test');
}
