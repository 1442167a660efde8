/** A certificate that expires in 10 days: the popup warns, and the icon gets a badge with the days left. */
import { describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../scripts/softhsm/provision.js';
import { useSoftHsm } from '../support/softhsm.js';
import { useTokenBrowser } from '../support/browser-for-tests.js';

const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, certificates: DEMO_TOKEN_SPEC.certificates.map((c) => ({ ...c, validDays: 10 })) }]);
const browser = useTokenBrowser(softhsm);

describe('expiry watch', () => {
  it('warns in the popup and puts the days left on the badge', async () => {
    const page = await browser.context.newPage();
    await page.goto('about:blank');
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/extension/ui/popup/popup.html`);
    const warning = popup.getByTestId('expiry-warning');
    await warning.waitFor({ timeout: 20_000 });
    expect(await warning.textContent()).toMatch(/\b(9|10)\b/);
    await expect.poll(() => browser.worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: 10_000 }).toMatch(/^(9|10)$/);
    const notified = await browser.worker.evaluate(async () => (await chrome.storage.local.get('expiryNotified')).expiryNotified as Record<string, string>);
    expect(Object.values(notified)).toContain('expiring');
  });
});
