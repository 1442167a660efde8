/** `cas-token install`, `doctor` and `uninstall` as a user runs them (into a throwaway HOME / profile). */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    // This machine has Chromium and Firefox ESR (the e2e tests use them): found, and not registered yet.
    expect(before.stdout).toMatch(/^ {2}Chromium is installed \(\/usr\/bin\/chromium\), but CAS Token is NOT registered for it\.$/m);
    expect(before.stdout).toMatch(/^ {2}\d\. Chromium is installed but CAS Token is not registered for it: install CAS Token \(https:\/\/castoken\.eu\/download\/\)/m);
    expect(before.stdout).toMatch(/\/nonexistent\/libeTPkcs11\.so \(SafeNet eToken\) could not be loaded/);

    const install = runCli(['install', '--browser', 'chromium,firefox'], env);
    expect(install.status).toBe(0);
    const chromiumManifest = join(home, '.config', 'chromium', 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`);
    const manifest = JSON.parse(readFileSync(chromiumManifest, 'utf8')) as { path: string; allowed_origins: string[] };
    expect(manifest.allowed_origins).toEqual(chromiumAllowedOrigins());
    expect(manifest.allowed_origins).toContain(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
    expect(existsSync(manifest.path)).toBe(true);
    expect(existsSync(join(home, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST_NAME}.json`))).toBe(true);

    type Report = { browsers: { browser: string; program: string | null; registered: boolean; registrations: { scope: string; manifest: string; problem?: string }[] }[]; whatToDo: string[] };
    const after = JSON.parse(runCli(['doctor', '--json'], env).stdout) as Report;
    expect(
      after.browsers
        .filter((b) => b.registered)
        .map((b) => b.browser)
        .sort(),
    ).toEqual(['chromium', 'firefox']);
    expect(after.browsers.find((b) => b.browser === 'chromium')!.registrations).toEqual([{ scope: 'user', manifest: chromiumManifest }]);
    expect(after.whatToDo.some((item) => item.includes('not registered'))).toBe(false);

    // A registration that no longer lets the extension in (an older version) is named, with the fix.
    writeFileSync(chromiumManifest, JSON.stringify({ ...manifest, allowed_origins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'] }));
    const stale = JSON.parse(runCli(['doctor', '--json'], env).stdout) as Report;
    const chromium = stale.browsers.find((b) => b.browser === 'chromium')!;
    expect(chromium.registered).toBe(false);
    expect(chromium.registrations[0]!.problem).toMatch(/does not let every CAS Token extension in .*run `cas-token install --browser chromium` again/);
    expect(stale.whatToDo).toContain(`Chromium: ${chromium.registrations[0]!.problem}`);

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
