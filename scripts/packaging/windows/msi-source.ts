/**
 * The WiX source of the Windows installers, as data turned into XML for `wixl -a x64` (msitools; a
 * WiX 3 subset: no conditions, no Environment, no custom actions). Two variants of one layout:
 *
 *   machine  per-machine (needs admin rights): C:\Program Files\CAS Token\, HKLM keys
 *   user     per-user (no admin rights):       %LOCALAPPDATA%\Programs\CAS Token\, HKCU keys
 *
 * The folder holds the host executable, pkcs11.node beside it (the host loads it from there),
 * cas-token.cmd (the `cas-token` command: the executable with --cli) and the native messaging host manifests, whose `path` is the bare file name of the executable (relative to
 * the manifest, which Chrome, Edge and Firefox allow on Windows). One registry key per browser has
 * the manifest's full path as its default value. Everything is removed on uninstall; the user's
 * settings (%APPDATA%\cas-token\config.json) are no file of the package, so neither an uninstall nor
 * an upgrade touches them. Upgrades are major upgrades (a new ProductCode per build, one UpgradeCode
 * per variant): the old version is removed, then the new one installed.
 */
import { createHash } from 'node:crypto';
import type { Browser } from '../../../native-host/install/browser-targets.js';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.js';

export type InstallScope = 'machine' | 'user';

export const PRODUCT_NAME = 'CAS Token';
export const MANUFACTURER = 'CAS Token';
export const HOST_EXECUTABLE = 'cas-token-host.exe';
export const ADDON_FILE = 'pkcs11.node';
/** The `cas-token` command for a console: `"C:\Program Files\CAS Token\cas-token" doctor` (the exe with --cli). */
export const CLI_LAUNCHER = 'cas-token.cmd';
export const CLI_LAUNCHER_TEXT = '@"%~dp0cas-token-host.exe" --cli %*\r\n';
/** The manifest read by the Chromium family (Chrome, Chromium, Edge): `allowed_origins`. */
export const CHROMIUM_MANIFEST_FILE = `${NATIVE_HOST_NAME}.json`;
/** Firefox's manifest: `allowed_extensions`. */
export const FIREFOX_MANIFEST_FILE = `${NATIVE_HOST_NAME}.firefox.json`;
/** The install folder's name under Program Files (machine) or %LOCALAPPDATA%\Programs (user). */
export const INSTALL_FOLDER_NAME = 'CAS Token';

/** Fixed forever: Windows Installer finds an older version to replace by it (one per variant). */
export const UPGRADE_CODES: Record<InstallScope, string> = {
  machine: '{6F1C2B7E-5A43-4C1B-9E0D-3D2B8E6A1C01}',
  user: '{6F1C2B7E-5A43-4C1B-9E0D-3D2B8E6A1C02}',
};

/** Where each browser looks for a native messaging host on Windows, below HKLM or HKCU. */
export const NATIVE_MESSAGING_KEYS: Record<Browser, string> = {
  chrome: `SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
  chromium: `SOFTWARE\\Chromium\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
  edge: `SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
  firefox: `SOFTWARE\\Mozilla\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
};

export function registryRoot(scope: InstallScope): 'HKLM' | 'HKCU' {
  return scope === 'machine' ? 'HKLM' : 'HKCU';
}

export interface MsiInputs {
  scope: InstallScope;
  /** The product version, major.minor.patch (Windows Installer compares the first three fields). */
  version: string;
  /** Files on this machine to put in the package. */
  hostExecutable: string;
  addon: string;
  cliLauncher: string;
  chromiumManifest: string;
  firefoxManifest: string;
}

/** A GUID derived from a name: component GUIDs must stay the same from one version to the next. */
export function stableGuid(name: string): string {
  const hex = createHash('sha1').update(`cas-token msi ${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}}`.toUpperCase();
}

/** Windows Installer's ProductVersion: three numbers, the first two below 256, the third below 65536. */
export function msiProductVersion(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (!match) throw new Error(`cannot make an MSI ProductVersion of "${version}" (want major.minor.patch)`);
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major > 255 || minor > 255 || patch > 65535) throw new Error(`version ${version} is out of Windows Installer's range (255.255.65535)`);
  return `${major}.${minor}.${patch}`;
}

