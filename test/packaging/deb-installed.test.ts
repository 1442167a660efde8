/**
 * The .deb as a user gets it (dist/packages/cas-token_<version>_amd64.deb, built by npm test before
 * vitest), installed on this machine without changing it: test/packaging/deb/installed-scenario.sh runs
 * under `unshare -m --propagation private`, lays overlays on /etc, /usr, /var/lib/dpkg (and /var/cache,
 * /var/log), takes Node.js away and runs `dpkg -i`. The browsers run inside that mount namespace
 * (`nsenter --mount=/proc/<scenario>/ns/mnt`, exec'd into /usr/bin/chromium or firefox-esr): Chromium
 * with a fresh profile and Firefox ESR with a fresh HOME find the host only through the system-wide
 * manifests the package installed, start the single executable with no `node` anywhere, and sign with a
 * SoftHSM2 token. Then `dpkg --purge`, and the file lists before and after must be the same.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumWithExtension } from '../../scripts/demo/chromium-launch.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { signatureCheckRoute } from '../../scripts/demo/signature-check-route.js';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { ALLOWED_CHROMIUM_EXTENSION_IDS, ALLOWED_FIREFOX_EXTENSION_IDS, FIREFOX_EXTENSION_ID } from '../../shared/protocol/extension-ids.js';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version.js';
import { CHROMIUM_BUILD } from '../support/chromium-extension.js';
import { FIREFOX_BUILD } from '../support/firefox-extension.js';
import { useSoftHsm } from '../support/softhsm.js';

const PIN = '482915';
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const DEB = resolve(`dist/packages/cas-token_${version}_amd64.deb`);
const SYSTEM_MANIFESTS = {
  chromium: `/etc/chromium/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
  chrome: `/etc/opt/chrome/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
  edge: `/etc/opt/edge/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
  firefox: `/usr/lib/mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
};
/** The browsers' PATH: the usual one, where the namespace has no node. */
const PATH = '/usr/local/bin:/usr/bin:/bin';

const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, pin: PIN }]);
const work = mkdtempSync(join(tmpdir(), 'cas-token-deb-'));
const hostLog = join(work, 'host.log');
let scenario: ChildProcessWithoutNullStreams;
let scenarioOutput = '';
let namespacePid = 0;
let server: RunningDemoServer;
/** What the demo site's server side checked: the signatures the pages sent it. */
const verdicts: { valid: boolean; tool: string }[] = [];

function waitForScenario(line: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`scenario: no ${line} within ${timeoutMs} ms:\n${scenarioOutput}`)), timeoutMs);
    const check = (): void => {
      const match = line.exec(scenarioOutput);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match);
      } else if (scenario.exitCode !== null) {
        clearTimeout(timer);
        reject(new Error(`scenario ended (${scenario.exitCode}):\n${scenarioOutput}`));
      } else {
        setTimeout(check, 100);
      }
    };
    check();
  });
}

