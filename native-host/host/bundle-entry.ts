/** Entry of dist/host/cas-token-host.mjs (scripts/build-host.js), the host the launcher runs with Node. */
import { runNativeHost } from './main.js';

process.exitCode = await runNativeHost();
