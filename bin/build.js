'use strict';
// Whether dist/ is current, and the incremental build that makes it so. Used by `npm start`
// (scripts/start.js) and the `partner-orders` launcher so that neither runs stale compiled code nor
// recompiles what has not changed. An installation without src/ (the container image) is always current.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const compiledEntry = path.join(root, 'dist', 'src', 'cli', 'main.js');
/** Touched after every successful build; sources newer than it mean a rebuild. */
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** 'fresh', 'stale' (sources changed since the last build) or 'missing' (never built). */
function buildState() {
  const hasSources = fs.existsSync(path.join(root, 'src'));
  if (!fs.existsSync(compiledEntry)) return hasSources ? 'missing' : 'fresh';
  if (!hasSources) return 'fresh';
  if (!fs.existsSync(stamp)) return 'stale';
  const built = fs.statSync(stamp).mtimeMs;
  let newest = newestMtime(path.join(root, 'src'));
  for (const file of inputs) {
    const full = path.join(root, file);
    if (fs.existsSync(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest > built ? 'stale' : 'fresh';
}

/** Compiles with tsc --incremental (only what changed) unless dist/ is current; returns false when tsc failed. */
function buildIfStale(log) {
  const state = buildState();
  if (state === 'fresh') return true;
  log(
    `partner-orders: compiling TypeScript (${state === 'missing' ? 'first build' : 'sources changed since the last build'})...`,
  );
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const started = fs.existsSync(stamp) ? undefined : Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) return false;
  // Written before compiling would race with edits made during the build; after, sources edited while tsc
  // ran are newer than the stamp only if saved after this point, which the next start compiles.
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(
    stamp,
    `${new Date().toISOString()}${started === undefined ? '' : ` first build ${Date.now() - started} ms`}\n`,
  );
  return true;
}

module.exports = { buildState, buildIfStale, compiledEntry };
