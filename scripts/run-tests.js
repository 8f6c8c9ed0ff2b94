#!/usr/bin/env node
'use strict';
// `npm test`: strict type check of everything, lint (ESLint, including the engine boundary; Prettier's check), then the
// whole mocha suite. Extra args go to mocha (e.g. `npm test -- --grep codec` or a spec path).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit', cwd: root });
if (tsc.status !== 0) {
  process.stdout.write('\ntype check failed\n0 passed, 1 failed\n');
  process.exit(1);
}
const lint = spawnSync(bin('eslint'), ['.'], { stdio: 'inherit', cwd: root });
const format =
  lint.status === 0
    ? spawnSync(bin('prettier'), ['--check', '--log-level', 'warn', '.'], { stdio: 'inherit', cwd: root })
    : lint;
if (lint.status !== 0 || format.status !== 0) {
  process.stdout.write('\nlint failed\n0 passed, 1 failed\n');
  process.exit(1);
}
// Without spec paths the whole suite runs; with paths only those (mocha would otherwise merge a
// configured spec glob with the paths given).
const args = process.argv.slice(2);
const OPTIONS_WITH_VALUE = new Set([
  '--grep',
  '-g',
  '--fgrep',
  '-f',
  '--timeout',
  '-t',
  '--reporter',
  '-R',
  '--require',
  '-r',
  '--slow',
  '-s',
]);
const hasSpec = args.some((arg, i) => !arg.startsWith('-') && !OPTIONS_WITH_VALUE.has(args[i - 1]));
const mocha = spawnSync(bin('mocha'), hasSpec ? args : [...args, 'test/**/*.test.ts'], {
  stdio: 'inherit',
  cwd: root,
  env: process.env,
});
process.exit(mocha.status === null ? 1 : mocha.status);
