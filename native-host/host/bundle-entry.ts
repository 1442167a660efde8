/** Entry of dist/host/cas-token-host.cjs (scripts/build-host.js), the host the launcher runs with Node. */
import { runNativeHost } from './main.js';

// No top-level await: with one, the bundler keeps the modules shared with the lazily loaded chunks in
// chunks of their own (several files to load at start-up) instead of merging them into this one.
void runNativeHost().then((code) => {
  process.exitCode = code;
});
