import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { windowsHostManifest } from '../../../scripts/packaging/windows/host-manifests.js';
import { checkedOrigin, windowsPolicyRegistryFile } from '../../../scripts/packaging/windows/it-policy.js';
import { msiFileName, msiProductVersion, msiSource, stableGuid, UPGRADE_CODES } from '../../../scripts/packaging/windows/msi-source.js';
import type { InstallScope } from '../../../scripts/packaging/windows/msi-source.js';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../../shared/protocol/extension-ids.js';

const inputs = (scope: InstallScope) => ({
  scope,
  version: '1.2.3',
  hostExecutable: 'files/cas-token-host.exe',
  addon: 'files/pkcs11.node',
  cliLauncher: 'files/cas-token.cmd',
  chromiumManifest: 'files/eu.castoken.host.json',
  firefoxManifest: 'files/eu.castoken.host.firefox.json',
});

function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
}

function elements(document: Document, name: string): Element[] {
  return Array.from(document.getElementsByTagName(name));
}

describe('the WiX source of the MSIs', () => {
  it('per-machine: Program Files, HKLM keys for the four browsers pointing at the installed manifests', () => {
    const document = parse(msiSource(inputs('machine')));
    expect(elements(document, 'Package')[0]!.getAttribute('InstallScope')).toBe('perMachine');
    expect(elements(document, 'Product')[0]!.getAttribute('Version')).toBe('1.2.3');
    expect(elements(document, 'Product')[0]!.getAttribute('UpgradeCode')).toBe(UPGRADE_CODES.machine);
    expect(elements(document, 'Directory').map((d) => d.getAttribute('Id'))).toContain('ProgramFiles64Folder');
    const keys = elements(document, 'RegistryValue').filter((v) => !v.getAttribute('Name'));
    expect(keys.map((v) => [v.getAttribute('Root'), v.getAttribute('Key'), v.getAttribute('Value')])).toEqual([
      ['HKLM', 'SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\eu.castoken.host', '[#ChromiumManifest]'],
      ['HKLM', 'SOFTWARE\\Chromium\\NativeMessagingHosts\\eu.castoken.host', '[#ChromiumManifest]'],
      ['HKLM', 'SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\eu.castoken.host', '[#ChromiumManifest]'],
      ['HKLM', 'SOFTWARE\\Mozilla\\NativeMessagingHosts\\eu.castoken.host', '[#FirefoxManifest]'],
    ]);
    expect(elements(document, 'MajorUpgrade')).toHaveLength(1);
    expect(elements(document, 'File').map((f) => f.getAttribute('Name'))).toEqual(['cas-token-host.exe', 'pkcs11.node', 'cas-token.cmd', 'eu.castoken.host.json', 'eu.castoken.host.firefox.json']);
  });

  it('per-user: %LOCALAPPDATA%\\Programs and HKCU only, its own upgrade code', () => {
    const xml = msiSource(inputs('user'));
    const document = parse(xml);
    expect(elements(document, 'Package')[0]!.getAttribute('InstallScope')).toBe('perUser');
    expect(elements(document, 'Product')[0]!.getAttribute('UpgradeCode')).toBe(UPGRADE_CODES.user);
    expect(UPGRADE_CODES.user).not.toBe(UPGRADE_CODES.machine);
    expect(elements(document, 'Directory').map((d) => d.getAttribute('Id'))).toEqual(expect.arrayContaining(['LocalAppDataFolder', 'UserPrograms', 'INSTALLDIR']));
    expect(new Set(elements(document, 'RegistryValue').map((v) => v.getAttribute('Root')))).toEqual(new Set(['HKCU']));
    expect(xml).not.toContain('HKLM');
  });

  it('component GUIDs stay the same from one version to the next (upgrades), and differ per variant', () => {
    const guids = (scope: InstallScope, version: string) => elements(parse(msiSource({ ...inputs(scope), version })), 'Component').map((c) => c.getAttribute('Guid'));
    expect(guids('machine', '1.2.3')).toEqual(guids('machine', '1.2.4'));
    expect(guids('machine', '1.2.3')[0]).not.toBe(guids('user', '1.2.3')[0]);
    expect(stableGuid('x')).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$/);
  });

  it('versions Windows Installer can compare, and the file names', () => {
    expect(msiProductVersion('0.1.0')).toBe('0.1.0');
    expect(msiProductVersion('1.2.3-beta.1')).toBe('1.2.3');
    expect(() => msiProductVersion('1.2')).toThrow(/major\.minor\.patch/);
    expect(() => msiProductVersion('256.0.0')).toThrow(/range/);
    expect(msiFileName('0.1.0', 'machine')).toBe('cas-token-0.1.0-x64.msi');
    expect(msiFileName('0.1.0', 'user')).toBe('cas-token-0.1.0-x64-user.msi');
  });

  it('the installed manifests name the executable beside them and allow the extension ids of every other manifest writer', () => {
    const chromium = windowsHostManifest('chromium') as { path: string; allowed_origins: string[] };
    const firefox = windowsHostManifest('firefox') as { path: string; allowed_extensions: string[] };
    expect(chromium.path).toBe('cas-token-host.exe');
    expect(firefox.path).toBe('cas-token-host.exe');
    expect(chromium.allowed_origins).toContain(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
    expect(firefox.allowed_extensions).toContain(FIREFOX_EXTENSION_ID);
  });
});

