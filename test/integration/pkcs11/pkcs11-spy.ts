/**
 * OpenSC's pkcs11-spy: a PKCS#11 module that forwards every call to the real one (SoftHSM2 here) and
 * logs it. Tests load it instead of SoftHSM2 to count what the token was actually asked, e.g. how many
 * C_Login calls a request made. The log holds test PINs only and lives in a temp dir.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SOFTHSM2_MODULE_PATH } from '../../../scripts/softhsm/provision.js';

export function pkcs11SpyModulePath(): string {
  const candidates = ['/usr/lib/pkcs11/pkcs11-spy.so', ...readdirSync('/usr/lib').map((dir) => join('/usr/lib', dir, 'pkcs11', 'pkcs11-spy.so'))];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('pkcs11-spy.so not found: sudo apt-get install opensc');
  return found;
}

export interface Pkcs11Spy {
  modulePath: string;
  /** A point in the log; the counters below take it to look only at what came after. */
  checkpoint(): number;
  /** How many times the log shows a call to `functionName` (e.g. `C_Login`). */
  calls(functionName: string, since?: number): number;
  /** The `userType` and PIN length of each C_Login, in order (e.g. `CKU_USER/4`). */
  logins(since?: number): string[];
}

/** Points the spy at SoftHSM2 and a log file; set before the module is loaded (the spy reads it then). */
export function spyOnSoftHsm(logPath: string): Pkcs11Spy {
  process.env.PKCS11SPY = SOFTHSM2_MODULE_PATH;
  process.env.PKCS11SPY_OUTPUT = logPath;
  const log = (since = 0): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(since) : '');
  return {
    modulePath: pkcs11SpyModulePath(),
    checkpoint: () => log().length,
    calls: (functionName, since) =>
      log(since)
        .split('\n')
        .filter((line) => new RegExp(`^\\d+: ${functionName}$`).test(line.trim())).length,
    logins: (since) => [...log(since).matchAll(/: C_Login\n[^\n]*\n[^\n]*\n\[in\] userType = (\S+)\n\[in\] pPin\[ulPinLen\] \S+ \/ (\d+)/g)].map((m) => `${m[1]!}/${m[2]!}`),
  };
}
