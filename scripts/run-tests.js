#!/usr/bin/env node
'use strict';
// `npm test`: strict type check of everything, then the whole mocha suite. Extra args go to mocha
// (e.g. `npm test -- --grep codec` or a spec path).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit', cwd: root });
if (tsc.status !== 0) {
  process.stdout.write('\ntype check failed\n0 passed, 1 failed\n');
  process.exit(1);
}
const mocha = spawnSync(bin('mocha'), process.argv.slice(2), { stdio: 'inherit', cwd: root, env: process.env });
process.exit(mocha.status === null ? 1 : mocha.status);
