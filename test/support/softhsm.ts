/**
 * SoftHSM2 for a test file: a fresh store in a temp dir (provisioned once, before the file's tests),
 * `SOFTHSM2_CONF` pointing at it while the file runs, and everything removed afterwards.
 *
 *   const softhsm = useSoftHsm([DEMO_TOKEN_SPEC]);
 *   it('…', () => { const { tokens, env } = softhsm.provisioned(); … });
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_TOKEN_SPEC, provisionSoftHsm } from '../../scripts/softhsm/provision.js';
import type { ProvisionedSoftHsm, TokenSpec } from '../../scripts/softhsm/provision.js';

export interface SoftHsmFixture {
  /** The provisioned store; call it inside tests or hooks (it is ready after beforeAll). */
  provisioned(): ProvisionedSoftHsm;
}

export function useSoftHsm(tokens: TokenSpec[] = [DEMO_TOKEN_SPEC]): SoftHsmFixture {
  let store: ProvisionedSoftHsm | undefined;
  let dir: string | undefined;
  const previousConf = process.env.SOFTHSM2_CONF;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cas-token-softhsm-'));
    store = await provisionSoftHsm({ dir, tokens });
    process.env.SOFTHSM2_CONF = store.env.SOFTHSM2_CONF;
  });
  afterAll(async () => {
    if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previousConf;
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    provisioned() {
      if (!store) throw new Error('SoftHSM2 is not provisioned yet: use it inside a test or hook');
      return store;
    },
  };
}

/** The directory SoftHSM2 keeps a token in (found by the label in its token.object file). */
export async function tokenDirectory(store: ProvisionedSoftHsm, label: string): Promise<string> {
  const paddedLabel = Buffer.from(label.padEnd(32, ' '), 'utf8');
  for (const entry of await readdir(store.tokenDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(store.tokenDir, entry.name);
    for (const file of await readdir(dir)) {
      if (file.endsWith('.object') && (await readFile(join(dir, file))).includes(paddedLabel)) return dir;
    }
  }
  throw new Error(`No SoftHSM2 token directory holds the label "${label}"`);
}

/** SoftHSM2's vendor attribute for the token flags in token.object (CKA_VENDOR_DEFINED + 0x5348 + 3). */
const CKA_OS_TOKENFLAGS = 0x8000534bn;
const ULONG_ATTRIBUTE = 2n;

/**
 * Sets token flags (e.g. CKF_USER_PIN_LOCKED, CKF_USER_PIN_FINAL_TRY) in SoftHSM2's token file, the way
 * a hardware token reports its PIN counters. SoftHSM2 keeps no PIN try counter of its own, so this is
 * how a test gets a token that says "locked" or "final try". Do it before the module is initialised.
 *
 * token.object is a list of attributes: type (u64), kind (u64; 2 = unsigned long), value (u64), big-endian.
 */
export async function setSoftHsmTokenFlags(store: ProvisionedSoftHsm, label: string, flags: { set?: number; clear?: number }): Promise<number> {
  const dir = await tokenDirectory(store, label);
  const marker = Buffer.alloc(16);
  marker.writeBigUInt64BE(CKA_OS_TOKENFLAGS, 0);
  marker.writeBigUInt64BE(ULONG_ATTRIBUTE, 8);
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.object')) continue;
    const path = join(dir, file);
    const bytes = await readFile(path);
    const at = bytes.indexOf(marker);
    if (at < 0) continue;
    const current = Number(bytes.readBigUInt64BE(at + 16));
    const updated = (current | (flags.set ?? 0)) & ~(flags.clear ?? 0);
    bytes.writeBigUInt64BE(BigInt(updated >>> 0), at + 16);
    await writeFile(path, bytes);
    return updated;
  }
  throw new Error(`No token flags found for token "${label}"`);
}
