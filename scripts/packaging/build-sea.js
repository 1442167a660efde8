// Builds the self-contained host: a Node single executable application (SEA) that is the native
// messaging host and the `cas-token` command, plus pkcs11.node beside it. No Node.js needed where it runs.
//
//   node scripts/packaging/build-sea.js [--platform linux-x64|win-x64] [--out DIR] [--addon FILE] [--version X.Y.Z] [--bundle-dir DIR]
//
// 1. bundles native-host/single-executable-main.ts and everything it imports into ONE CommonJS file
//    (a SEA main cannot be ESM nor use top-level await), the version built in, pkcs11js' JavaScript
//    included and its addon opened lazily beside the executable (sea/pkcs11js-loader.cjs);
// 2. writes the SEA blob with the official Node 22 binary (node-runtime.js) and injects it with postject
//    into a copy of the target platform's Node binary: DIR/cas-token-host[.exe];
// 3. puts pkcs11.node beside it: --addon FILE, or (linux-x64) compiled here from node_modules/pkcs11js
//    against Node 22's headers, bound to old glibc symbol versions and checked to need ≤ GLIBC_2.31.
//    win-x64 without --addon: no addon (the executable then answers MODULE_LOAD_FAILED for tokens).
// Default DIR: dist/sea/<platform>. See scripts/packaging/README.md.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { NODE_VERSION, nodeRuntime, platformSpec, repositoryRoot } from './node-runtime.js';

const require = createRequire(import.meta.url);
const here = dirname(new URL(import.meta.url).pathname);

