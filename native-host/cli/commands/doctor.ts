/**
 * `cas-token doctor`: what is installed, where, and what to do — in sentences a clinic's IT person can
 * act on, with a block to send to support (doctor-report.ts); `--json` gives the same report as data.
 * It reads the browsers' registrations (this user's and every user's), the token drivers and the
 * tokens' own descriptions; it never asks for a PIN and never reads a certificate.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { arch, homedir, release, version as osVersion } from 'node:os';
import { DOWNLOADS_URL } from '../../../shared/distribution/downloads-url.js';
import { ALLOWED_FIREFOX_EXTENSION_IDS, chromiumAllowedOrigins } from '../../../shared/protocol/extension-ids.js';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.js';
import { BROWSERS, joinFor, systemWideTarget } from '../../install/browser-targets.js';
import type { Browser } from '../../install/browser-targets.js';
import { BROWSER_NAMES, findInstalledBrowsers } from '../../install/installed-browsers.js';
import { planInstall } from '../../install/install-plan.js';
import type { InstallOptions } from '../../install/install-plan.js';
import { packageVersion } from '../../package-version.js';
import { missingModuleHint } from '../../pkcs11/module-discovery.js';
import { createTokenService } from '../../token-service-factory.js';
import type { ModuleInfo, TokenInfo } from '../../../shared/protocol/token-types.js';
import { printJson } from '../cli-output.js';
import type { CliInvocation } from '../cli-invocation.js';
import { formatDoctorReport, pinState, supportBlock } from '../doctor-report.js';
import type { BrowserReport, DoctorReport, Registration } from '../doctor-report.js';
import { installOptionsFromFlags } from './install.js';

/** The OS as its own name for itself: /etc/os-release's PRETTY_NAME, Windows' edition, macOS' kernel. */
function osDescription(): string {
  if (process.platform === 'linux') {
    try {
      const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
      if (pretty) return pretty;
    } catch {
      // no os-release: the kernel's name below
    }
  }
  return osVersion();
}

