/**
 * Which PKCS#11 modules to use: the user's choice first (`CAS_TOKEN_MODULES`, then the config file
 * `{ "modules": ["/path/…"] }`), else the known token libraries found in the usual places of this OS.
 */
import { existsSync, realpathSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { ModuleInfo } from '../../shared/protocol/token-types.js';
import { knownTokenLibrariesFor, vendorOfModulePath } from './known-token-libraries.js';
import type { KnownTokenLibrary } from './known-token-libraries.js';
import { readUserConfig, userConfigPath } from '../user-config.js';
import type { UserConfigOptions } from '../user-config.js';

export interface ModuleCandidate {
  path: string;
  vendor?: string;
  source: ModuleInfo['source'];
}

export interface DiscoveryOptions extends UserConfigOptions {
  exists?: (path: string) => boolean;
  /** Resolves symbolic links, so one library reached by two paths is loaded once. Default: the file system. */
  realpath?: (path: string) => string;
}

/** The environment variable that names modules, joined by the platform's path delimiter (`:` or `;`). */
export const MODULES_ENV_VARIABLE = 'CAS_TOKEN_MODULES';

export function discoverModules(options: DiscoveryOptions = {}): ModuleCandidate[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;

  const fromEnv = splitModuleList(env[MODULES_ENV_VARIABLE], platform);
  if (fromEnv.length > 0) return fromEnv.map((path) => candidate(path, 'env'));

  const config = readModuleConfig(options);
  if (config.modules.length > 0) return config.modules.map((path) => candidate(path, 'config'));

  const exists = options.exists ?? existsSync;
  const realpath = options.realpath ?? realpathOrSelf;
  const seen = new Set<string>();
  const found: ModuleCandidate[] = [];
  for (const library of knownTokenLibraries(platform, env)) {
    const path = library.paths.find((p) => exists(p));
    if (!path) continue;
    const real = realpath(path);
    if (seen.has(real)) continue;
    seen.add(real);
    found.push({ path, vendor: library.vendor, source: 'discovered' });
  }
  return found;
}

/** The known token libraries with their usual paths on `platform` (default: this one). */
export function knownTokenLibraries(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): KnownTokenLibrary[] {
  return knownTokenLibrariesFor(platform, {
    systemRoot: env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows',
    programFiles: env.ProgramFiles ?? env.PROGRAMFILES ?? 'C:\\Program Files',
  });
}

export { userConfigPath } from '../user-config.js';

export interface ModuleConfig {
  path: string;
  modules: string[];
  /** Why the file was not used (not valid JSON, `modules` not a list of strings); absent when fine or missing. */
  problem?: string;
}

/** The modules listed in the user's config file; a broken file is reported in `problem`, never thrown. */
export function readModuleConfig(options: DiscoveryOptions = {}): ModuleConfig {
  const { path, values, problem } = readUserConfig(options);
  if (problem) return { path, modules: [], problem };
  const modules = values.modules;
  if (modules === undefined) return { path, modules: [] };
  if (!Array.isArray(modules) || !modules.every((m): m is string => typeof m === 'string')) {
    return { path, modules: [], problem: `"modules" in ${path} must be a list of library paths` };
  }
  return { path, modules: modules.map((m) => m.trim()).filter((m) => m.length > 0) };
}

/** What to tell someone with no usable module: which driver to install for which token, and how to point us at it. */
export function missingModuleHint(platform: NodeJS.Platform = process.platform): string {
  const config = userConfigPath({ platform, homeDir: platform === 'win32' ? '%USERPROFILE%' : '~', env: platform === 'win32' ? { APPDATA: '%APPDATA%' } : {} });
  const delimiter = platform === 'win32' ? ';' : ':';
  const example = platform === 'win32' ? 'C:\\Windows\\System32\\eTPKCS11.dll' : platform === 'darwin' ? '/usr/local/lib/libeTPkcs11.dylib' : '/usr/lib/libeTPkcs11.so';
  const openSc = platform === 'linux' ? 'OpenSC (sudo apt-get install opensc)' : 'OpenSC';
  return [
    'No token driver (PKCS#11 library) was found. Install the one for your token:',
    'certSIGN, AlfaSign / AlfaTrust and Trans Sped tokens (SafeNet eToken 5110, IDPrime 940) → SafeNet Authentication Client (Thales);',
    'Gemalto IDPrime cards → IDPrime middleware or SafeNet Authentication Client;',
    'Bit4id tokens → Bit4id Universal Middleware;',
    'Athena IDProtect → IDProtect Client;',
    'Feitian ePass2003 → the ePass2003 middleware or OpenSC;',
    'Rutoken ECP → Rutoken drivers (Рутокен, librtpkcs11ecp);',
    'JaCarta → JaCarta Unified Client (Единый клиент JaCarta);',
    `other smart cards → ${openSc}.`,
    `If the driver is installed elsewhere, name its library in ${MODULES_ENV_VARIABLE} (several joined by "${delimiter}")`,
    `or in ${config} as { "modules": ["${example.replace(/\\/g, '\\\\')}"] }.`,
  ].join(' ');
}

function candidate(path: string, source: ModuleInfo['source']): ModuleCandidate {
  const vendor = vendorOfModulePath(path);
  return vendor ? { path, vendor, source } : { path, source };
}

function splitModuleList(value: string | undefined, platform: NodeJS.Platform): string[] {
  if (!value) return [];
  const delimiter = platform === 'win32' ? win32.delimiter : posix.delimiter;
  return value
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
