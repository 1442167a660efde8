/**
 * The one fake `chrome` for unit tests of extension code (happy-dom or Node, no browser): the test
 * scripts what the background answers (`sendMessage`), and may replace `windows`, `tabs` or
 * `getPlatformInfo`; i18n answers in English from public/_locales/en, storage.local is in memory, and
 * the listeners the code adds with `runtime.onMessage` are kept for the test to call.
 */
import { vi } from 'vitest';
import { getEnglishMessage } from './english-messages.js';

/** The extension id the fake runs under (the development id). */
export const TEST_EXTENSION_ID = 'ajmhonaiblmmfkmibljfnabdpbbpcfdm';

export interface FakeChromeOptions {
  /** What `runtime.sendMessage` answers; undefined when not given. */
  sendMessage?: (message: never) => unknown;
  getPlatformInfo?: () => Promise<{ os: string; arch: string; nacl_arch: string }>;
  windows?: object;
  tabs?: object;
}

export interface FakeChrome {
  /** `chrome.storage.local`, as a map the test can read and fill. */
  storage: Map<string, unknown>;
  /** Calls every listener the code added with `runtime.onMessage.addListener`, as the browser would. */
  deliver(message: unknown): void;
}

/** Installs a fresh fake as the global `chrome` (undone by `vi.unstubAllGlobals()`). */
export function installFakeChrome(options: FakeChromeOptions = {}): FakeChrome {
  const storage = new Map<string, unknown>();
  let listeners: ((message: unknown) => void)[] = [];
  vi.stubGlobal('chrome', {
    i18n: { getMessage: getEnglishMessage },
    runtime: {
      id: TEST_EXTENSION_ID,
      getURL: (path: string) => `chrome-extension://${TEST_EXTENSION_ID}/${path}`,
      getPlatformInfo: options.getPlatformInfo ?? (async () => ({ os: 'linux', arch: 'x86-64', nacl_arch: 'x86-64' })),
      sendMessage: async (message: never) => options.sendMessage?.(message),
      onMessage: {
        addListener: (listener: (message: unknown) => void) => listeners.push(listener),
        removeListener: (listener: (message: unknown) => void) => (listeners = listeners.filter((l) => l !== listener)),
      },
    },
    storage: {
      local: {
        get: async (key: string) => (storage.has(key) ? { [key]: storage.get(key) } : {}),
        set: async (items: Record<string, unknown>) => {
          for (const [key, value] of Object.entries(items)) storage.set(key, value);
        },
      },
    },
    tabs: options.tabs ?? { query: async () => [], create: async () => ({}) },
    ...(options.windows ? { windows: options.windows } : {}),
  });
  return { storage, deliver: (message) => listeners.forEach((listener) => listener(message)) };
}