/** The fuse Node's binary carries; postject flips it to say a blob is there. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Newest glibc symbol version the Linux addon may need: Debian 11 has 2.31 (Ubuntu 22.04 2.35; Node 22 itself needs 2.28). */
export const MAX_GLIBC = '2.31';
/** Fonts `cas-token request` draws with, carried as SEA assets (native-host/registration-fonts.ts). */
const FONT_ASSETS = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** Step 1: dist/sea/bundle/cas-token-sea.cjs. */
export async function bundleForSea(outDir = join(repositoryRoot, 'dist', 'sea', 'bundle'), versionOverride = undefined) {
  // --version: the MSI upgrade test builds two versions of the same sources.
  const version = versionOverride ?? JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')).version;
  const loaderTs = join(repositoryRoot, 'native-host', 'pkcs11', 'pkcs11js-loader.ts');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: repositoryRoot,
    publicDir: false,
    define: { __CAS_TOKEN_VERSION__: JSON.stringify(version) },
    plugins: [
      {
        name: 'cas-token-sea-pkcs11js',
        enforce: 'pre',
        async resolveId(source, importer) {
          if (importer && /pkcs11js-loader\.(js|ts)$/.test(source)) {
            const resolved = await this.resolve(source, importer, { skipSelf: true });
            if (resolved && resolved.id.split('?')[0] === loaderTs) return join(here, 'sea', 'pkcs11js-loader.cjs');
          }
          if (source === './build/Release/pkcs11.node') return join(here, 'sea', 'pkcs11-binding.cjs');
          return null;
        },
      },
    ],
    build: {
      ssr: 'native-host/single-executable-main.ts',
      outDir,
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      sourcemap: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'cas-token-sea.cjs', codeSplitting: false } },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  const bundle = join(outDir, 'cas-token-sea.cjs');
  const text = readFileSync(bundle, 'utf8');
  if (/\brequire\(["']pkcs11js["']\)/.test(text) && !text.includes('pkcs11.node')) throw new Error('pkcs11js was left external');
  return bundle;
}

/** Step 2: the executable, `outDir/<executableName>`. */
export async function injectSea({ platform, bundle, outDir, useCodeCache }) {
  const spec = platformSpec(platform);
  const builder = nodeRuntime('linux-x64'); // writes the blob; the blob format is the Node version's, not the OS's
  const target = nodeRuntime(platform);
  const work = join(dirname(bundle), platform);
  mkdirSync(work, { recursive: true });
  const assets = Object.fromEntries(FONT_ASSETS.map((name) => [name, require.resolve(`dejavu-fonts-ttf/ttf/${name}`)]));
  const config = {
    main: bundle,
    output: join(work, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    // V8's code cache is specific to the binary that made it: only when building for this very OS.
    useCodeCache,
    assets,
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config, null, 2));
  execFileSync(builder.binary, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(outDir, { recursive: true });
  const executable = join(outDir, spec.executableName);
  rmSync(executable, { force: true });
  copyFileSync(target.binary, executable);
  chmodSync(executable, 0o755);
  // The Linux binary carries debug information (~35 MB): strip it as Debian's dh_strip does an executable
  // (.dynsym, which addons link against, stays). Before the injection, which adds the blob as a note.
  if (platform.startsWith('linux-')) execFileSync('strip', ['--remove-section=.comment', '--remove-section=.note', executable]);
  const { inject } = require('postject');
  await inject(executable, 'NODE_SEA_BLOB', readFileSync(config.output), { sentinelFuse: SEA_FUSE });
  return executable;
}

/** The GLIBC_x.y versions a shared object needs, highest last. */
export function glibcVersionsNeeded(file) {
  const symbols = execFileSync('objdump', ['-T', file], { encoding: 'utf8' });
  const versions = [...new Set([...symbols.matchAll(/\(GLIBC_(\d+(?:\.\d+)*)\)/g)].map((m) => m[1]))];
  return versions.sort(compareVersions);
}

function compareVersions(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * Step 3 (linux-x64): pkcs11.node from pkcs11js' sources (N-API: one build serves Node 20 and 22),
 * compiled with node-gyp against the Node 22 package's headers (no download: nodedir), the dl*
 * functions bound to GLIBC_2.2.5 (linux/glibc-2.2.5-dl.h). Fails when it would need > MAX_GLIBC.
 */
export function buildLinuxAddon(outFile) {
  const pkcs11jsDir = dirname(require.resolve('pkcs11js/package.json'));
  const work = join(repositoryRoot, '.tmp', 'packaging', 'pkcs11js-linux-x64');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const part of ['src', 'includes', 'binding.gyp']) cpSync(join(pkcs11jsDir, part), join(work, part), { recursive: true });
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  execFileSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeRuntime('linux-x64').dir}`, '--jobs=2'], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      // Debian's hardening flags (fortified libc calls, full RELRO) and the old dl* symbol versions.
      CXXFLAGS: `-include ${join(here, 'linux', 'glibc-2.2.5-dl.h')} -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong`,
      LDFLAGS: '-Wl,-z,relro,-z,now -Wl,--no-as-needed -l:libdl.so.2',
      npm_config_loglevel: 'error',
    },
  });
  const built = join(work, 'build', 'Release', 'pkcs11.node');
  const needed = glibcVersionsNeeded(built);
  const newest = needed.at(-1);
  if (newest && compareVersions(newest, MAX_GLIBC) > 0) throw new Error(`pkcs11.node needs GLIBC_${newest} (> ${MAX_GLIBC}): ${needed.join(', ')}`);
  copyFileSync(built, outFile);
  // Stripped as Debian's dh_strip does a shared library.
  execFileSync('strip', ['--remove-section=.comment', '--remove-section=.note', '--strip-unneeded', outFile]);
  return outFile;
}

export async function buildSingleExecutable({ platform = 'linux-x64', out, addon, version, bundleDir } = {}) {
  const outDir = out ?? join(repositoryRoot, 'dist', 'sea', platform);
  // --bundle-dir: builds running side by side (the MSI tests) must not share dist/sea/bundle.
  const bundle = await bundleForSea(bundleDir, version);
  const executable = await injectSea({ platform, bundle, outDir, useCodeCache: platform === 'linux-x64' && process.platform === 'linux' });
  const addonFile = join(outDir, 'pkcs11.node');
  rmSync(addonFile, { force: true });
  if (addon) copyFileSync(addon, addonFile);
  else if (platform === 'linux-x64') buildLinuxAddon(addonFile);
  else console.warn(`build-sea: no --addon for ${platform}: ${relative(repositoryRoot, outDir)} has no pkcs11.node`);
  return { executable, addon: existsSync(addonFile) ? addonFile : undefined };
}

const invokedDirectly = process.argv[1] && new URL(import.meta.url).pathname === process.argv[1];
if (invokedDirectly) {
  const { values } = parseArgs({
    options: { platform: { type: 'string', default: 'linux-x64' }, out: { type: 'string' }, addon: { type: 'string' }, version: { type: 'string' }, 'bundle-dir': { type: 'string' } },
  });
  const started = Date.now();
  const result = await buildSingleExecutable({ ...values, bundleDir: values['bundle-dir'] });
  const size = (file) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `built ${relative(repositoryRoot, result.executable)} (Node ${NODE_VERSION}, ${size(result.executable)})` +
      (result.addon ? ` and ${relative(repositoryRoot, result.addon)} (${size(result.addon)})` : '') +
      ` in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
