/**
 * Where each browser reads native messaging host manifests, per OS (Chrome's and Firefox's documented
 * locations). Windows registers the manifest's path under a registry key instead of a folder.
 */
import { posix, win32 } from 'node:path';

/** Paths are built for the target OS, so each OS's plan can be checked anywhere. */
export function joinFor(platform: NodeJS.Platform): (...parts: string[]) => string {
  return platform === 'win32' ? win32.join : posix.join;
}

export const BROWSERS = ['chrome', 'chromium', 'edge', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];

export interface BrowserTarget {
  browser: Browser;
  /** The folder the manifest goes into (on Windows: our own folder; the registry points at it). */
  manifestDir: string;
  /** Windows only: the HKCU key whose default value is the manifest's path. */
  registryKey?: string;
}

export interface TargetOptions {
  platform: NodeJS.Platform;
  home: string;
  /** Windows %LOCALAPPDATA%. */
  localAppData?: string;
  /** A custom Chromium profile: the manifest goes into `<dir>/NativeMessagingHosts/`. */
  userDataDir?: string;
}

export function browserTarget(browser: Browser, hostName: string, options: TargetOptions): BrowserTarget {
  const { platform, home } = options;
  const join = joinFor(platform);
  if (options.userDataDir && browser !== 'firefox') {
    return { browser, manifestDir: join(options.userDataDir, 'NativeMessagingHosts') };
  }
  if (platform === 'win32') {
    const root = options.localAppData ?? join(home, 'AppData', 'Local');
    const keys: Record<Browser, string> = {
      chrome: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts',
      chromium: 'HKCU\\Software\\Chromium\\NativeMessagingHosts',
      edge: 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts',
      firefox: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts',
    };
    return { browser, manifestDir: join(root, 'cas-token', browser), registryKey: `${keys[browser]}\\${hostName}` };
  }
  if (platform === 'darwin') {
    const support = join(home, 'Library', 'Application Support');
    const dirs: Record<Browser, string> = {
      chrome: join(support, 'Google', 'Chrome', 'NativeMessagingHosts'),
      chromium: join(support, 'Chromium', 'NativeMessagingHosts'),
      edge: join(support, 'Microsoft Edge', 'NativeMessagingHosts'),
      firefox: join(support, 'Mozilla', 'NativeMessagingHosts'),
    };
    return { browser, manifestDir: dirs[browser] };
  }
  const dirs: Record<Browser, string> = {
    chrome: join(home, '.config', 'google-chrome', 'NativeMessagingHosts'),
    chromium: join(home, '.config', 'chromium', 'NativeMessagingHosts'),
    edge: join(home, '.config', 'microsoft-edge', 'NativeMessagingHosts'),
    firefox: join(home, '.mozilla', 'native-messaging-hosts'),
  };
  return { browser, manifestDir: dirs[browser] };
}

/** Where the launcher script lives: beside the manifests for a custom profile, else our data folder. */
export function launcherDir(options: TargetOptions): string {
  const join = joinFor(options.platform);
  if (options.userDataDir) return join(options.userDataDir, 'NativeMessagingHosts');
  if (options.platform === 'win32') return join(options.localAppData ?? join(options.home, 'AppData', 'Local'), 'cas-token');
  if (options.platform === 'darwin') return join(options.home, 'Library', 'Application Support', 'cas-token');
  return join(options.home, '.local', 'share', 'cas-token');
}

/**
 * Where Linux browsers read host manifests for every user and every profile (custom --user-data-dir
 * included): the .deb installs there (scripts/packaging/build-deb.js); `doctor` looks there too.
 */
export const LINUX_SYSTEM_MANIFEST_DIRS: Record<Browser, string> = {
  chrome: '/etc/opt/chrome/native-messaging-hosts',
  chromium: '/etc/chromium/native-messaging-hosts',
  edge: '/etc/opt/edge/native-messaging-hosts',
  firefox: '/usr/lib/mozilla/native-messaging-hosts',
};
