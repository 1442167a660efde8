/**
 * The single executable (Node SEA, scripts/packaging/build-sea.js): one file, `cas-token-host`, that is
 * both the native messaging host and the `cas-token` command, with `pkcs11.node` beside it.
 */
import { isSea } from 'node:sea';
import { basename } from 'node:path';

/** True inside the single executable, false when Node runs our files from a checkout. */
export function isSingleExecutable(): boolean {
  try {
    return isSea();
  } catch {
    return false;
  }
}

/** The flag that makes the executable the `cas-token` command: `cas-token-host --cli doctor`. */
export const CLI_FLAG = '--cli';

/**
 * What the executable was asked to be. The `cas-token` command when its first argument is `--cli`, or
 * when it runs under the name `cas-token` (the .deb links /usr/bin/cas-token to it); else the native
 * messaging host, which is how browsers start it (`chrome-extension://…/`, or a manifest path and an id).
 */
export function singleExecutableRole(argv0: string, args: string[]): { role: 'cli' | 'host'; args: string[] } {
  if (args[0] === CLI_FLAG) return { role: 'cli', args: args.slice(1) };
  const name = basename(argv0.replace(/\\/g, '/'))
    .toLowerCase()
    .replace(/\.exe$/, '');
  if (name === 'cas-token') return { role: 'cli', args };
  return { role: 'host', args };
}
