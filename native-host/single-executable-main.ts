/**
 * Main of the single executable (bundled to CommonJS by scripts/packaging/build-sea.js: a SEA main
 * cannot use top-level await). The same file is the native host and the `cas-token` command; each role
 * loads only its own code (dynamic imports stay lazy in the bundle), so the host starts as fast as
 * the bundled .mjs.
 */
import { singleExecutableRole } from './single-executable.js';

const { role, args } = singleExecutableRole(process.argv0, process.argv.slice(2));
const run = role === 'cli' ? import('./cli/main.js').then(({ runCli }) => runCli(args)) : import('./host/main.js').then(({ runNativeHost }) => runNativeHost(args));
void run.then((code) => {
  process.exitCode = code;
});
