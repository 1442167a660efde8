/**
 * Where users download the CAS Token program (the native host and the `cas-token` command: the
 * Windows MSI, the Debian/Ubuntu .deb). The one place this address is written: the popup's "not
 * installed" notice, the host-missing hint pages get, `cas-token doctor` and the README link to it.
 *
 * This page does NOT exist yet. It must be published, offering the MSI and the .deb of the release,
 * before the first release reaches users (the checklist in docs/STORES.md).
 */
export const DOWNLOADS_URL = 'https://castoken.eu/download/';