/** Windows: the manifest path a registry key's default value names, if the key exists. */
function registryManifest(key: string): string | undefined {
  try {
    const out = execFileSync('reg', ['query', key, '/ve'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /REG_SZ\s+(.+?)\s*$/m.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

/** Why a registration cannot be used, or undefined when the browser can start CAS Token through it. */
function manifestProblem(browser: Browser, manifestPath: string, scope: Registration['scope'], options: InstallOptions): string | undefined {
  const again = scope === 'user' ? `run \`cas-token install --browser ${browser}\` again` : 'install CAS Token again';
  let manifest: { path?: string; allowed_origins?: string[]; allowed_extensions?: string[] };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch {
    return `the file is damaged (not valid JSON): ${again}.`;
  }
  const allowed =
    browser === 'firefox'
      ? ALLOWED_FIREFOX_EXTENSION_IDS.every((id) => (manifest.allowed_extensions ?? []).includes(id))
      : chromiumAllowedOrigins().every((origin) => (manifest.allowed_origins ?? []).includes(origin));
  if (!allowed) return `it does not let every CAS Token extension in (an older version?): ${again}.`;
  if (!manifest.path) return `it names no program: ${again}.`;
  // Windows allows a path relative to the manifest's folder (the MSI writes one).
  const program = process.platform === 'win32' && !/^[A-Za-z]:\\|^\\\\/.test(manifest.path) ? joinFor('win32')(manifestPath, '..', manifest.path) : manifest.path;
  if (!existsSync(program)) return `the program it names (${manifest.path}) is missing: ${again}.`;
  // A launcher script written by `cas-token install` names the host it runs: it must be this one.
  if (scope === 'user' && statSync(program).size < 4096) {
    const launcher = readFileSync(program, 'utf8');
    if (launcher.includes('cas-token install') && !launcher.includes(options.hostEntry))
      return `it starts CAS Token from another folder: run \`cas-token install --browser ${browser}\` from this one.`;
  }
  return undefined;
}

function registrations(browser: Browser, options: InstallOptions): Registration[] {
  const found: Registration[] = [];
  const userManifest = planInstall({ ...options, browsers: [browser] }).manifests[0]!;
  const system = systemWideTarget(browser, NATIVE_HOST_NAME, process.platform);
  const candidates: { scope: Registration['scope']; manifest: string | undefined; registryKey?: string }[] =
    process.platform === 'win32'
      ? [
          { scope: 'user', manifest: registryManifest(userManifest.registryKey!), registryKey: userManifest.registryKey! },
          ...(system?.registryKey ? [{ scope: 'system' as const, manifest: registryManifest(system.registryKey), registryKey: system.registryKey }] : []),
        ]
      : [
          { scope: 'user', manifest: userManifest.path },
          // A custom profile (--user-data-dir) reads its own folder and the system-wide one too.
          ...(system?.manifestDir ? [{ scope: 'system' as const, manifest: joinFor(process.platform)(system.manifestDir, `${NATIVE_HOST_NAME}.json`) }] : []),
        ];
  for (const { scope, manifest, registryKey } of candidates) {
    if (manifest === undefined) continue;
    if (!existsSync(manifest)) {
      if (registryKey) found.push({ scope, manifest, registryKey, problem: 'the registry names this file, which does not exist: install CAS Token again.' });
      continue;
    }
    const problem = manifestProblem(browser, manifest, scope, options);
    found.push({ scope, manifest, ...(registryKey ? { registryKey } : {}), ...(problem ? { problem } : {}) });
  }
  return found;
}

function whatToDo(report: Omit<DoctorReport, 'whatToDo'>): string[] {
  const todo: string[] = [];
  if (!report.host.present) todo.push(`The CAS Token program is missing (${report.host.entry}): install CAS Token again (${DOWNLOADS_URL}); in a developer's checkout, run \`npm run build\`.`);
  const installed = report.browsers.filter((b) => b.program !== null);
  if (installed.length === 0) todo.push(`Install one of the browsers CAS Token works with: ${BROWSERS.map((b) => BROWSER_NAMES[b]).join(', ')}.`);
  for (const b of report.browsers) {
    for (const r of b.registrations) if (r.problem) todo.push(`${b.name}: ${r.problem}`);
    if (b.program && !b.registered && !b.registrations.some((r) => r.problem)) {
      todo.push(
        `${b.name} is installed but CAS Token is not registered for it: install CAS Token (${DOWNLOADS_URL}), or in a developer's checkout run \`cas-token install --browser ${b.browser}\`; then restart ${b.name}.`,
      );
    }
  }
  if (report.modulesError) todo.push(`The token drivers could not be listed: ${report.modulesError}`);
  else if (report.modules.length === 0) todo.push(missingModuleHint());
  else if (!report.modules.some((m) => m.loaded))
    todo.push(
      `No token driver could be loaded: install the token maker's driver again, or name the right one in CAS_TOKEN_MODULES. ${report.modules.map((m) => `${m.path}: ${m.error ?? ''}`).join('; ')}`,
    );
  else if (report.tokens.length === 0) todo.push('Insert the token (and check that the driver listed above is the one for this token).');
  for (const t of report.tokens) {
    if (t.pin === 'locked') todo.push(`The PIN of the token "${t.label}" is locked: unblock it with the PUK in the token maker's tool (or ask the certification authority).`);
    if (t.pin === 'to be changed' || t.pin === 'not initialised') todo.push(`The token "${t.label}" needs its PIN set or changed in the token maker's tool first.`);
  }
  return todo;
}

export async function doctorCommand({ flags }: CliInvocation): Promise<void> {
  const options = installOptionsFromFlags({ ...flags, browser: 'all' });
  const programs = findInstalledBrowsers({ platform: process.platform, home: homedir(), env: process.env, exists: existsSync });
  const browsers: BrowserReport[] = BROWSERS.map((browser) => {
    const found = registrations(browser, options);
    return { browser, name: BROWSER_NAMES[browser], program: programs[browser] ?? null, registered: found.some((r) => !r.problem), registrations: found };
  });

  let modules: ModuleInfo[] = [];
  let tokens: TokenInfo[] = [];
  let modulesError: string | undefined;
  try {
    const service = createTokenService(flags.module);
    try {
      modules = await service.listModules();
      if (modules.some((m) => m.loaded)) tokens = await service.listTokens();
    } finally {
      service.close();
    }
  } catch (error) {
    modulesError = error instanceof Error ? error.message : String(error);
  }

  const facts: Omit<DoctorReport, 'whatToDo'> = {
    version: packageVersion(),
    os: { platform: process.platform, release: release(), arch: arch(), description: osDescription() },
    node: process.version,
    host: { entry: options.hostEntry, present: existsSync(options.hostEntry) },
    browsers,
    modules,
    ...(modulesError ? { modulesError } : {}),
    tokens: tokens.map((t) => ({
      label: t.label,
      manufacturer: t.manufacturer,
      model: t.model,
      serial: t.serial,
      module: t.module,
      pin: pinState(t.flags),
      pinPad: t.flags.protectedAuthenticationPath,
    })),
  };
  const report: DoctorReport = { ...facts, whatToDo: whatToDo(facts) };
  if (flags.json) return printJson({ ...report, support: supportBlock(report) });
  process.stdout.write(formatDoctorReport(report));
}
