/**
 * A token pulled out and put back while the host runs: NO_TOKEN while it is away, signing again when it
 * is back, with the same TokenService (no restart). SoftHSM2 "removal" = moving its token directory away;
 * SoftHSM2 sees the directory again only after a new C_Initialize, which the service does by itself.
 */
import { createHash } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../../native-host/pkcs11/token-service.js';
import { DEMO_TOKEN_SPEC, SOFTHSM2_MODULE_PATH } from '../../../scripts/softhsm/provision.js';
import { tokenDirectory, useSoftHsm } from '../../support/softhsm.js';
import { describeCertificateStandIn } from './certificate-details-stand-in.js';
import { verifyDigestSignature } from '../../support/independent-verifiers.js';
import { failureOf } from '../../support/failure-of.js';

const SPARE = { ...DEMO_TOKEN_SPEC, label: 'Rezerva', certificates: DEMO_TOKEN_SPEC.certificates.slice(1) };
const softhsm = useSoftHsm([DEMO_TOKEN_SPEC, SPARE]);

const service = new TokenService({ modules: [{ path: SOFTHSM2_MODULE_PATH, source: 'env' }], describeCertificate: describeCertificateStandIn });
afterAll(() => service.close());

const digest = new Uint8Array(createHash('sha256').update('Borderou centralizator').digest());
const signRsa = () => service.signDigests({ token: { label: 'CAS Demo' }, certificate: { id: '01' }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [digest], pin: '1234' });

describe('token removed and re-inserted', () => {
  it('answers NO_TOKEN while the token is away and signs again once it is back, without a restart', async () => {
    const store = softhsm.provisioned();
    await expect(signRsa()).resolves.toBeDefined();

    const dir = await tokenDirectory(store, 'CAS Demo');
    const away = join(store.dir, `${basename(dir)}.away`); // outside the token store: "unplugged"
    await rename(dir, away);
    try {
      const whileAway = await failureOf(signRsa());
      expect(whileAway.code).toBe('NO_TOKEN');
      expect(whileAway.message).toContain('CAS Demo');
      expect((await service.listTokens()).map((t) => t.label)).toEqual(['Rezerva']);
      expect((await failureOf(service.listCertificates({ label: 'CAS Demo' }))).code).toBe('NO_TOKEN');
    } finally {
      await rename(away, dir);
    }

    const back = await signRsa();
    const certificatePath = store.tokens[0]!.certificates[0]!.certificatePath;
    const verdict = await verifyDigestSignature({ certificatePath, scheme: 'rsa-pkcs1', hashAlgorithm: 'SHA-256', digest, signature: back.signatures[0]! });
    expect(verdict.ok).toBe(true);
    expect((await service.listTokens()).map((t) => t.label).sort()).toEqual(['CAS Demo', 'Rezerva']);
  });

  it('keeps serving the other token while one is away', async () => {
    const store = softhsm.provisioned();
    const dir = await tokenDirectory(store, 'CAS Demo');
    const away = join(store.dir, `${basename(dir)}.away`); // outside the token store: "unplugged"
    await rename(dir, away);
    try {
      const result = await service.signDigests({ token: { label: 'Rezerva' }, certificate: { id: '02' }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [digest], pin: '1234' });
      const verdict = await verifyDigestSignature({
        certificatePath: store.tokens[1]!.certificates[0]!.certificatePath,
        scheme: 'ecdsa',
        hashAlgorithm: 'SHA-256',
        digest,
        signature: result.signatures[0]!,
      });
      expect(verdict.ok).toBe(true);
    } finally {
      await rename(away, dir);
    }
  });

  it('answers NO_TOKEN for a token label that was never inserted', async () => {
    const error = await failureOf(service.signDigests({ token: { label: 'Alt token' }, certificate: { id: '01' }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [digest], pin: '1234' }));
    expect(error.code).toBe('NO_TOKEN');
    expect(error.message).toContain('Alt token');
  });
});
