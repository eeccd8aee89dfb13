// The launcher's build of better-sqlite3 for Electron (`npm start` with a display). npm install builds
// better-sqlite3's native module for the Node that ran it; Electron's main process has another ABI and
// cannot load that build ("compiled against a different Node.js version"). Rebuilding it in place would
// break the headless server and the tests until `npm rebuild`, so a copy is built beside it instead,
// once per better-sqlite3, Electron, platform and architecture, under node_modules/.ims-lab-electron/
// (npm ci starts it afresh), with @electron/rebuild: Electron's prebuilt binary when one is published,
// else node-gyp against Electron's headers. The core loads it through IMS_SQLITE_BINDING
// (core/store/sqlite-binding.ts). Plain CommonJS, as start.cjs.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Where the copy for one Electron version goes, and its native module once built. */
function electronSqlitePaths(root, electronVersion) {
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const name = `better-sqlite3-${version}-electron-${electronVersion}-${process.platform}-${process.arch}`;
  const dir = path.join(root, 'node_modules', '.ims-lab-electron', name);
  const binding = path.join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return { source, version, dir, binding };
}

/** @electron/rebuild itself (an ES module). */
async function electronRebuild(options) {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild(options);
}

/**
 * The path of a better_sqlite3.node for `electronVersion`, built on first use ({ binding }), or why it
 * could not be ({ failure }: nothing is left behind, and the next start tries again). `announce` is told
 * before a build starts (it takes a while).
 */
async function prepareElectronSqlite(root, electronVersion, announce = () => {}, rebuild = electronRebuild) {
  const { source, version, dir, binding } = electronSqlitePaths(root, electronVersion);
  if (fs.existsSync(binding)) return { binding };
  announce(`building SQLite (better-sqlite3 ${version}) for Electron ${electronVersion}, first launch only`);
  // Built in a folder of its own, renamed when done: an interrupted build never looks finished.
  const work = `${dir}.partial`;
  fs.rmSync(work, { recursive: true, force: true });
  const moduleDir = path.join(work, 'node_modules', 'better-sqlite3');
  fs.mkdirSync(path.dirname(moduleDir), { recursive: true });
  const manifest = {
    name: 'ims-lab-electron-sqlite',
    private: true,
    dependencies: { 'better-sqlite3': version },
  };
  fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify(manifest, null, 2));
  // The sources without the Node build (build/): what node-gyp needs if no prebuilt binary is found.
  // Copied from the real folder: node_modules/better-sqlite3 is a symlink under pnpm or a linked install,
  // and cpSync copies a symlink as a symlink, so the rebuild would run in (and clean) the Node build itself.
  const real = fs.realpathSync(source);
  fs.cpSync(real, moduleDir, {
    recursive: true,
    dereference: true,
    filter: (file) => path.relative(real, file).split(path.sep)[0] !== 'build',
  });
  try {
    await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
    const built = path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
    if (!fs.existsSync(built)) throw new Error('the build finished without a better_sqlite3.node');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(work, dir);
    return { binding };
  } catch (err) {
    fs.rmSync(work, { recursive: true, force: true });
    const text = err instanceof Error ? err.message : String(err);
    return {
      failure:
        text
          .split('\n')
          .find((line) => line.trim() !== '')
          ?.trim() ?? 'unknown error',
    };
  }
}

module.exports = { electronSqlitePaths, prepareElectronSqlite };
