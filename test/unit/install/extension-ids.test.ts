import { describe, expect, it } from 'vitest';
import { hostManifest } from '../../../native-host/install/install-plan.js';
import {
  ALLOWED_CHROMIUM_EXTENSION_IDS,
  ALLOWED_FIREFOX_EXTENSION_IDS,
  CHROMIUM_EXTENSION_ID,
  FIREFOX_EXTENSION_ID,
  STORE_EXTENSION_IDS,
  chromiumAllowedOrigins,
} from '../../../shared/protocol/extension-ids.js';

const CHROMIUM_ID = /^[a-p]{32}$/;

describe('the extension ids every host manifest allows', () => {
  it('lists the development id and every store id that is known, each in the form its browser uses', () => {
    expect(ALLOWED_CHROMIUM_EXTENSION_IDS[0]).toBe(CHROMIUM_EXTENSION_ID);
    for (const id of [STORE_EXTENSION_IDS.chromeWebStore, STORE_EXTENSION_IDS.edgeAddons]) {
      if (id === null) continue; // no listing yet: filled in at the first upload (docs/STORES.md)
      expect(id).toMatch(CHROMIUM_ID);
      expect(ALLOWED_CHROMIUM_EXTENSION_IDS).toContain(id);
    }
    expect(ALLOWED_CHROMIUM_EXTENSION_IDS.every((id) => CHROMIUM_ID.test(id))).toBe(true);
    expect(new Set(ALLOWED_CHROMIUM_EXTENSION_IDS).size).toBe(ALLOWED_CHROMIUM_EXTENSION_IDS.length);
    expect(STORE_EXTENSION_IDS.amo).toBe(FIREFOX_EXTENSION_ID);
    expect(ALLOWED_FIREFOX_EXTENSION_IDS).toEqual([FIREFOX_EXTENSION_ID]);
  });

  it("puts the whole list into the Chromium and Firefox host manifests, plus a developer's extra id", () => {
    const extra = 'abcdefghijklmnopabcdefghijklmnop';
    const chrome = hostManifest('chrome', '/x/cas-token-host', [extra]) as { allowed_origins: string[] };
    expect(chrome.allowed_origins).toEqual([...ALLOWED_CHROMIUM_EXTENSION_IDS, extra].map((id) => `chrome-extension://${id}/`));
    expect(chromiumAllowedOrigins([CHROMIUM_EXTENSION_ID])).toEqual(chromiumAllowedOrigins()); // no duplicates
    const firefox = hostManifest('firefox', '/x/cas-token-host') as { allowed_extensions: string[] };
    expect(firefox.allowed_extensions).toEqual([...ALLOWED_FIREFOX_EXTENSION_IDS]);
  });
});
