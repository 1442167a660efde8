/**
 * The native messaging host manifests the MSI installs beside the host executable. Their `path` is the
 * executable's bare file name: Chrome, Edge and Firefox resolve a relative path on Windows against the
 * manifest's folder, so the files do not depend on where the user installed them. The extension ids
 * come from hostManifest() (native-host/install/install-plan.ts), the one writer of manifests, which
 * takes them from shared/protocol/extension-ids.ts: the development id and, once they are known, the
 * store ids — the MSI allows the same extensions as `cas-token install` and the .deb.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostManifest } from '../../../native-host/install/install-plan.js';
import { CHROMIUM_MANIFEST_FILE, FIREFOX_MANIFEST_FILE, HOST_EXECUTABLE } from './msi-source.js';

export interface WindowsHostManifests {
  chromium: string;
  firefox: string;
}

export function windowsHostManifest(family: 'chromium' | 'firefox'): object {
  return hostManifest(family === 'firefox' ? 'firefox' : 'chrome', HOST_EXECUTABLE);
}

/** Writes both manifests into `dir`; returns their paths. */
export function writeWindowsHostManifests(dir: string): WindowsHostManifests {
  const chromium = join(dir, CHROMIUM_MANIFEST_FILE);
  const firefox = join(dir, FIREFOX_MANIFEST_FILE);
  // CRLF is not needed: browsers parse JSON; plain LF keeps the files identical to the other packages'.
  writeFileSync(chromium, JSON.stringify(windowsHostManifest('chromium'), null, 2) + '\n');
  writeFileSync(firefox, JSON.stringify(windowsHostManifest('firefox'), null, 2) + '\n');
  return { chromium, firefox };
}
