/**
 * Where the CLI gets a PIN: an environment variable named by `--pin-env`, or a hidden prompt on a
 * terminal. Never from an argument (it would sit in the shell history and `ps`).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';

export async function readPin(options: { pinEnv?: string | undefined; prompt: string; protectedAuthenticationPath?: boolean }): Promise<string | undefined> {
  if (options.protectedAuthenticationPath) return undefined; // typed on the PIN pad
  if (options.pinEnv) {
    const pin = process.env[options.pinEnv];
    if (pin === undefined || pin === '') {
      throw new CasTokenError('PIN_REQUIRED', `The environment variable ${options.pinEnv} (named by --pin-env) is not set.`);
    }
    return pin;
  }
  if (!process.stdin.isTTY) {
    throw new CasTokenError('PIN_REQUIRED', 'A PIN is needed: pass --pin-env VAR (the name of an environment variable holding it) or run in a terminal.');
  }
  return promptHidden(options.prompt);
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let pin = '';
    const done = (error?: CasTokenError): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(pin);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003' || char === '\u001b') return done(new CasTokenError('USER_CANCELLED', 'Cancelled.'));
        if (char === '\u007f' || char === '\b') pin = pin.slice(0, -1);
        else pin += char;
      }
    };
    stdin.on('data', onData);
  });
}
