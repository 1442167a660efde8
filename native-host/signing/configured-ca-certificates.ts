/**
 * CA certificates the user keeps in files, named by the config file's `caCertificates`: a folder (its
 * `.pem`, `.crt`, `.cer`, `.der`, `.p7b`, `.p7c` files, not recursive) or a file, or a list of them.
 * Read afresh for each request that needs them (a few small files; nothing is cached past the request),
 * so a CA certificate dropped into the folder counts at once. Unreadable entries are reported, not thrown:
 * a missing intermediate only makes a chain shorter.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { readUserConfig } from '../user-config.js';
import type { UserConfig } from '../user-config.js';

const CERTIFICATE_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der', '.p7b', '.p7c']);
/** Enough for any CA folder; a folder with more files than this is not one. */
const MAX_FILES = 1000;

export interface ConfiguredCaCertificates {
  certificates: Uint8Array[];
  /** What could not be read, for `cas-token doctor` and the log. */
  problems: string[];
}

/**
 * The paths a config key names (`caCertificates`, or `trustAnchors` for `cas-token verify`), or a
 * problem when it is neither a string nor a list of strings.
 */
export function caCertificatePaths(config: UserConfig, key: 'caCertificates' | 'trustAnchors' = 'caCertificates'): { paths: string[]; problem?: string } {
  const value = config.values[key];
  if (value === undefined) return { paths: [] };
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((p): p is string => typeof p === 'string')) {
    return { paths: [], problem: `"${key}" in ${config.path} must be a folder or file path, or a list of them` };
  }
  return { paths: list.map((p) => p.trim()).filter((p) => p.length > 0) };
}

export function readConfiguredCaCertificates(config: UserConfig = readUserConfig()): ConfiguredCaCertificates {
  const { paths, problem } = caCertificatePaths(config);
  const read = readCertificateFiles(paths);
  return { certificates: read.certificates, problems: [...(problem ? [problem] : []), ...read.problems] };
}

/** Certificates of files and folders (a folder: its certificate files, not recursive); what cannot be read is reported. */
export function readCertificateFiles(paths: string[]): ConfiguredCaCertificates {
  const problems: string[] = [];
  const certificates: Uint8Array[] = [];
  const readFile = (path: string): void => {
    try {
      certificates.push(...readCertificates(new Uint8Array(readFileSync(path))));
    } catch (error) {
      problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) {
        const files = readdirSync(path, { withFileTypes: true }).filter((entry) => entry.isFile() && CERTIFICATE_EXTENSIONS.has(extname(entry.name).toLowerCase()));
        for (const file of files.slice(0, MAX_FILES)) readFile(join(path, file.name));
      } else {
        readFile(path);
      }
    } catch (error) {
      problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { certificates, problems };
}
