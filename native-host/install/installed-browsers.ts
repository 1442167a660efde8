/**
 * Which of the supported browsers are installed on this computer, found where their installers put
 * them (for `cas-token doctor`). Pure over an `exists` check, so each OS's answer is testable here.
 */
import { BROWSERS, joinFor } from './browser-targets.js';
import type { Browser } from './browser-targets.js';

export const BROWSER_NAMES: Record<Browser, string> = {
  chrome: 'Google Chrome',
  chromium: 'Chromium',
  edge: 'Microsoft Edge',
  firefox: 'Firefox',
};

export interface BrowserSearch {
  platform: NodeJS.Platform;
  home: string;
  /** The environment: PATH, and on Windows ProgramFiles, ProgramFiles(x86), LOCALAPPDATA. */
  env: NodeJS.ProcessEnv;
  exists(path: string): boolean;
}

function candidates(browser: Browser, { platform, home, env }: BrowserSearch): string[] {
  const join = joinFor(platform);
  if (platform === 'win32') {
    const programFiles = [env.ProgramFiles ?? 'C:\\Program Files', env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)'];
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    const under = (roots: string[], ...parts: string[]): string[] => roots.map((root) => join(root, ...parts));
    const paths: Record<Browser, string[]> = {
      chrome: under([...programFiles, local], 'Google', 'Chrome', 'Application', 'chrome.exe'),
      chromium: under([local, ...programFiles], 'Chromium', 'Application', 'chrome.exe'),
      edge: under(programFiles, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      firefox: [...under(programFiles, 'Mozilla Firefox', 'firefox.exe'), join(local, 'Mozilla Firefox', 'firefox.exe')],
    };
    return paths[browser];
  }
  if (platform === 'darwin') {
    const apps: Record<Browser, string> = { chrome: 'Google Chrome.app', chromium: 'Chromium.app', edge: 'Microsoft Edge.app', firefox: 'Firefox.app' };
    return ['/Applications', join(home, 'Applications')].map((folder) => join(folder, apps[browser]));
  }
  const commands: Record<Browser, string[]> = {
    chrome: ['google-chrome', 'google-chrome-stable', 'google-chrome-beta'],
    chromium: ['chromium', 'chromium-browser'],
    edge: ['microsoft-edge', 'microsoft-edge-stable', 'microsoft-edge-beta'],
    firefox: ['firefox', 'firefox-esr'],
  };
  const folders = [...new Set([...(env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/usr/local/bin', '/snap/bin'])];
  const fixed: Record<Browser, string[]> = {
    chrome: ['/opt/google/chrome/chrome'],
    chromium: [],
    edge: ['/opt/microsoft/msedge/msedge'],
    firefox: ['/opt/firefox/firefox'],
  };
  return [...folders.flatMap((folder) => commands[browser].map((command) => join(folder, command))), ...fixed[browser]];
}

/** Each browser's program (or macOS app) when it is installed, else undefined. */
export function findInstalledBrowsers(search: BrowserSearch): Record<Browser, string | undefined> {
  return Object.fromEntries(BROWSERS.map((browser) => [browser, candidates(browser, search).find((path) => search.exists(path))])) as Record<Browser, string | undefined>;
}
