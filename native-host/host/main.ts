/**
 * The native messaging host. Chromium starts it with `chrome-extension://<id>/`, Firefox with the
 * manifest path and the add-on id; `cas-token host` starts the same by hand. Speaks framed JSON on
 * stdin/stdout; logs one-line events on stderr (the browser's log), never message contents.
 */
import { packageVersion } from '../package-version.js';
import { createTokenService } from '../token-service-factory.js';
import { runHostSession } from './host-session.js';

export async function runNativeHost(argv: string[] = process.argv.slice(2)): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`cas-token host: ${line}\n`);
  };
  const caller = argv.find((arg) => /^(chrome-extension|moz-extension):\/\//.test(arg)) ?? argv[1] ?? argv[0] ?? 'terminal';
  const tokens = createTokenService();
  process.stdout.on('error', () => process.exit(0)); // the browser went away
  const how = await runHostSession({
    input: process.stdin,
    output: process.stdout,
    context: { version: packageVersion(), tokens },
    log,
  });
  process.stdin.destroy();
  tokens.close();
  log(`session with ${caller} ${how === 'ended' ? 'ended' : 'closed after an unreadable frame'}`);
  return how === 'ended' ? 0 : 1;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) {
  process.exitCode = await runNativeHost();
}
