import { describe, expect, it } from 'vitest';
import { planInstall } from '../../../native-host/install/install-plan.js';
import { ALLOWED_FIREFOX_EXTENSION_IDS, CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID, chromiumAllowedOrigins } from '../../../shared/protocol/extension-ids.js';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.js';

const common = { nodePath: '/usr/bin/node', hostEntry: '/opt/cas-token/dist/host/cas-token-host.cjs' };
const manifestOf = (plan: ReturnType<typeof planInstall>, path: string) => JSON.parse(plan.files.find((f) => f.path === path)!.content);

describe('installing the native host', () => {
  it('writes each browser manifest where it reads them on Linux, allowing only our extension', () => {
    const plan = planInstall({ ...common, platform: 'linux', home: '/home/ana', browsers: ['chrome', 'chromium', 'edge', 'firefox'] });
    expect(plan.manifests.map((m) => m.path)).toEqual([
      `/home/ana/.config/google-chrome/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      `/home/ana/.config/chromium/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      `/home/ana/.config/microsoft-edge/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      `/home/ana/.mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
    ]);
    const chrome = manifestOf(plan, plan.manifests[0]!.path);
    expect(chrome).toMatchObject({ name: NATIVE_HOST_NAME, type: 'stdio', path: plan.launcher, allowed_origins: chromiumAllowedOrigins() });
    expect(chrome.allowed_origins).toContain(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
    expect(manifestOf(plan, plan.manifests[3]!.path).allowed_extensions).toEqual([...ALLOWED_FIREFOX_EXTENSION_IDS]);
    expect(ALLOWED_FIREFOX_EXTENSION_IDS).toContain(FIREFOX_EXTENSION_ID);
    const launcher = plan.files.find((f) => f.path === plan.launcher)!;
    expect(launcher.executable).toBe(true);
    expect(launcher.content).toContain(`exec '/usr/bin/node' '${common.hostEntry}' "$@"`);
    expect(plan.registry).toEqual([]);
  });

  it('uses <profile>/NativeMessagingHosts for a custom Chromium profile', () => {
    const plan = planInstall({ ...common, platform: 'linux', home: '/home/ana', userDataDir: '/tmp/profile', browsers: ['chromium'] });
    expect(plan.manifests[0]!.path).toBe(`/tmp/profile/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`);
    expect(plan.launcher.startsWith('/tmp/profile/NativeMessagingHosts/')).toBe(true);
  });

  it('uses the Application Support folders on macOS', () => {
    const plan = planInstall({ ...common, platform: 'darwin', home: '/Users/ana', browsers: ['chrome', 'firefox'] });
    expect(plan.manifests.map((m) => m.path)).toEqual([
      `/Users/ana/Library/Application Support/Google/Chrome/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      `/Users/ana/Library/Application Support/Mozilla/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
    ]);
  });

  // The Windows registry cannot be touched here: the plan's registry values are checked instead of `reg add` itself.
  it('registers the manifest path under HKCU on Windows, with a .cmd launcher', () => {
    const plan = planInstall({
      ...common,
      platform: 'win32',
      home: 'C:\\Users\\ana',
      localAppData: 'C:\\Users\\ana\\AppData\\Local',
      browsers: ['chrome', 'edge', 'firefox'],
      nodePath: 'C:\\node\\node.exe',
    });
    expect(plan.registry.map((r) => r.key)).toEqual([
      `HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
      `HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
      `HKCU\\Software\\Mozilla\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
    ]);
    expect(plan.registry[0]!.value).toBe(`C:\\Users\\ana\\AppData\\Local\\cas-token\\chrome\\${NATIVE_HOST_NAME}.json`);
    expect(plan.registry.every((r) => plan.manifests.some((m) => m.path === r.value))).toBe(true);
    expect(plan.launcher.endsWith('cas-token-host.cmd')).toBe(true);
    expect(plan.files.find((f) => f.path === plan.launcher)!.content).toContain('"C:\\node\\node.exe"');
  });
});
