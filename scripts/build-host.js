// Bundles the native host (native-host/host/bundle-entry.ts → host/main.ts and everything it imports)
// into dist/host/cas-token-host.cjs: one file to load instead of ~60 modules, which cuts the host's cold
// start by about a third (`npm run bench` measures it). CommonJS, not an ES module: Node loads a CommonJS
// entry ~5 ms sooner (no module-loader job), and the host is started for every browser session; the
// package version is written in (no package.json to find and read at start-up). What `status` does not need is imported lazily and
// so lands in chunks of its own, loaded on first use: the zod request schemas (the first request with
// parameters), the signing code with asn1js (the first signature), certificate parsing (the first listing),
// renewal with pkijs. The entry must not use top-level await: with it the bundler stops merging the
// modules the entry shares with those chunks into the entry, and start-up loads several files again.
// pkcs11js stays a package (a native addon).
// Minified (source maps beside): less source for V8 to scan at every start (the host ~5 ms sooner to its
// first reply, the CLI ~60 ms: pdf-lib and pkijs are ~1.5 MB of source unminified; measured A/B here).
// The launcher `cas-token install` writes runs this file. Then the CLI the same way (below).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  configFile: false,
  logLevel: 'warn',
  root,
  publicDir: false,
  build: {
    ssr: 'native-host/host/bundle-entry.ts',
    outDir: 'dist/host',
    emptyOutDir: true,
    target: 'node20',
    minify: true,
    sourcemap: true,
    rollupOptions: { output: { format: 'cjs', entryFileNames: 'cas-token-host.cjs', chunkFileNames: '[name]-[hash].cjs' } },
  },
  define: { __CAS_TOKEN_VERSION__: JSON.stringify(version) },
  ssr: { noExternal: true, external: ['pkcs11js'] },
});
console.log('built dist/host/cas-token-host.cjs');

// The `cas-token` command likewise (bin/cas-token.js loads it when it is there, dist/node otherwise):
// node start-up is part of every batch `cas-token sign` signs, and one file loads faster than the
// ~150 modules of dist/node (pdf-lib alone is ~100 CommonJS files). Each command stays its own chunk,
// loaded when it runs.
await build({
  configFile: false,
  logLevel: 'warn',
  root,
  publicDir: false,
  build: {
    ssr: 'native-host/cli/main.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: true,
    sourcemap: true,
    rollupOptions: { output: { format: 'es', entryFileNames: 'cas-token-cli.mjs', chunkFileNames: '[name]-[hash].mjs' } },
  },
  ssr: { noExternal: true, external: ['pkcs11js'] },
});
console.log('built dist/cli/cas-token-cli.mjs');
