/**
 * What real desks do to the host: the host process dies in the middle of a request → the page gets
 * HOST_UNAVAILABLE, and the next request starts a new host and succeeds, without restarting the browser.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { tokenDirectory, useSoftHsm } from '../support/softhsm.js';
import { allowOrigins } from '../support/sdk-from-click.js';
import { typePinAndEnter } from '../support/closing-window.js';

const softhsm = useSoftHsm();
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let page: Page;

/**
 * Host processes this browser started (the launcher execs node on the built host with the extension
 * origin); other test files' browsers run hosts too, so only those with this file's SoftHSM2 store count.
 */
function hostPids(): number[] {
  const conf = `SOFTHSM2_CONF=${softhsm.provisioned().env.SOFTHSM2_CONF}`;
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-f', `dist/host/cas-token-host.cjs chrome-extension://${browser.extensionId}/`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(conf);
    } catch {
      return false;
    }
  });
}

function getCertificates(): Promise<{ ok: boolean; code?: string; count?: number }> {
  return page.evaluate(async () => {
    const sdk = (window as unknown as { CasToken: { getCertificates(): Promise<unknown[]> } }).CasToken;
    try {
      return { ok: true, count: (await sdk.getCertificates()).length };
    } catch (error) {
      return { ok: false, code: (error as { code: string }).code };
    }
  });
}

beforeAll(async () => {
  const store = softhsm.provisioned();
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  browser = await launchExtensionBrowser({ env: { ...store.env, CAS_TOKEN_MODULES: store.modulePath } });
  page = await openSdkPage(browser, `${server.origin}/sign.html`);
  await allowOrigins(browser, [server.origin], { digests: true }); // consent is not what this file tests
  const first = getCertificates();
  expect(await first).toEqual({ ok: true, count: 2 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('host faults', () => {
  it('a host killed mid-request gives HOST_UNAVAILABLE; the next request starts a new host', async () => {
    const pids = hostPids();
    expect(pids).toHaveLength(1); // one persistent host for the whole browser session
    const pid = pids[0];
    process.kill(pid!, 'SIGSTOP'); // the host hangs in the middle of the next request…
    const pending = getCertificates();
    await page.waitForTimeout(300);
    process.kill(pid!, 'SIGKILL'); // …and dies
    expect(await pending).toEqual({ ok: false, code: 'HOST_UNAVAILABLE' });
    expect(await getCertificates()).toEqual({ ok: true, count: 2 });
    const [newPid] = hostPids();
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(pid);
  });

  it('many pages asking at once each get their own answer', async () => {
    const pages = await Promise.all([0, 1].map(() => openSdkPage(browser, `${server.origin}/sign.html`)));
    const results = await Promise.all(
      pages.map((p, index) =>
        p.evaluate(async (tag) => {
          const sdk = (window as unknown as { CasToken: { getCertificates(): Promise<{ id: string }[]> } }).CasToken;
          const answers = await Promise.all(Array.from({ length: 50 }, () => sdk.getCertificates()));
          return { tag, counts: answers.map((a) => a.length) };
        }, index),
      ),
    );
    for (const [index, result] of results.entries()) {
      expect(result.tag).toBe(index);
      expect(result.counts).toEqual(Array(50).fill(2));
    }
    await Promise.all(pages.map((p) => p.close()));
  });

  it('a token pulled out while the user types the PIN gives NO_TOKEN; put back, signing works again without a restart', async () => {
    const store = softhsm.provisioned();
    const directory = await tokenDirectory(store, 'CAS Demo');
    const outside = `${store.dir}-pulled-${Date.now()}`;
    const digest = Buffer.alloc(32, 9).toString('base64');
    const signOnce = (): Promise<{ ok: boolean; code?: string }> =>
      page.evaluate(async (hash) => {
        const sdk = (window as unknown as { CasToken: { sign(o: object): Promise<unknown> } }).CasToken;
        try {
          await sdk.sign({ hash, hashAlgorithm: 'SHA-256' });
          return { ok: true };
        } catch (error) {
          return { ok: false, code: (error as { code: string }).code };
        }
      }, digest);
    let pinWindow = browser.context.waitForEvent('page', { timeout: 20_000 });
    let result = signOnce();
    let pin = await pinWindow;
    await pin.getByTestId('pin-input').waitFor();
    renameSync(directory, outside); // the token leaves the USB port
    await pin.getByTestId('pin-confirm').check(); // bare digests, the qualified key, the user's permission
    await typePinAndEnter(pin, '1234');
    expect(await result).toEqual({ ok: false, code: 'NO_TOKEN' });

    renameSync(outside, directory); // and comes back
    pinWindow = browser.context.waitForEvent('page', { timeout: 20_000 });
    result = signOnce();
    pin = await pinWindow;
    await pin.getByTestId('pin-confirm').check();
    await typePinAndEnter(pin, '1234');
    expect(await result).toEqual({ ok: true });
  });
});
