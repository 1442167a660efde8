/**
 * Our GOST R 34.10-2012 arithmetic: the standard's own worked example (GOST R 34.10-2012 appendix A.1,
 * also RFC 7091 §7.1: its test curve, key, digest and signature) is accepted and every changed part of
 * it refused; the curves we name are curves with their base point on them. OpenSSL's signatures on
 * each named curve: test/integration/verify/verify-gost.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { GOST_CURVES } from '../../../shared/verification/gost-curves.js';
import type { GostCurve } from '../../../shared/verification/gost-curves.js';
import { verifyGostR3410 } from '../../../shared/verification/gost-r3410-verify.js';

const TEST_CURVE: GostCurve = {
  p: 0x8000000000000000000000000000000000000000000000000000000000000431n,
  a: 7n,
  b: 0x5fbff498aa938ce739b8e022fbafef40563f6e6a3472fc2a514c0ce9dae23b7en,
  q: 0x8000000000000000000000000000000150fe8a1892976154c59cfc193accf5b3n,
  x: 2n,
  y: 0x08e2a8a0e65147d4bd6316030e16d19c85c97f0a9ca267122b96abbcea7e8fc8n,
  size: 256,
};
const PUBLIC_X = 0x7f2b49e270db6d90d8595bec458b50c58585ba1d4e9b788f6689dbd8e56fd80bn;
const PUBLIC_Y = 0x26f1b489d6701dd185c8413a977b3cbbaf64d1c593d26627dffb101a87ff77dan;
const E = 0x2dfbc1b372d89a1188c09c52e0eec61fce52032ab1022e8e67ece6672b043ee5n;
const R = 0x41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493n;
const S = 0x01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40n;

const bigEndian = (n: bigint, bytes = 32): Uint8Array => Uint8Array.from(Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex'));
const littleEndian = (n: bigint, bytes = 32): Uint8Array => bigEndian(n, bytes).reverse();
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

const publicKey = concat(littleEndian(PUBLIC_X), littleEndian(PUBLIC_Y));
const signature = concat(bigEndian(S), bigEndian(R));
const digest = littleEndian(E);

describe('verifyGostR3410', () => {
  it("accepts the standard's worked example", () => {
    expect(verifyGostR3410(TEST_CURVE, publicKey, signature, digest)).toBe(true);
  });

  it('refuses the example with any part changed: a bit of the signature, the digest or the key; r or s out of range; wrong lengths', () => {
    for (const index of [0, 1, 31, 32, 33, 63]) {
      const changed = signature.slice();
      changed[index]! ^= 0x01;
      expect(verifyGostR3410(TEST_CURVE, publicKey, changed, digest)).toBe(false);
    }
    expect(verifyGostR3410(TEST_CURVE, publicKey, signature, littleEndian(E + 1n))).toBe(false);
    expect(verifyGostR3410(TEST_CURVE, concat(littleEndian(PUBLIC_X + 1n), littleEndian(PUBLIC_Y)), signature, digest)).toBe(false); // not a point of the curve
    expect(verifyGostR3410(TEST_CURVE, concat(littleEndian(PUBLIC_X), littleEndian(TEST_CURVE.p - PUBLIC_Y)), signature, digest)).toBe(false); // -Q: on the curve, not the signer
    expect(verifyGostR3410(TEST_CURVE, publicKey, concat(bigEndian(S), bigEndian(R + TEST_CURVE.q, 32)), digest)).toBe(false);
    expect(verifyGostR3410(TEST_CURVE, publicKey, concat(bigEndian(S), new Uint8Array(32)), digest)).toBe(false);
    expect(verifyGostR3410(TEST_CURVE, publicKey, concat(new Uint8Array(32), bigEndian(R)), digest)).toBe(false);
    expect(verifyGostR3410(TEST_CURVE, publicKey, signature.subarray(1), digest)).toBe(false);
    expect(verifyGostR3410(TEST_CURVE, publicKey.subarray(0, 63), signature, digest)).toBe(false);
    expect(verifyGostR3410(TEST_CURVE, publicKey, signature, digest.subarray(1))).toBe(false);
  });

  it('every named parameter set is a curve with its base point on it, of the size it says', () => {
    for (const [oid, curve] of Object.entries(GOST_CURVES)) {
      const { p, a, b, x, y } = curve;
      expect((((y * y - (x * x * x + a * x + b)) % p) + p) % p, oid).toBe(0n);
      expect(p.toString(2).length, oid).toBe(curve.size);
      // q: the base point's order, of the key's size, or (tc26 256 A, 512 C: 4·q points on the curve) up to two bits less.
      expect(curve.q.toString(2).length, oid).toBeLessThanOrEqual(curve.size);
      expect(curve.q.toString(2).length, oid).toBeGreaterThanOrEqual(curve.size - 2);
    }
  });
});
