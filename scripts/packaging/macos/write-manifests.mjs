// Writes the macOS pkg's native messaging host manifests into a payload folder, at the system-wide
// places each browser reads for every user (systemWideTarget in native-host/install/browser-targets.ts),
// allowing every extension id (shared/protocol/extension-ids.ts: development build and stores).
// Uses the compiled modules of `npm run build:node` (dist/node), so the ids and paths have one source.
//
//   node scripts/packaging/macos/write-manifests.mjs PAYLOAD_ROOT HOST_PATH
// e.g. PAYLOAD_ROOT=build/macos/payload, HOST_PATH="/Library/Application Support/CAS Token/cas-token-host"
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [payloadRoot, hostPath] = process.argv.slice(2);
if (!payloadRoot || !hostPath) {
  console.error('usage: write-manifests.mjs PAYLOAD_ROOT HOST_PATH');
  process.exit(2);
}
const dist = new URL('../../../dist/node/', import.meta.url);
const { BROWSERS, systemWideTarget } = await import(new URL('native-host/install/browser-targets.js', dist).href);
const { hostManifest } = await import(new URL('native-host/install/install-plan.js', dist).href);
const { NATIVE_HOST_NAME } = await import(new URL('shared/protocol/version.js', dist).href);

for (const browser of BROWSERS) {
  const { manifestDir } = systemWideTarget(browser, NATIVE_HOST_NAME, 'darwin');
  const folder = join(payloadRoot, manifestDir);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${NATIVE_HOST_NAME}.json`);
  writeFileSync(path, JSON.stringify(hostManifest(browser, hostPath), null, 2) + '\n', { mode: 0o644 });
  console.log(path);
}
