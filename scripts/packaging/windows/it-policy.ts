/**
 * The optional policy for IT departments on Windows, as a `.reg` file (off by default: nothing is
 * applied unless an administrator imports it or deploys the same values by Group Policy):
 *
 * - pre-approved CAS sites: the extension's managed storage (public/extension/managed-schema.json:
 *   `allowedOrigins`, `digestSigningOrigins`), read by Chrome, Chromium and Edge from
 *   HKLM\SOFTWARE\Policies\<browser>\3rdparty\extensions\<id>\policy and by Firefox from
 *   HKLM\SOFTWARE\Policies\Mozilla\Firefox\3rdparty\Extensions\<id>; a list is a key whose values
 *   are named 1, 2, 3… (how both browsers read lists from the registry);
 * - force-installation from the stores: Chrome/Edge `ExtensionInstallForcelist` ("<id>;<update URL>"),
 *   Firefox `ExtensionSettings` (installation_mode force_installed, install_url from AMO).
 *
 *   node dist/node/scripts/packaging/windows/it-policy.js --origin https://cas.example.ro [--origin …]
 *        [--digest-origin https://…] [--no-force-install] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ALLOWED_CHROMIUM_EXTENSION_IDS, STORE_EXTENSION_IDS } from '../../../shared/protocol/extension-ids.js';

/**
 * The store listings' ids, needed to force-install (a browser installs only from its own store, so
 * which id is the Chrome Web Store's and which Edge Add-ons' matters here, unlike in a host manifest).
 * `null` = no listing yet: the .reg then says so instead of force-installing.
 */
export const FORCE_INSTALL_STORE_IDS: typeof STORE_EXTENSION_IDS = STORE_EXTENSION_IDS;

/** Every Chromium-family id whose managed storage gets the origins: every id a host manifest allows. */
export function chromiumPolicyIds(storeIds = FORCE_INSTALL_STORE_IDS): string[] {
  return [...new Set([...ALLOWED_CHROMIUM_EXTENSION_IDS, storeIds.chromeWebStore, storeIds.edgeAddons].filter((id): id is string => id !== null))];
}

export const CHROME_WEB_STORE_UPDATE_URL = 'https://clients2.google.com/service/update2/crx';
export const EDGE_ADDONS_UPDATE_URL = 'https://edge.microsoft.com/extensionwebstorebase/v1/crx';

export interface PolicyOptions {
  /** Origins (https://cas.example.ro) allowed without asking the user. */
  allowedOrigins: string[];
  /** Origins allowed to have bare digests signed (servers that assemble signatures themselves). */
  digestSigningOrigins?: string[];
  forceInstall: boolean;
  storeIds?: typeof FORCE_INSTALL_STORE_IDS;
}

const POLICY_ROOTS = {
  chrome: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome',
  chromium: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Chromium',
  edge: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge',
  firefox: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Mozilla\\Firefox',
};

/** The example the MSI build writes beside the installers (origins to be replaced: docs/WINDOWS.md). */
export function policyFileName(version: string): string {
  return `cas-token-${version}-policy-example.reg`;
}

/** An origin as the extension compares them: scheme://host[:port], https (or http://localhost). */
export function checkedOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not an origin like https://cas.example.ro`);
  }
  if (url.origin !== text.replace(/\/$/, '') || (url.protocol !== 'https:' && url.hostname !== 'localhost')) {
    throw new Error(`"${text}" is not an https origin like https://cas.example.ro (no path, no query)`);
  }
  return url.origin;
}

function regString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function listKey(key: string, values: string[]): string[] {
  return [`[${key}]`, ...values.map((value, index) => `"${index + 1}"=${regString(value)}`), ''];
}

/** The .reg file's text (CRLF line ends, ASCII: origins are ASCII, IDNs in their xn-- form). */
export function windowsPolicyRegistryFile(options: PolicyOptions): string {
  const storeIds = options.storeIds ?? FORCE_INSTALL_STORE_IDS;
  const allowed = options.allowedOrigins.map(checkedOrigin);
  const digest = (options.digestSigningOrigins ?? []).map(checkedOrigin);
  const lines = [
    'Windows Registry Editor Version 5.00',
    '',
    '; CAS Token: policy for IT departments (docs/WINDOWS.md). Import as an administrator:',
    ';   reg import cas-token-policy.reg',
    '; or deploy the same keys and values with Group Policy Preferences. Remove them to undo.',
    '',
  ];
  if (allowed.length > 0 || digest.length > 0) {
    lines.push('; CAS sites the extension may use without asking the user (its managed storage).', '');
    for (const browser of ['chrome', 'chromium', 'edge'] as const) {
      for (const id of chromiumPolicyIds(storeIds)) {
        const base = `${POLICY_ROOTS[browser]}\\3rdparty\\extensions\\${id}\\policy`;
        if (allowed.length > 0) lines.push(...listKey(`${base}\\allowedOrigins`, allowed));
        if (digest.length > 0) lines.push(...listKey(`${base}\\digestSigningOrigins`, digest));
      }
    }
    const firefox = `${POLICY_ROOTS.firefox}\\3rdparty\\Extensions\\${storeIds.amo}`;
    if (allowed.length > 0) lines.push(...listKey(`${firefox}\\allowedOrigins`, allowed));
    if (digest.length > 0) lines.push(...listKey(`${firefox}\\digestSigningOrigins`, digest));
  }
  if (options.forceInstall) {
    lines.push(
      '; Force-installation from the stores. ExtensionInstallForcelist is one list per browser: if you',
      '; already force-install extensions, renumber the value below to follow your last one.',
      '',
    );
    const forcelist = (browser: 'chrome' | 'edge', id: string | null, updateUrl: string, store: string): void => {
      if (id === null) {
        lines.push(`; ${browser}: no ${store} id yet (shared/protocol/extension-ids.ts), so nothing to force-install.`, '');
      } else {
        lines.push(...listKey(`${POLICY_ROOTS[browser]}\\ExtensionInstallForcelist`, [`${id};${updateUrl}`]));
      }
    };
    forcelist('chrome', storeIds.chromeWebStore, CHROME_WEB_STORE_UPDATE_URL, 'Chrome Web Store');
    forcelist('edge', storeIds.edgeAddons, EDGE_ADDONS_UPDATE_URL, 'Edge Add-ons');
    lines.push(
      '; firefox: from addons.mozilla.org, once the add-on is published there.',
      `[${POLICY_ROOTS.firefox}\\ExtensionSettings\\${storeIds.amo}]`,
      `"installation_mode"="force_installed"`,
      `"install_url"=${regString(`https://addons.mozilla.org/firefox/downloads/latest/${storeIds.amo}/latest.xpi`)}`,
      '',
    );
  }
  return lines.join('\r\n');
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const { values } = parseArgs({
    options: {
      origin: { type: 'string', multiple: true, default: [] },
      'digest-origin': { type: 'string', multiple: true, default: [] },
      'no-force-install': { type: 'boolean', default: false },
      out: { type: 'string', default: 'cas-token-policy.reg' },
    },
  });
  writeFileSync(values.out, windowsPolicyRegistryFile({ allowedOrigins: values.origin, digestSigningOrigins: values['digest-origin'], forceInstall: !values['no-force-install'] }));
  console.log(`wrote ${values.out}`);
}
