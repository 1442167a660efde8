#!/usr/bin/env node
// Entry of the `cas-token` command: runs the compiled CLI (npm run build:node makes it): the bundle
// (dist/cli, one file: faster to start) when it is there, else the compiled modules (dist/node).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const bundle = new URL('../dist/cli/cas-token-cli.mjs', import.meta.url);
const main = existsSync(fileURLToPath(bundle)) ? bundle : new URL('../dist/node/native-host/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('cas-token: not built yet. Run `npm run build` (or `npm run setup`) in ' + fileURLToPath(new URL('..', import.meta.url)) + '\n');
  process.exit(1);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
