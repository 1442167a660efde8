/**
 * What installing the native host means, as data: files to write and registry values to set. Kept
 * pure so every OS's plan is testable here; `applyInstallPlan` carries it out on this machine.
 */
import { ALLOWED_FIREFOX_EXTENSION_IDS, chromiumAllowedOrigins } from '../../shared/protocol/extension-ids.js';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version.js';
import { browserTarget, joinFor, launcherDir } from './browser-targets.js';
import type { Browser, TargetOptions } from './browser-targets.js';

export interface PlannedFile {
  path: string;
  content: string;
  executable?: boolean;
}

export interface RegistryValue {
  key: string;
  /** The key's default value: the manifest's path. */
  value: string;
}

export interface InstallPlan {
  files: PlannedFile[];
  registry: RegistryValue[];
  /** Per browser, the manifest path (for messages and `doctor`). */
  manifests: { browser: Browser; path: string; registryKey?: string }[];
  launcher: string;
}

export interface InstallOptions extends TargetOptions {
  browsers: Browser[];
  /** The Node.js binary that runs the host (the one running this command). */
  nodePath: string;
  /** The built host entry, dist/host/cas-token-host.cjs. */
  hostEntry: string;
  /**
   * The single executable host (an installed package, scripts/packaging/build-sea.js): the manifests
   * point straight at it and no launcher is written. Without it, a launcher runs `nodePath hostEntry`.
   */
  hostExecutable?: string;
  /** Extra extension ids to allow (e.g. a developer's unpacked build with another key). */
  extraChromiumIds?: string[];
}

export function launcherName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'cas-token-host.cmd' : 'cas-token-host';
}

export function launcherScript(platform: NodeJS.Platform, nodePath: string, hostEntry: string): string {
  if (platform === 'win32') return `@echo off\r\n"${nodePath}" "${hostEntry}" %*\r\n`;
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh\n# CAS Token native messaging host launcher (written by \`cas-token install\`).\nexec ${quote(nodePath)} ${quote(hostEntry)} "$@"\n`;
}

export function hostManifest(browser: Browser, launcher: string, extraChromiumIds: string[] = []): object {
  const base = { name: NATIVE_HOST_NAME, description: 'CAS Token native host (PKCS#11 tokens)', path: launcher, type: 'stdio' };
  // Every id: the development build's and the stores' (shared/protocol/extension-ids.ts).
  if (browser === 'firefox') return { ...base, allowed_extensions: [...ALLOWED_FIREFOX_EXTENSION_IDS] };
  return { ...base, allowed_origins: chromiumAllowedOrigins(extraChromiumIds) };
}

export function planInstall(options: InstallOptions): InstallPlan {
  const join = joinFor(options.platform);
  const launcher = options.hostExecutable ?? join(launcherDir(options), launcherName(options.platform));
  const plan: InstallPlan = {
    files: options.hostExecutable ? [] : [{ path: launcher, content: launcherScript(options.platform, options.nodePath, options.hostEntry), executable: true }],
    registry: [],
    manifests: [],
    launcher,
  };
  for (const browser of options.browsers) {
    const target = browserTarget(browser, NATIVE_HOST_NAME, options);
    const path = join(target.manifestDir, `${NATIVE_HOST_NAME}.json`);
    plan.files.push({ path, content: JSON.stringify(hostManifest(browser, launcher, options.extraChromiumIds), null, 2) + '\n' });
    if (target.registryKey) plan.registry.push({ key: target.registryKey, value: path });
    plan.manifests.push({ browser, path, ...(target.registryKey ? { registryKey: target.registryKey } : {}) });
  }
  return plan;
}
