/**
 * The native messaging host. Chromium starts it with `chrome-extension://<id>/`, Firefox with the
 * manifest path and the add-on id; `cas-token host` starts the same by hand. The entries that run it:
 * `bundle-entry.ts` (dist/host/cas-token-host.cjs) and `../single-executable-main.ts`. Speaks framed JSON on
 * stdin/stdout; logs one-line events on stderr (the browser's log), never message contents.
 */
import { appendFileSync, chmodSync, statSync, writeSync } from 'node:fs';
import { packageVersion } from '../package-version.js';
import { createTokenService } from '../token-service-factory.js';
import { runHostSession } from './host-session.js';

/** The support log is for its user only. */
export const LOG_FILE_MODE = 0o600;

export async function runNativeHost(argv: string[] = process.argv.slice(2)): Promise<number> {
  // One line per event on stderr (the browser's log) and, when CAS_TOKEN_LOG_FILE names a file, there too
  // (for support). Never message contents, so never a PIN.
  // The file is the user's own (0600, whatever the umask; an existing one is set so at the first line).
  const logFile = process.env.CAS_TOKEN_LOG_FILE;
  let logFileModeSet = false;
  const log = (line: string): void => {
    const stamped = `${new Date().toISOString()} cas-token host[${process.pid}]: ${line}\n`;
    // Straight to file descriptor 2, as process.stderr would write it (synchronously) but without setting
    // up the stream: ~3 ms of every start-up and a few hundredths of a millisecond of every request. A
    // line that cannot be written (no stderr at all) is dropped: the log must never stop the host.
    try {
      writeSync(2, stamped);
    } catch {
      // nothing to write to
    }
    if (logFile) {
      try {
        appendFileSync(logFile, stamped, { mode: LOG_FILE_MODE });
        if (!logFileModeSet) {
          logFileModeSet = true;
          if (process.platform !== 'win32' && statSync(logFile).isFile()) chmodSync(logFile, LOG_FILE_MODE);
        }
      } catch {
        // an unwritable log file must not stop the host
      }
    }
  };
  const caller = argv.find((arg) => /^(chrome-extension|moz-extension):\/\//.test(arg)) ?? argv[1] ?? argv[0] ?? 'terminal';
  log(`started for ${argv.find((arg) => /^(chrome-extension|moz-extension):\/\//.test(arg)) ?? argv[1] ?? 'a terminal'}`);
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
