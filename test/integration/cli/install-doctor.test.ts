/** `cas-token install`, `doctor` and `uninstall` as a user runs them (into a throwaway HOME / profile). */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, chromiumAllowedOrigins } from '../../../shared/protocol/extension-ids.js';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.js';
import { runCli } from '../../support/run-cli.js';

describe('install, doctor, uninstall', () => {
  it('doctor says what is missing, install fixes it, uninstall removes it', () => {
    const home = mkdtempSync(join(tmpdir(), 'cas-token-home-'));
    const env = { HOME: home, CAS_TOKEN_MODULES: '/nonexistent/libeTPkcs11.so' };
    const before = runCli(['doctor'], env);
    expect(before.status).toBe(0);
    expect(before.stdout).toMatch(/No browser has the host installed: npx cas-token install/);
    expect(before.stdout).toMatch(/\/nonexistent\/libeTPkcs11\.so/);

    const install = runCli(['install', '--browser', 'chromium,firefox'], env);
    expect(install.status).toBe(0);
    const chromiumManifest = join(home, '.config', 'chromium', 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`);
    const manifest = JSON.parse(readFileSync(chromiumManifest, 'utf8')) as { path: string; allowed_origins: string[] };
    expect(manifest.allowed_origins).toEqual(chromiumAllowedOrigins());
    expect(manifest.allowed_origins).toContain(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
    expect(existsSync(manifest.path)).toBe(true);
    expect(existsSync(join(home, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST_NAME}.json`))).toBe(true);

    const after = JSON.parse(runCli(['doctor', '--json'], env).stdout) as { browsers: { browser: string; installed: boolean; problem?: string }[] };
    expect(after.browsers.filter((b) => b.installed && !b.problem).map((b) => b.browser).sort()).toEqual(['chromium', 'firefox']);

    const uninstall = runCli(['uninstall', '--browser', 'all'], env);
    expect(uninstall.status).toBe(0);
    expect(existsSync(chromiumManifest)).toBe(false);
    expect(existsSync(manifest.path)).toBe(false);
  });

  it('refuses an unknown browser with one clear line', () => {
    const run = runCli(['install', '--browser', 'netscape'], { HOME: mkdtempSync(join(tmpdir(), 'cas-token-home-')) });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Unknown browser "netscape"/);
  });
});
