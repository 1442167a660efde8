/**
 * Page SDK calls made the way a site makes them: from the handler of a button the user clicks (a real
 * user gesture, which a site's first consent window needs), and extension decisions set up directly
 * for tests whose subject is not the consent itself.
 */
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './chromium-extension.js';

export type SdkOutcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/**
 * Runs `call` — the source of a function `(sdk, argument) => Promise` over the page's `CasToken` —
 * from the click handler of a button the test clicks; resolves when the call settles.
 */
export async function sdkFromClick(target: Page, call: string, argument?: unknown): Promise<SdkOutcome> {
  const key = `r${Math.random().toString(36).slice(2)}`;
  await target.evaluate(
    ({ key, call, argument }) => {
      const button = document.createElement('button');
      button.id = key;
      button.textContent = 'run';
      Object.assign(button.style, { position: 'fixed', top: '0', left: '0', zIndex: '2147483647' });
      button.onclick = () => {
        const sdk = (window as unknown as { CasToken: unknown }).CasToken;
        const run = new Function('sdk', 'argument', `return (${call})(sdk, argument);`) as (sdk: unknown, argument: unknown) => Promise<unknown>;
        const results = window as unknown as Record<string, SdkOutcome>;
        run(sdk, argument).then(
          (value) => (results[key] = { ok: true, value }),
          (error: { code: string; message: string }) => (results[key] = { ok: false, code: error.code, message: error.message }),
        );
        button.remove();
      };
      document.body.append(button);
    },
    { key, call, argument },
  );
  await target.click(`#${key}`);
  await target.waitForFunction((key) => (window as unknown as Record<string, unknown>)[key] !== undefined, key, { timeout: 280_000, polling: 100 });
  return target.evaluate((key) => (window as unknown as Record<string, SdkOutcome>)[key]!, key);
}

/** Records, as the consent windows would, that the user allowed `origins` (and bare digests when `digests`). */
export async function allowOrigins(browser: ExtensionBrowser, origins: string[], options: { digests?: boolean } = {}): Promise<void> {
  await browser.worker.evaluate(
    async ({ origins, digests }) => {
      const decisions = ((await chrome.storage.local.get('originDecisions')).originDecisions ?? {}) as Record<string, unknown>;
      const decidedAt = new Date().toISOString();
      for (const origin of origins) decisions[origin] = { allowed: true, decidedAt, ...(digests ? { digests: { allowed: true, decidedAt } } : {}) };
      await chrome.storage.local.set({ originDecisions: decisions });
    },
    { origins, digests: options.digests === true },
  );
}