export function msiFileName(version: string, scope: InstallScope): string {
  return `cas-token-${version}-x64${scope === 'user' ? '-user' : ''}.msi`;
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The WiX XML for `wixl -a x64`. */
export function msiSource(inputs: MsiInputs): string {
  const { scope } = inputs;
  const root = registryRoot(scope);
  const guid = (component: string): string => stableGuid(`${scope} ${component}`);
  const file = (id: string, name: string, source: string): string => `<File Id="${id}" Name="${attribute(name)}" Source="${attribute(source)}" KeyPath="yes"/>`;
  const registration = (browser: Browser, manifestFileId: string): string =>
    `<RegistryValue Root="${root}" Key="${attribute(NATIVE_MESSAGING_KEYS[browser])}" Type="string" Value="[#${manifestFileId}]"/>`;
  const programs =
    scope === 'machine'
      ? `<Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="${INSTALL_FOLDER_NAME}">`
      : `<Directory Id="LocalAppDataFolder">
        <Directory Id="UserPrograms" Name="Programs">
          <!-- %LOCALAPPDATA%\\Programs goes too when this install made it and it is empty again. -->
          <Component Id="UserProgramsFolder" Guid="${guid('user programs folder')}" Win64="yes">
            <RemoveFolder Id="RemoveUserPrograms" On="uninstall"/>
            <RegistryValue Root="HKCU" Key="SOFTWARE\\${MANUFACTURER}" Name="ProgramsFolder" Type="string" Value="[UserPrograms]" KeyPath="yes"/>
          </Component>
        <Directory Id="INSTALLDIR" Name="${INSTALL_FOLDER_NAME}">`;
  const programsEnd = scope === 'machine' ? '</Directory>\n      </Directory>' : '</Directory>\n        </Directory>\n      </Directory>';
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by scripts/packaging/windows/msi-source.ts (${scope === 'machine' ? 'per-machine' : 'per-user'} variant). -->
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="${PRODUCT_NAME}" Language="1033" Version="${msiProductVersion(inputs.version)}" Manufacturer="${MANUFACTURER}" UpgradeCode="${UPGRADE_CODES[scope]}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="${scope === 'machine' ? 'perMachine' : 'perUser'}"
      Description="${PRODUCT_NAME} ${attribute(inputs.version)}: the native host for the CAS Token browser extension (PKCS#11 tokens)" Manufacturer="${MANUFACTURER}"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of ${PRODUCT_NAME} is already installed."/>
    <Media Id="1" Cabinet="cas_token.cab" EmbedCab="yes"/>
    <Property Id="ARPNOMODIFY" Value="1"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      ${programs}
          <Component Id="HostExecutable" Guid="${guid('host executable')}" Win64="yes">
            ${file('HostExecutable', HOST_EXECUTABLE, inputs.hostExecutable)}
          </Component>
          <Component Id="Pkcs11Addon" Guid="${guid('pkcs11 addon')}" Win64="yes">
            ${file('Pkcs11Addon', ADDON_FILE, inputs.addon)}
          </Component>
          <Component Id="CliLauncher" Guid="${guid('cli launcher')}" Win64="yes">
            ${file('CliLauncher', CLI_LAUNCHER, inputs.cliLauncher)}
          </Component>
          <Component Id="ChromiumManifest" Guid="${guid('chromium manifest')}" Win64="yes">
            ${file('ChromiumManifest', CHROMIUM_MANIFEST_FILE, inputs.chromiumManifest)}
            ${registration('chrome', 'ChromiumManifest')}
            ${registration('chromium', 'ChromiumManifest')}
            ${registration('edge', 'ChromiumManifest')}
          </Component>
          <Component Id="FirefoxManifest" Guid="${guid('firefox manifest')}" Win64="yes">
            ${file('FirefoxManifest', FIREFOX_MANIFEST_FILE, inputs.firefoxManifest)}
            ${registration('firefox', 'FirefoxManifest')}
          </Component>
          <Component Id="InstallFolder" Guid="${guid('install folder')}" Win64="yes">
            <RemoveFolder Id="RemoveInstallFolder" On="uninstall"/>
            <RegistryValue Root="${root}" Key="SOFTWARE\\${MANUFACTURER}" Name="InstallFolder" Type="string" Value="[INSTALLDIR]" KeyPath="yes"/>
          </Component>
        ${programsEnd}
    </Directory>
    <Feature Id="NativeHost" Title="${PRODUCT_NAME} native host" Level="1">
      <ComponentRef Id="HostExecutable"/>
      <ComponentRef Id="Pkcs11Addon"/>
      <ComponentRef Id="CliLauncher"/>
      <ComponentRef Id="ChromiumManifest"/>
      <ComponentRef Id="FirefoxManifest"/>
      <ComponentRef Id="InstallFolder"/>${scope === 'user' ? '\n      <ComponentRef Id="UserProgramsFolder"/>' : ''}
    </Feature>
  </Product>
</Wix>
`;
}