describe('the IT policy .reg', () => {
  it('lists origins as numbered values for the Chromium family and Firefox, and force-installs only from known store ids', () => {
    const reg = windowsPolicyRegistryFile({ allowedOrigins: ['https://cas.example.ro'], digestSigningOrigins: ['https://portal.example.ro'], forceInstall: true });
    expect(reg.startsWith('Windows Registry Editor Version 5.00\r\n')).toBe(true);
    expect(reg).toContain(`[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROMIUM_EXTENSION_ID}\\policy\\allowedOrigins]\r\n"1"="https://cas.example.ro"`);
    expect(reg).toContain(`[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\${CHROMIUM_EXTENSION_ID}\\policy\\digestSigningOrigins]\r\n"1"="https://portal.example.ro"`);
    expect(reg).toContain(`[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mozilla\\Firefox\\3rdparty\\Extensions\\${FIREFOX_EXTENSION_ID}\\allowedOrigins]`);
    // No store listing yet for Chrome / Edge: said, not invented.
    expect(reg).not.toContain('ExtensionInstallForcelist]');
    expect(reg).toContain('no Chrome Web Store id yet');
    const withIds = windowsPolicyRegistryFile({
      allowedOrigins: [],
      forceInstall: true,
      storeIds: { chromeWebStore: 'abcdefghijklmnopabcdefghijklmnop', edgeAddons: 'ponmlkjihgfedcbaponmlkjihgfedcba', amo: FIREFOX_EXTENSION_ID },
    });
    expect(withIds).toContain(
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\ExtensionInstallForcelist]\r\n"1"="abcdefghijklmnopabcdefghijklmnop;https://clients2.google.com/service/update2/crx"',
    );
    expect(withIds).toContain(
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist]\r\n"1"="ponmlkjihgfedcbaponmlkjihgfedcba;https://edge.microsoft.com/extensionwebstorebase/v1/crx"',
    );
    expect(windowsPolicyRegistryFile({ allowedOrigins: [], forceInstall: false })).not.toContain('ExtensionSettings');
  });

  it('takes origins only: https (or http://localhost), no path', () => {
    expect(checkedOrigin('https://cas.example.ro')).toBe('https://cas.example.ro');
    expect(checkedOrigin('https://cas.example.ro/')).toBe('https://cas.example.ro');
    expect(() => checkedOrigin('http://cas.example.ro')).toThrow(/https origin/);
    expect(() => checkedOrigin('https://cas.example.ro/login')).toThrow(/no path/);
    expect(() => checkedOrigin('cas.example.ro')).toThrow(/not an origin/);
  });
});
