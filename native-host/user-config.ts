/**
 * The user's config file, `config.json` in the OS's config folder (see `userConfigPath`), read in ONE
 * place. Keys: `modules` (PKCS#11 libraries, read by module discovery), `caCertificates` (a folder or
 * file of CA certificates, or a list of them, read by the certificate chain builder) and `trustAnchors`
 * (the same forms: the CAs `cas-token verify` trusts besides its --ca options). A file that is
 * missing is an empty config; a broken one is reported in `problem`, never thrown.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface UserConfigOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homeDir?: string;
  /** Reads the config file; `undefined` when it does not exist. Default: the file system. */
  readFile?: (path: string) => string | undefined;
}

export interface UserConfig {
  path: string;
  /** The file's top-level object; empty when the file is missing or broken. */
  values: Record<string, unknown>;
  /** Why the file could not be used (unreadable, not valid JSON, not an object); absent when fine or missing. */
  problem?: string;
}

/** Where the user's config file lives on `options.platform`. */
export function userConfigPath(options: UserConfigOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.homeDir ?? homedir();
  if (platform === 'win32') {
    return win32.join(env.APPDATA ?? win32.join(home, 'AppData', 'Roaming'), 'cas-token', 'config.json');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'cas-token', 'config.json');
  const configHome = env.XDG_CONFIG_HOME && posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : posix.join(home, '.config');
  return posix.join(configHome, 'cas-token', 'config.json');
}

export function readUserConfig(options: UserConfigOptions = {}): UserConfig {
  const path = userConfigPath(options);
  const read = options.readFile ?? readFileIfPresent;
  let text: string | undefined;
  try {
    text = read(path);
  } catch (error) {
    return { path, values: {}, problem: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (text === undefined) return { path, values: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { path, values: {}, problem: `${path} is not valid JSON; expected { "modules": ["/path/to/library"] }` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { path, values: {}, problem: `${path} must hold one JSON object` };
  return { path, values: parsed as Record<string, unknown> };
}

function readFileIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}
