/**
 * A token that can be pulled out or break at a chosen moment, also in the middle of a batch: the
 * fault-injecting PKCS#11 module in faulty-token/faulty-pkcs11.c (which also stands in for a PIN-pad
 * reader, the one piece of hardware the tests cannot have), compiled here with the system C
 * compiler against the PKCS#11 headers pkcs11js ships, forwarding everything else to SoftHSM2.
 * (Moving SoftHSM2's files away only works between operations: once logged in it signs from memory.)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOFTHSM2_MODULE_PATH } from '../../scripts/softhsm/provision.js';

const SOURCE = fileURLToPath(new URL('./faulty-token/faulty-pkcs11.c', import.meta.url));
const HEADERS = fileURLToPath(new URL('../../node_modules/pkcs11js/includes/pkcs11', import.meta.url));

export interface FaultyToken {
  /** The module to configure instead of SoftHSM2's. */
  modulePath: string;
  /** What the process loading the module needs in its environment. */
  env: Record<string, string>;
  /** The token leaves after `signatures` more signatures: mid-batch when that is smaller than the batch. */
  pullOutAfter(signatures: number): void;
  pullOut(): void;
  putBack(): void;
  /** The device answers CKR_DEVICE_ERROR to everything done on it… */
  breakDown(): void;
  /** …after `signatures` more signatures. */
  breakDownAfter(signatures: number): void;
  /** A reader with a PIN pad: the token says so, and a login without a PIN is one with `keypadPin`. */
  readPinFromKeypad(keypadPin: string): void;
}

export function buildFaultyToken(dir: string): FaultyToken {
  const modulePath = join(dir, 'faulty-pkcs11.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O1', '-Wall', '-I', HEADERS, '-o', modulePath, SOURCE, '-ldl'], { stdio: 'pipe' });
  const control = join(dir, 'faulty-pkcs11.control');
  const set = (word: string): void => writeFileSync(control, word);
  set('ok');
  return {
    modulePath,
    env: { FAULTY_PKCS11_TARGET: SOFTHSM2_MODULE_PATH, FAULTY_PKCS11_CONTROL: control },
    pullOutAfter: (signatures) => set(`pull-after ${signatures}`),
    pullOut: () => set('pulled'),
    putBack: () => set('ok'),
    breakDown: () => set('broken'),
    breakDownAfter: (signatures) => set(`break-after ${signatures}`),
    readPinFromKeypad: (keypadPin) => set(`pinpad ${keypadPin}`),
  };
}
