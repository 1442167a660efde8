// Builds the extension for Chromium (dist/chrome) and Firefox (dist/firefox) from the one manifest.json,
// the injected form filler (content/fill.js, a classic script, into both), and the page SDK (dist/sdk:
// ES module, classic script defining window.CasToken, and .d.ts types).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceManifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8'));

/** The one source manifest, adapted: Chromium runs a service worker, Firefox an event page (background.scripts). */
function manifestFor(browser) {
  const manifest = structuredClone(sourceManifest);
  if (browser === 'firefox') {
    delete manifest.key;
    delete manifest.storage; // managed storage comes from ~/.mozilla/managed-storage, no schema needed
    manifest.background = { scripts: [manifest.background.service_worker], type: 'module' };
  } else {
    delete manifest.browser_specific_settings;
  }
  return manifest;
}

const quiet = { logLevel: 'warn', configFile: false, root };
// `node scripts/build-extension.js firefox` builds only dist/firefox (`npm run build-for-amo`: what AMO's reviewers rebuild).
const only = process.argv[2];
if (only !== undefined && only !== 'chrome' && only !== 'firefox') throw new Error(`Unknown browser "${only}": chrome or firefox`);

for (const browser of only ? [only] : ['chrome', 'firefox']) {
  const outDir = `dist/${browser}`;
  rmSync(new URL(`../${outDir}`, import.meta.url), { recursive: true, force: true });
  await build({
    ...quiet,
    plugins: [preact(), crx({ manifest: manifestFor(browser), browser })],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: false,
      // Pages the manifest does not name: the consent/PIN window, the sign-files, renew, provider profile and verify pages.
      rollupOptions: {
        input: {
          prompt: 'extension/ui/prompt/prompt.html',
          signFiles: 'extension/ui/sign-files/sign-files.html',
          renew: 'extension/ui/renew/renew.html',
          providerProfile: 'extension/ui/provider-profile/provider-profile.html',
          verify: 'extension/ui/verify/verify.html',
        },
      },
    },
    legacy: { skipWebSocketTokenCheck: true },
  });
  // The form filler: injected on demand with scripting.executeScript({ files }), so a classic script.
  await build({
    ...quiet,
    publicDir: false,
    build: {
      outDir: `${outDir}/content`,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      lib: { entry: 'extension/content/fill/inject.ts', formats: ['iife'], name: 'casTokenFillBundle', fileName: () => 'fill.js' },
    },
  });
}

if (only) {
  console.log(`built dist/${only}`);
  process.exit(0);
}

// The page SDK for CAS sites.
rmSync(new URL('../dist/sdk', import.meta.url), { recursive: true, force: true });
await build({
  ...quiet,
  publicDir: false,
  build: {
    outDir: 'dist/sdk',
    emptyOutDir: true,
    target: 'es2020',
    minify: false,
    lib: { entry: 'extension/sdk/index.ts', formats: ['es'], fileName: () => 'cas-token.js' },
  },
});
await build({
  ...quiet,
  publicDir: false,
  build: {
    outDir: 'dist/sdk',
    emptyOutDir: false,
    target: 'es2020',
    minify: false,
    lib: { entry: 'extension/sdk/global.ts', formats: ['iife'], name: 'CasTokenBundle', fileName: () => 'cas-token.global.js' },
  },
});
execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.sdk.json'], { cwd: root, stdio: 'inherit' });
writeFileSync(new URL('../dist/sdk/cas-token.d.ts', import.meta.url), "export * from './types/extension/sdk/index.js';\n");
console.log('built dist/chrome, dist/firefox, dist/sdk');
