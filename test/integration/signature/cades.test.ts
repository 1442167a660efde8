/** CAdES-BES detached signatures made with the SoftHSM2 token, verified by `openssl cms -verify`. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCades } from '../../../shared/signature/cades.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { tokenSigning } from '../../support/token-signer.js';
import type { TokenSigning } from '../../support/token-signer.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-cades-'));
let signing: TokenSigning;
beforeAll(() => {
  signing = tokenSigning(softhsm.provisioned());
});
afterAll(() => signing?.close());

function verify(data: Uint8Array, signature: Uint8Array, name: string): { ok: boolean; output: string } {
  const content = join(work, name);
  writeFileSync(content, data);
  writeFileSync(content + '.p7s', signature);
  const run = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', content + '.p7s', '-content', content, '-CAfile', softhsm.provisioned().caCertificatePath, '-out', '/dev/null'], { encoding: 'utf8' });
  return { ok: run.status === 0 && /Verification successful/.test(run.stderr), output: run.stderr };
}

describe('CAdES-BES detached', () => {
  it.each([
    ['01', 'SHA-256'],
    ['01', 'SHA-512'],
    ['02', 'SHA-256'],
    ['02', 'SHA-384'],
  ] as [string, HashAlgorithm][])('certificate %s with %s verifies with openssl cms', async (id, hashAlgorithm) => {
    const data = new TextEncoder().encode(`Raport lunar ${id} ${hashAlgorithm} — Clinica Demo\n`);
    const signature = await signCades(data, signing.signer(id), { hashAlgorithm });
    const result = verify(data, signature, `raport-${id}-${hashAlgorithm}.txt`);
    expect(result.output).toMatch(/Verification successful/);
    expect(result.ok).toBe(true);
  });

  it('carries contentType, messageDigest, signingTime and signingCertificateV2', async () => {
    const signature = await signCades(new Uint8Array([1, 2, 3]), signing.signer('01'));
    writeFileSync(join(work, 'attrs.p7s'), signature);
    const printed = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(work, 'attrs.p7s')], { encoding: 'utf8' }).stdout;
    for (const attribute of ['contentType', 'messageDigest', 'signingTime', 'id-smime-aa-signingCertificateV2']) expect(printed).toContain(attribute);
    expect(printed).toMatch(/eContent: <ABSENT>/); // detached: the document is not inside
  });

  it('fails verification when the content changed (the check can fail)', async () => {
    const data = new TextEncoder().encode('original');
    const signature = await signCades(data, signing.signer('01'));
    expect(verify(new TextEncoder().encode('tampered'), signature, 'tampered.txt').ok).toBe(false);
  });
});
