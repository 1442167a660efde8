/**
 * Streebog (GOST R 34.11-2012) from node-gost-crypto against the standard's known answers (GOST R
 * 34.11-2012 appendix A / RFC 6986 section 10: M1 and M2 at 256 and 512 bits) and against OpenSSL's gost
 * engine (`openssl dgst -engine gost -md_gost12_256/512`) on random inputs of awkward sizes.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { digestOf } from '../../../shared/signature/signer.js';
import { streebog, STREEBOG_MAX_BYTES } from '../../../shared/signature/streebog.js';
import { openssl } from '../../support/gost-token.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** M1: the 63 ASCII digits "0123456789" repeated up to "…012". */
const M1 = new TextEncoder().encode('012345678901234567890123456789012345678901234567890123456789012');
/** M2: "Се ветри, Стрибожи внуци, веютъ с моря стрелами на храбрыя плъкы Игоревы" in Windows-1251 (72 bytes). */
const M2 = Buffer.from('d1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2f0e5ebe0ece820ede020f5f0e0e1f0fbff20efebfaeafb20c8e3eef0e5e2fb', 'hex');

const KNOWN_ANSWERS = [
  ['M1', M1, 'GOST3411-2012-256', '9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500'],
  ['M1', M1, 'GOST3411-2012-512', '1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48'],
  ['M2', M2, 'GOST3411-2012-256', '9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50'],
  ['M2', M2, 'GOST3411-2012-512', '1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28'],
] as const;

function opensslStreebog(data: Uint8Array, bits: 256 | 512): string {
  const output = openssl(['dgst', '-engine', 'gost', `-md_gost12_${bits}`, '-r'], undefined, data).toString();
  return output.trim().split(/\s+/)[0]!;
}

describe('Streebog', () => {
  for (const [name, message, hashAlgorithm, expected] of KNOWN_ANSWERS) {
    it(`gives the standard's ${hashAlgorithm} of ${name}`, async () => {
      expect(hex(await streebog(message, hashAlgorithm))).toBe(expected);
      expect(hex(await digestOf(message, hashAlgorithm))).toBe(expected);
    });
  }

  it('agrees with openssl -engine gost on random inputs (0 bytes to 1 MiB, block edges)', async () => {
    const sizes = [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 1000, 4096 + 7, 65_536 + 3, randomInt(100_000, 300_000), 1024 * 1024 + 5];
    for (const size of sizes) {
      const data = new Uint8Array(randomBytes(size));
      for (const bits of [256, 512] as const) {
        const ours = hex(await streebog(data, bits === 256 ? 'GOST3411-2012-256' : 'GOST3411-2012-512'));
        expect(ours, `${size} bytes, ${bits} bits`).toBe(opensslStreebog(data, bits));
      }
    }
  });

  it(`refuses more than ${STREEBOG_MAX_BYTES / 1024 / 1024} MiB with a clear error (it hashes in one go)`, async () => {
    const tooBig = new Uint8Array(STREEBOG_MAX_BYTES + 1);
    const failure = await streebog(tooBig, 'GOST3411-2012-256').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CasTokenError);
    expect((failure as CasTokenError).code).toBe('INVALID_ARGUMENT');
    expect((failure as CasTokenError).message).toMatch(/up to 64 MiB/);
  });
});
