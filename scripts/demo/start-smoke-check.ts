/**
 * `npm start -- --smoke`: the newcomer path without a desktop. The same profile, extension, host and
 * demo page, in headless Chromium: open the popup for the registration tab, click "Fill form", and
 * check that the certificate fields on the page were filled.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromiumWithExtension } from './chromium-launch.js';

export interface SmokeOptions {
  chromium: string;
  profile: string;
  extension: string;
  page: string;
  env: Record<string, string>;
}

export async function runStartSmokeCheck(options: SmokeOptions): Promise<number> {
  const context = await launchChromiumWithExtension({
    profile: options.profile,
    extension: options.extension,
    executablePath: options.chromium,
    env: { ...process.env, ...options.env } as Record<string, string>,
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const extensionId = new URL(worker.url()).host;
    const page = await context.newPage();
    await page.goto(options.page);
    const tabId = await worker.evaluate(async (url) => {
      type Tabs = { query(query: { url: string }): Promise<{ id?: number }[]> };
      const api = (globalThis as unknown as { chrome: { tabs: Tabs } }).chrome;
      return (await api.tabs.query({ url }))[0]?.id;
    }, options.page);
    const manifest = JSON.parse(readFileSync(join(options.extension, 'manifest.json'), 'utf8')) as { action: { default_popup: string } };
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/${manifest.action.default_popup}?tab=${tabId}`);
    await popup.getByTestId('fill-form').click({ timeout: 20_000 });
    await popup.getByTestId('fill-result').waitFor({ timeout: 20_000 });
    const result = (await popup.getByTestId('fill-result').textContent()) ?? '';
    const values = await page.$$eval('input, textarea', (fields) =>
      fields.filter((f) => (f as HTMLInputElement).value).map((f) => `${f.id || (f as HTMLInputElement).name}: ${(f as HTMLInputElement).value}`),
    );
    console.log(`Popup says: ${result.trim()}`);
    console.log(values.map((v) => `  ${v}`).join('\n'));
    const ok = values.length >= 4;
    console.log(ok ? 'Smoke check passed: the registration form was filled from the token.' : 'Smoke check FAILED: the form was not filled.');
    return ok ? 0 : 1;
  } finally {
    await context.close();
  }
}
