#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when dist/ is current (bin/build.js: built after the last change to src/), else the
// TypeScript source through tsx, a development dependency only, so a stale build is never run.
const path = require('node:path');
const { buildState, compiledEntry } = require('./build');
if (buildState() === 'fresh') {
  require(compiledEntry);
} else {
  try {
    require.resolve('tsx/cjs');
  } catch {
    process.stderr.write(
      'partner-orders: dist/ is missing or older than src/; run `npm run build` first (or install the dev dependencies).\n',
    );
    process.exit(1);
  }
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
