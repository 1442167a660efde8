/**
 * Signing digests with GOST R 34.10-2012 keys through the token service, on the GOST test token:
 * CKM_GOSTR3410 / CKM_GOSTR3410_512 over a Streebog-sized digest, the token's s||r passed on unchanged
 * and checked by `openssl pkeyutl -verify -engine gost` with the certificate's public key (with negative
 * controls); GOST 2001 keys and digests that do not fit the key refused before the PIN.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { failureOf } from '../../support/failure-of.js';
import type { TokenService } from '../../../native-host/pkcs11/token-service.js';
import { GOST_TEST_PIN, openssl, opensslVerdict, useGostTestToken } from '../../support/gost-token.js';
import type { GostEndEntity, GostPki, GostToken } from '../../support/gost-token.js';

const gost = useGostTestToken('cas-token-gost-signing-');
let dir: string;
let pki: GostPki;
let token: GostToken;
let service: TokenService;
const users: Record<'g256' | 'g512' | 'g2001', GostEndEntity> = {} as never;

function opensslAcceptsDigest(user: GostEndEntity, digest: Uint8Array, signature: Uint8Array): boolean {
  const work = mkdtempSync(join(dir, 'verify-'));
  openssl(['x509', '-engine', 'gost', '-in', user.certificatePemPath, '-pubkey', '-noout', '-out', join(work, 'public.pem')]);
  writeFileSync(join(work, 'digest'), digest);
  writeFileSync(join(work, 'signature'), signature);
  return opensslVerdict(['pkeyutl', '-engine', 'gost', '-verify', '-pubin', '-inkey', join(work, 'public.pem'), '-in', join(work, 'digest'), '-sigfile', join(work, 'signature')]).ok;
}

beforeAll(() => {
  ({ dir, pki, token } = gost);
  users.g256 = pki.issue('ivan256', 'gost2012_256', '0x0097B8752D16ACBF80E7119829', '/C=RU/O=TFOMS TEST/CN=Ivan Petrov');
  users.g512 = pki.issue('ivan512', 'gost2012_512', '0x1B2C3D', '/C=RU/O=TFOMS TEST/CN=Ivan Petrov 512');
  users.g2001 = pki.issue('old2001', 'gost2001', '0x2001', '/C=RU/O=TFOMS TEST/CN=Old Key');
  token.addUser('01', users.g256, 'Ivan Petrov');
  token.addUser('02', users.g512, 'Ivan Petrov 512');
  token.addUser('03', users.g2001, 'Old Key');
  service = gost.service();
});

describe('GOST R 34.10-2012 signing through PKCS#11', () => {
  it('lists the GOST certificates with their serials', async () => {
    const certificates = await service.listCertificates();
    expect(certificates.map((c) => c.details.serialNumber).sort()).toEqual([users.g256.serialNumber, users.g512.serialNumber, users.g2001.serialNumber].sort());
  });

  for (const [name, hashAlgorithm, bytes] of [
    ['g256', 'GOST3411-2012-256', 32],
    ['g512', 'GOST3411-2012-512', 64],
  ] as const) {
    it(`signs ${hashAlgorithm} digests (a batch, one PIN) that openssl verifies; r||s, a changed byte, another digest fail`, async () => {
      const user = users[name];
      const digests = [randomBytes(bytes), randomBytes(bytes), randomBytes(bytes)].map((b) => new Uint8Array(b));
      const result = await service.signDigests({ certificate: { serialNumber: user.serialNumber }, hashAlgorithm, scheme: 'auto', digests, pin: GOST_TEST_PIN });
      expect(result.algorithm).toEqual({ scheme: 'gost', hashAlgorithm, name: name === 'g256' ? 'GOST2012-256' : 'GOST2012-512' });
      expect(result.signatures).toHaveLength(3);
      result.signatures.forEach((signature, index) => {
        expect(signature).toHaveLength(2 * bytes);
        expect(opensslAcceptsDigest(user, digests[index]!, signature)).toBe(true);
      });
      const signature = result.signatures[0]!;
      const swapped = new Uint8Array([...signature.subarray(bytes), ...signature.subarray(0, bytes)]);
      expect(opensslAcceptsDigest(user, digests[0]!, swapped)).toBe(false);
      const changed = signature.slice();
      changed[bytes + 3]! ^= 0x40;
      expect(opensslAcceptsDigest(user, digests[0]!, changed)).toBe(false);
      expect(opensslAcceptsDigest(user, digests[1]!, signature)).toBe(false);
    });
  }

  it('refuses a GOST 2001 key before asking for the PIN', async () => {
    const error = await failureOf(
      service.signDigests({ certificate: { serialNumber: users.g2001.serialNumber }, hashAlgorithm: 'GOST3411-2012-256', scheme: 'auto', digests: [new Uint8Array(32)], pin: 'not the PIN' }),
    );
    expect(error.code).toBe('MECHANISM_NOT_SUPPORTED');
    expect(error.message).toMatch(/GOST R 34\.10-2001/);
  });

  it('refuses digests that do not fit the key, and other schemes, before the PIN', async () => {
    const sha = await failureOf(
      service.signDigests({ certificate: { serialNumber: users.g256.serialNumber }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [new Uint8Array(32)], pin: 'not the PIN' }),
    );
    expect(sha.code).toBe('INVALID_ARGUMENT');
    expect(sha.message).toMatch(/GOST3411-2012-256/);
    const otherSize = await failureOf(
      service.signDigests({ certificate: { serialNumber: users.g512.serialNumber }, hashAlgorithm: 'GOST3411-2012-256', scheme: 'auto', digests: [new Uint8Array(32)], pin: 'not the PIN' }),
    );
    expect(otherSize.code).toBe('INVALID_ARGUMENT');
    expect(otherSize.message).toMatch(/GOST3411-2012-512/);
    const ecdsa = await failureOf(
      service.signDigests({ certificate: { serialNumber: users.g256.serialNumber }, hashAlgorithm: 'GOST3411-2012-256', scheme: 'ecdsa', digests: [new Uint8Array(32)], pin: 'not the PIN' }),
    );
    expect(ecdsa.code).toBe('MECHANISM_NOT_SUPPORTED');
  });

  it('answers a wrong PIN with PIN_INCORRECT', async () => {
    const error = await failureOf(
      service.signDigests({ certificate: { serialNumber: users.g256.serialNumber }, hashAlgorithm: 'GOST3411-2012-256', scheme: 'auto', digests: [new Uint8Array(32)], pin: '9999' }),
    );
    expect(error.code).toBe('PIN_INCORRECT');
  });
});