/** A command inside the namespace, with the browsers' bare environment. */
function inNamespace(command: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('nsenter', [`--mount=/proc/${namespacePid}/ns/mnt`, '--', 'env', '-i', `PATH=${PATH}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** An executable that runs `program` inside the namespace (what the browser drivers launch). */
function namespaced(program: string): string {
  const wrapper = join(work, `${program.split('/').pop()}-in-namespace.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --mount=/proc/${namespacePid}/ns/mnt -- ${program} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

function hostLogLines(): string[] {
  return existsSync(hostLog) ? readFileSync(hostLog, 'utf8').trim().split('\n') : [];
}

beforeAll(async () => {
  expect(existsSync(DEB), `${DEB}: run npm run package:deb`).toBe(true);
  scenario = spawn('unshare', ['-m', '--propagation', 'private', 'bash', resolve('test/packaging/deb/installed-scenario.sh'), work, DEB], { stdio: 'pipe' });
  scenario.stdout.on('data', (chunk: Buffer) => (scenarioOutput += chunk.toString('utf8')));
  scenario.stderr.on('data', (chunk: Buffer) => (scenarioOutput += chunk.toString('utf8')));
  namespacePid = Number((await waitForScenario(/installed (\d+)/, 120_000))[1]);
  const store = softhsm.provisioned();
  const check = signatureCheckRoute(store.caCertificatePath);
  server = await startDemoServer({
    mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' },
    routes: [
      async (request, response) => {
        if (request.url !== '/api/check-signature') return false;
        // record the verdict the page gets, as the site's back office sees it
        const end = response.end.bind(response);
        response.end = ((body: string) => {
          verdicts.push(JSON.parse(body) as { valid: boolean; tool: string });
          return end(body);
        }) as typeof response.end;
        return check(request, response);
      },
    ],
  });
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (scenario && scenario.exitCode === null) {
    scenario.stdin.end();
    scenario.kill('SIGKILL');
  }
  rmSync(work, { recursive: true, force: true });
});

describe('the .deb installed in a private mount namespace', () => {
  it('puts the host, the command and a manifest for each browser in place, each allowing the development and store ids', () => {
    expect(readFileSync(join(work, 'dpkg-install.log'), 'utf8')).toContain('Setting up cas-token');
    expect(inNamespace(['sh', '-c', 'command -v node nodejs || echo none']).stdout.trim()).toBe('none');
    for (const [browser, path] of Object.entries(SYSTEM_MANIFESTS)) {
      const read = inNamespace(['cat', path]);
      expect(read.status, `${browser}: ${read.stderr}`).toBe(0);
      const manifest = JSON.parse(read.stdout) as { name: string; path: string; type: string; allowed_origins?: string[]; allowed_extensions?: string[] };
      expect(manifest).toMatchObject({ name: NATIVE_HOST_NAME, path: '/usr/lib/cas-token/cas-token-host', type: 'stdio' });
      if (browser === 'firefox') expect(manifest.allowed_extensions).toEqual([...ALLOWED_FIREFOX_EXTENSION_IDS]);
      else expect(manifest.allowed_origins).toEqual(ALLOWED_CHROMIUM_EXTENSION_IDS.map((id) => `chrome-extension://${id}/`));
      expect(inNamespace(['stat', '-c', '%a %U', path]).stdout.trim()).toBe('644 root');
    }
    expect(inNamespace(['cas-token', '--version']).stdout.trim()).toBe(version);
    expect(inNamespace(['readlink', '-f', '/usr/bin/cas-token']).stdout.trim()).toBe('/usr/lib/cas-token/cas-token-host');
    // the real machine is untouched
    expect(existsSync('/usr/lib/cas-token')).toBe(false);
  });

  it('cas-token (no node anywhere) lists the token certificates', () => {
    const store = softhsm.provisioned();
    const certs = inNamespace(['cas-token', 'certs', '--json'], { ...store.env, CAS_TOKEN_MODULES: store.modulePath, HOME: work });
    expect(certs.status, certs.stderr).toBe(0);
    const serials = (JSON.parse(certs.stdout) as { serialNumber: string }[]).map((c) => c.serialNumber).sort();
    expect(serials).toEqual(store.tokens[0]!.certificates.map((c) => c.serialNumberHex).sort());
  });

  it('Chromium with a fresh profile reaches the host through /etc/chromium only and signs with the token', async () => {
    const store = softhsm.provisioned();
    const profile = mkdtempSync(join(work, 'chromium-profile-'));
    const home = mkdtempSync(join(work, 'chromium-home-'));
    const context = await launchChromiumWithExtension({
      profile,
      extension: CHROMIUM_BUILD,
      executablePath: namespaced('/usr/bin/chromium'),
      env: { PATH, HOME: home, ...store.env, CAS_TOKEN_MODULES: store.modulePath, CAS_TOKEN_LOG_FILE: hostLog },
    });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/sign.html`);
      await page.locator('#status.ok').waitFor({ timeout: 20_000 });
      const next = (): Promise<Page> => context.waitForEvent('page', { timeout: 20_000 });
      const click = async (window: Page, testId: string): Promise<void> => {
        await window
          .getByTestId(testId)
          .click()
          .catch((error: Error) => {
            if (!window.isClosed()) throw error;
          });
      };
      const consentWindow = next();
      await page.click('#sign-hash');
      const consent = await consentWindow;
      const digestConsentWindow = next();
      await click(consent, 'consent-allow');
      const digestConsent = await digestConsentWindow;
      const pinWindow = next();
      await click(digestConsent, 'consent-allow');
      const pin = await pinWindow;
      await pin.getByTestId('pin-input').waitFor();
      if (await pin.getByTestId('pin-confirm').isVisible()) await pin.getByTestId('pin-confirm').check();
      await pin.getByTestId('pin-input').fill(PIN);
      await pin.locator('[data-testid=pin-submit]:not([disabled])').waitFor();
      await pin
        .getByTestId('pin-input')
        .press('Enter')
        .catch((error: Error) => {
          if (!pin.isClosed()) throw error;
        });
      await page.waitForFunction(() => (window as unknown as { lastHashResult?: unknown }).lastHashResult !== undefined, undefined, { timeout: 30_000 });
      const result = (await page.evaluate(() => (window as unknown as { lastHashResult: unknown }).lastHashResult)) as { verdict?: { valid: boolean; tool: string }; error?: unknown };
      expect(result.error).toBeUndefined();
      expect(result.verdict).toEqual(expect.objectContaining({ valid: true, tool: 'openssl pkeyutl' }));
    } finally {
      await context.close();
    }
    // only the system-wide manifest: none in the profile (Chromium makes the folder, empty), none in the HOME
    expect(existsSync(join(profile, 'NativeMessagingHosts')) ? readdirSync(join(profile, 'NativeMessagingHosts')) : []).toEqual([]);
    expect(existsSync(join(home, '.config', 'chromium', 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`))).toBe(false);
    expect(hostLogLines().some((line) => /host\[\d+\]: started for chrome-extension:\/\//.test(line))).toBe(true);
  }, 120_000);

  it('Firefox ESR with a fresh HOME reaches the host through /usr/lib/mozilla only and signs with the token', async () => {
    const store = softhsm.provisioned();
    const home = mkdtempSync(join(work, 'firefox-home-'));
    // The administrator's pre-approval (managed storage, not a host manifest): Firefox's consent
    // windows close the BiDi connection, so only the PIN window is driven.
    const managed = join(home, '.mozilla', 'managed-storage');
    mkdirSync(managed, { recursive: true });
    writeFileSync(
      join(managed, `${FIREFOX_EXTENSION_ID}.json`),
      JSON.stringify({ name: FIREFOX_EXTENSION_ID, description: 'CAS Token policy', type: 'storage', data: { allowedOrigins: [server.origin], digestSigningOrigins: [server.origin] } }),
    );
    const checkedBefore = verdicts.length;
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: namespaced('/usr/bin/firefox-esr'),
      headless: true,
      env: { PATH, HOME: home, ...store.env, CAS_TOKEN_MODULES: store.modulePath, CAS_TOKEN_LOG_FILE: hostLog },
    });
    const firefoxProcess = browser.process();
    try {
      await browser.installExtension(FIREFOX_BUILD);
      const page = await browser.newPage();
      await page.goto(`${server.origin}/sign.html`);
      await page.waitForSelector('#status.ok', { timeout: 20_000 });
      await page.click('#sign-hash');
      // the PIN window: listed as about:blank, its real address is the extension's
      let pin: Awaited<ReturnType<typeof browser.pages>>[number] | undefined;
      for (let tries = 0; !pin && tries < 100; tries++) {
        for (const candidate of await browser.pages()) {
          const href = await candidate.evaluate(() => location.href).catch(() => '');
          if (href.startsWith('moz-extension://') && (await candidate.$('[data-testid=pin-input]'))) pin = candidate;
        }
        if (!pin) await new Promise((r) => setTimeout(r, 200));
      }
      expect(pin, 'the PIN window').toBeDefined();
      if (await pin!.$('[data-testid=pin-confirm]')) await pin!.click('[data-testid=pin-confirm]');
      await pin!.type('[data-testid=pin-input]', PIN);
      await pin!.waitForSelector('[data-testid=pin-submit]:not([disabled])');
      // The window closes on a right PIN, which may take the BiDi connection with it: the outcome is
      // read where the site reads it, on its server side.
      await pin!.keyboard.press('Enter').catch(() => undefined);
      const deadline = Date.now() + 30_000;
      while (verdicts.length === checkedBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(verdicts.slice(checkedBefore)).toEqual([expect.objectContaining({ valid: true, tool: 'openssl pkeyutl' })]);
    } finally {
      await browser.close().catch(() => undefined);
      firefoxProcess?.kill('SIGKILL');
    }
    expect(existsSync(join(home, '.mozilla', 'native-messaging-hosts'))).toBe(false);
    expect(hostLogLines().some((line) => new RegExp(`host\\[\\d+\\]: started for .*${FIREFOX_EXTENSION_ID.replace(/[.@]/g, '\\$&')}`).test(line) || /started for \/usr\/lib\/mozilla/.test(line))).toBe(
      true,
    );
  }, 120_000);

  it('dpkg --purge removes everything: /etc, /usr and /var/lib/dpkg list the same files as before the install', async () => {
    scenario.stdin.write('purge\n');
    await waitForScenario(/purged/, 120_000);
    expect(readFileSync(join(work, 'dpkg-purge.log'), 'utf8')).toContain('Purging configuration files for cas-token');
    const before = readFileSync(join(work, 'files-before.txt'), 'utf8');
    const after = readFileSync(join(work, 'files-after.txt'), 'utf8');
    expect(before.length).toBeGreaterThan(100_000);
    const beforeSet = new Set(before.split('\n'));
    const afterSet = new Set(after.split('\n'));
    const added = [...afterSet].filter((line) => !beforeSet.has(line));
    const removed = [...beforeSet].filter((line) => !afterSet.has(line));
    expect({ added, removed }).toEqual({ added: [], removed: [] });
    // and the package had put files there, so the comparison means something
    expect(readFileSync(join(work, 'dpkg-L.txt'), 'utf8')).toContain('/usr/lib/cas-token/pkcs11.node');
    expect(readdirSync(work).some((name) => name.startsWith('overlay_usr'))).toBe(true);
  }, 150_000);
});
