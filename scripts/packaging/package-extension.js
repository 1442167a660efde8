// `npm run package:ext`: the store packages of the BUILT extension (run `npm run build` first; this
// script does not build, so it never removes dist/chrome under a running browser), into dist/packages/
// (or `--out DIR`):
//   cas-token-<version>-chromium-stores.zip  Chrome Web Store and Edge Add-ons: dist/chrome without the
//                                            manifest's `key` (the stores assign their own id)
//   cas-token-<version>-amo.zip              addons.mozilla.org: dist/firefox, zipped by `web-ext build`
//   cas-token-<version>-sources.zip          what AMO's reviewers rebuild the add-on from: every file git
//                                            knows (tracked or not ignored; never node_modules, dist) and
//                                            SOURCES.md with the build instructions
// docs/STORES.md says how these are uploaded and what web-ext lint still warns about.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outFlag = process.argv.indexOf('--out');
const outDir = resolve(root, outFlag >= 0 ? (process.argv[outFlag + 1] ?? '') : 'dist/packages');
const version = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')).version;
/** Fixed times in the zips, so the same inputs give the same bytes. */
const mtime = new Date(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.UTC(2020, 0, 1));

function fail(message) {
  console.error(`package:ext: ${message}`);
  process.exit(1);
}

function builtManifest(browser) {
  const path = join(root, 'dist', browser, 'manifest.json');
  if (!existsSync(path)) fail(`dist/${browser} is not built: run \`npm run build\` first.`);
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  if (manifest.version !== version) fail(`dist/${browser} is version ${manifest.version}, manifest.json says ${version}: run \`npm run build\` again.`);
  return manifest;
}

function filesUnder(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found.sort();
}

function writeZip(name, entries) {
  const zip = {};
  for (const [path, data] of entries) zip[path] = [data, { mtime }];
  writeFileSync(join(outDir, name), zipSync(zip, { level: 9 }));
  return join(outDir, name);
}

mkdirSync(outDir, { recursive: true });
const written = [];

// 1. Chrome Web Store / Edge Add-ons: the store keeps the signing key and sets the id; a `key` is refused.
const chromeManifest = builtManifest('chrome');
delete chromeManifest.key;
const chromeDir = join(root, 'dist', 'chrome');
written.push(
  writeZip(
    `cas-token-${version}-chromium-stores.zip`,
    filesUnder(chromeDir).map((path) => {
      const name = relative(chromeDir, path).split(sep).join('/');
      return [name, name === 'manifest.json' ? strToU8(JSON.stringify(chromeManifest, null, 2) + '\n') : readFileSync(path)];
    }),
  ),
);

// 2. AMO: dist/firefox as `web-ext build` zips it (docs/STORES.md).
builtManifest('firefox');
const amoName = `cas-token-${version}-amo.zip`;
rmSync(join(outDir, amoName), { force: true });
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules', 'web-ext', 'bin', 'web-ext.js'),
    'build',
    '--source-dir',
    join(root, 'dist', 'firefox'),
    '--artifacts-dir',
    outDir,
    '--filename',
    amoName,
    '--overwrite-dest',
    '--no-input',
  ],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
written.push(join(outDir, amoName));

// 3. The sources AMO's reviewers build from.
let sourceFiles;
try {
  sourceFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
} catch {
  fail('the sources archive lists the files git knows: run this in a git checkout.');
}
const excluded = /^(node_modules|dist|\.tmp|coverage)(\/|$)/;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const dependencies = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {});
const npmVersion = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' }).trim();
const sourcesMd = readFileSync(join(root, 'scripts', 'packaging', 'SOURCES.md'), 'utf8')
  .replaceAll('{{VERSION}}', version)
  .replaceAll('{{NODE_VERSION}}', process.version)
  .replaceAll('{{NPM_VERSION}}', npmVersion)
  .replaceAll('{{AMO_ZIP}}', amoName)
  .replaceAll('{{LIBRARIES}}', dependencies.map((name) => `- \`${name}\` ${lock.packages[`node_modules/${name}`]?.version ?? '(not installed)'}`).join('\n'));
written.push(
  writeZip(`cas-token-${version}-sources.zip`, [
    ['SOURCES.md', strToU8(sourcesMd)],
    ...sourceFiles
      .filter((path) => !excluded.test(path) && path !== 'SOURCES.md' && existsSync(join(root, path)) && statSync(join(root, path)).isFile())
      .sort()
      .map((path) => [path, readFileSync(join(root, path))]),
  ]),
);

for (const path of written) console.log(`${relative(root, path)}  ${(statSync(path).size / 1024).toFixed(0)} KB`);
