#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (dist/, built by `npm run build`; `npm start` builds it). In a development checkout
// without dist/ it runs the TypeScript source through tsx, a development dependency only.
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  try {
    require.resolve('tsx/cjs');
  } catch {
    process.stderr.write('partner-orders: dist/ is missing; run `npm run build` first (or install the dev dependencies).\n');
    process.exit(1);
  }
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
