/**
 * Clicks and keys in the extension's consent and PIN windows, which close themselves once answered:
 * the click's or key's own promise may see its window go, and that is not a failure.
 */
import type { Page } from 'playwright-core';

/** Runs `action` in `window`; a window that closed under it is what the action was for. */
export async function inClosingWindow(window: Page, action: () => Promise<unknown>): Promise<void> {
  await action().catch((error: Error) => {
    if (!window.isClosed()) throw error;
  });
}

/** Clicks the button `testId` that closes its own window. */
export async function clickClosing(window: Page, testId: string): Promise<void> {
  await inClosingWindow(window, () => window.getByTestId(testId).click());
}

/** Types `pin` in the PIN window and presses Enter (a right PIN closes the window while the key is still going down). */
export async function typePinAndEnter(window: Page, pin: string): Promise<void> {
  const field = window.getByTestId('pin-input');
  await field.fill(pin);
  await inClosingWindow(window, () => field.press('Enter'));
}
