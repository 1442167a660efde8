/** The parts of `cas-token doctor` that depend on the OS, checked for every OS here: where browsers are found, where system-wide installs register, how PIN states read. */
import { describe, expect, it } from 'vitest';
import { formatDoctorReport, pinState, supportBlock } from '../../../native-host/cli/doctor-report.js';
import type { DoctorReport } from '../../../native-host/cli/doctor-report.js';
import { systemWideTarget } from '../../../native-host/install/browser-targets.js';
import { findInstalledBrowsers } from '../../../native-host/install/installed-browsers.js';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.js';

const only =
  (...paths: string[]) =>
  (path: string): boolean =>
    paths.includes(path);

describe('finding the installed browsers', () => {
  it("Linux: the commands on PATH and the vendors' /opt folders", () => {
    const found = findInstalledBrowsers({
      platform: 'linux',
      home: '/home/ana',
      env: { PATH: '/usr/local/bin:/usr/bin' },
      exists: only('/usr/bin/firefox-esr', '/opt/google/chrome/chrome', '/snap/bin/chromium'),
    });
    expect(found).toEqual({ chrome: '/opt/google/chrome/chrome', chromium: '/snap/bin/chromium', edge: undefined, firefox: '/usr/bin/firefox-esr' });
  });

  it('Windows: Program Files (both), and a per-user Chrome under LOCALAPPDATA', () => {
    const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' };
    const found = findInstalledBrowsers({
      platform: 'win32',
      home: 'C:\\Users\\ana',
      env,
      exists: only(
        'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
        'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
        'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
      ),
    });
    expect(found).toEqual({
      chrome: 'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      chromium: undefined,
      edge: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
      firefox: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
    });
  });

  it('macOS: the apps in /Applications or ~/Applications', () => {
    const found = findInstalledBrowsers({ platform: 'darwin', home: '/Users/ana', env: {}, exists: only('/Applications/Google Chrome.app', '/Users/ana/Applications/Firefox.app') });
    expect(found).toEqual({ chrome: '/Applications/Google Chrome.app', chromium: undefined, edge: undefined, firefox: '/Users/ana/Applications/Firefox.app' });
  });
});

describe('system-wide registrations (the .deb, the macOS pkg, the MSI)', () => {
  it('Linux: /etc for the Chromium family, /usr/lib/mozilla for Firefox', () => {
    expect(['chrome', 'chromium', 'edge', 'firefox'].map((b) => systemWideTarget(b as 'chrome', NATIVE_HOST_NAME, 'linux')?.manifestDir)).toEqual([
      '/etc/opt/chrome/native-messaging-hosts',
      '/etc/chromium/native-messaging-hosts',
      '/etc/opt/edge/native-messaging-hosts',
      '/usr/lib/mozilla/native-messaging-hosts',
    ]);
  });

  it('macOS: the /Library folders each browser reads for every user', () => {
    expect(['chrome', 'chromium', 'edge', 'firefox'].map((b) => systemWideTarget(b as 'chrome', NATIVE_HOST_NAME, 'darwin')?.manifestDir)).toEqual([
      '/Library/Google/Chrome/NativeMessagingHosts',
      '/Library/Application Support/Chromium/NativeMessagingHosts',
      '/Library/Microsoft/Edge/NativeMessagingHosts',
      '/Library/Application Support/Mozilla/NativeMessagingHosts',
    ]);
  });

  it('Windows: the HKLM keys', () => {
    expect(systemWideTarget('edge', NATIVE_HOST_NAME, 'win32')).toEqual({ browser: 'edge', registryKey: `HKLM\\SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}` });
    expect(systemWideTarget('firefox', NATIVE_HOST_NAME, 'win32')?.registryKey).toBe(`HKLM\\SOFTWARE\\Mozilla\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`);
  });
});

describe('the report', () => {
  const flags = {
    loginRequired: true,
    protectedAuthenticationPath: false,
    userPinInitialized: true,
    userPinCountLow: false,
    userPinFinalTry: false,
    userPinLocked: false,
    userPinToBeChanged: false,
    writeProtected: false,
  };

  it("reads the token's PIN flags as a state, the most urgent first", () => {
    expect(pinState(flags)).toBe('usable');
    expect(pinState({ ...flags, userPinCountLow: true })).toBe('few tries left');
    expect(pinState({ ...flags, userPinCountLow: true, userPinFinalTry: true })).toBe('one try left');
    expect(pinState({ ...flags, userPinFinalTry: true, userPinLocked: true })).toBe('locked');
    expect(pinState({ ...flags, userPinInitialized: false })).toBe('not initialised');
  });

  it('on Windows with a locked token: sentences, the registry key, and the token in the support block', () => {
    const report: DoctorReport = {
      version: '0.1.0',
      os: { platform: 'win32', release: '10.0.19045', arch: 'x64', description: 'Windows 10 Pro' },
      node: 'v22.12.0',
      host: { entry: 'C:\\Program Files\\CAS Token\\cas-token-host.exe', present: true },
      browsers: [
        {
          browser: 'chrome',
          name: 'Google Chrome',
          program: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
          registered: true,
          registrations: [{ scope: 'system', manifest: 'C:\\Program Files\\CAS Token\\chrome.json', registryKey: 'HKLM\\SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\eu.castoken.host' }],
        },
        { browser: 'firefox', name: 'Firefox', program: null, registered: false, registrations: [] },
      ],
      modules: [{ path: 'C:\\Windows\\System32\\eTPKCS11.dll', vendor: 'SafeNet eToken', source: 'discovered', loaded: true }],
      tokens: [{ label: 'Maria Popescu', manufacturer: 'SafeNet, Inc.', model: 'eToken', serial: '0A1B2C3D', module: 'C:\\Windows\\System32\\eTPKCS11.dll', pin: 'locked', pinPad: false }],
      whatToDo: ['The PIN of the token "Maria Popescu" is locked: unblock it with the PUK in the token maker\'s tool (or ask the certification authority).'],
    };
    const text = formatDoctorReport(report);
    expect(text).toContain('  Windows 10 Pro, x64.');
    expect(text).toContain(
      '    CAS Token is registered for every user: C:\\Program Files\\CAS Token\\chrome.json, registered at HKLM\\SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\eu.castoken.host.',
    );
    expect(text).toContain('  Firefox was not found on this computer.');
    expect(text).toContain('  "Maria Popescu", made by SafeNet, Inc., model eToken, serial 0A1B2C3D. The PIN is locked (too many wrong tries).');
    expect(text).toContain('  1. The PIN of the token "Maria Popescu" is locked');
    expect(supportBlock(report).split('\n')).toEqual([
      '----- CAS Token doctor report: begin -----',
      'cas-token doctor 0.1.0',
      'os: Windows 10 Pro (win32 10.0.19045 x64)',
      'node: v22.12.0',
      'host: C:\\Program Files\\CAS Token\\cas-token-host.exe present',
      'browser chrome: installed C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe; registered: system C:\\Program Files\\CAS Token\\chrome.json [HKLM\\SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\eu.castoken.host] ok',
      'browser firefox: not found; registered: no',
      'module: C:\\Windows\\System32\\eTPKCS11.dll (discovered, SafeNet eToken) loaded',
      'token: "Maria Popescu", made by SafeNet, Inc., model eToken, serial 0A1B2C3D; PIN locked; module C:\\Windows\\System32\\eTPKCS11.dll',
      'to do 1: The PIN of the token "Maria Popescu" is locked: unblock it with the PUK in the token maker\'s tool (or ask the certification authority).',
      '----- CAS Token doctor report: end -----',
    ]);
  });
});
