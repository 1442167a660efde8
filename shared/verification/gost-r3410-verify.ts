/**
 * GOST R 34.10-2012 signature verification (RFC 7091 §6.2), in plain BigInt arithmetic.
 *
 * Written here because node-gost-crypto's GostSign.verify (jsbn arithmetic) fails about one valid
 * signature in five thousand: its modular inverse ends in a call to a function that does not exist
 * (`subtract`, a ReferenceError) whenever its binary extended Euclid ends with a coefficient ≥ the
 * modulus (about 1 inversion in 10⁴), and verify inverts twice (the digest mod q, the point's Z mod p).
 *
 * Conventions, as OpenSSL's gost engine and CryptoPro write them: the public key is X||Y, each
 * coordinate little-endian; the signature is s||r, each big-endian; the digest (Streebog) is read as a
 * little-endian number.
 */
import type { GostCurve } from './gost-curves.js';

type Point = { x: bigint; y: bigint; z: bigint } | null; // Jacobian (X/Z², Y/Z³); null: the point at infinity

const mod = (value: bigint, modulus: bigint): bigint => {
  const r = value % modulus;
  return r < 0n ? r + modulus : r;
};

/** value⁻¹ mod modulus (extended Euclid); modulus is prime and value not a multiple of it. */
function inverse(value: bigint, modulus: bigint): bigint {
  let [a, b] = [mod(value, modulus), modulus];
  let [x, y] = [1n, 0n];
  while (b !== 0n) {
    const quotient = a / b;
    [a, b] = [b, a - quotient * b];
    [x, y] = [y, x - quotient * y];
  }
  return mod(x, modulus);
}

function double(point: Point, curve: GostCurve): Point {
  if (!point || point.y === 0n) return null;
  const { p, a } = curve;
  const yy = (point.y * point.y) % p;
  const s = (4n * point.x * yy) % p;
  const zz = (point.z * point.z) % p;
  const m = (3n * point.x * point.x + a * ((zz * zz) % p)) % p;
  const x = mod(m * m - 2n * s, p);
  const y = mod(m * (s - x) - 8n * ((yy * yy) % p), p);
  return { x, y, z: (2n * point.y * point.z) % p };
}

function add(first: Point, second: Point, curve: GostCurve): Point {
  if (!first) return second;
  if (!second) return first;
  const { p } = curve;
  const z1z1 = (first.z * first.z) % p;
  const z2z2 = (second.z * second.z) % p;
  const u1 = (first.x * z2z2) % p;
  const u2 = (second.x * z1z1) % p;
  const s1 = (((first.y * second.z) % p) * z2z2) % p;
  const s2 = (((second.y * first.z) % p) * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(first, curve) : null;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = (h * h) % p;
  const hhh = (h * hh) % p;
  const x = mod(r * r - hhh - 2n * u1 * hh, p);
  const y = mod(r * (u1 * hh - x) - s1 * hhh, p);
  return { x, y, z: (((h * first.z) % p) * second.z) % p };
}

/** k1·P1 + k2·P2 (Shamir's trick). */
function twoMultiples(k1: bigint, p1: Point, k2: bigint, p2: Point, curve: GostCurve): Point {
  const both = add(p1, p2, curve);
  let result: Point = null;
  for (let bit = BigInt(Math.max(k1.toString(2).length, k2.toString(2).length) - 1); bit >= 0n; bit--) {
    result = double(result, curve);
    const b1 = (k1 >> bit) & 1n;
    const b2 = (k2 >> bit) & 1n;
    if (b1 && b2) result = add(result, both, curve);
    else if (b1) result = add(result, p1, curve);
    else if (b2) result = add(result, p2, curve);
  }
  return result;
}

const bigEndian = (bytes: Uint8Array): bigint => bytes.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
const littleEndian = (bytes: Uint8Array): bigint => bigEndian(bytes.slice().reverse());

/**
 * Whether `signature` (s||r) is a GOST R 34.10-2012 signature of `digest` by `publicKey` (X||Y) on
 * `curve`. Wrong lengths, r or s out of range and a key that is not a point of the curve are `false`.
 */
export function verifyGostR3410(curve: GostCurve, publicKey: Uint8Array, signature: Uint8Array, digest: Uint8Array): boolean {
  const n = curve.size / 8;
  if (publicKey.length !== 2 * n || signature.length !== 2 * n || digest.length !== n) return false;
  const { p, q } = curve;
  const s = bigEndian(signature.subarray(0, n));
  const r = bigEndian(signature.subarray(n));
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const qx = littleEndian(publicKey.subarray(0, n));
  const qy = littleEndian(publicKey.subarray(n));
  if (qx >= p || qy >= p || mod(qy * qy - (qx * qx * qx + curve.a * qx + curve.b), p) !== 0n) return false;
  let e = mod(littleEndian(digest), q);
  if (e === 0n) e = 1n;
  const v = inverse(e, q);
  const z1 = mod(s * v, q);
  const z2 = mod(-r * v, q);
  const c = twoMultiples(z1, { x: curve.x, y: curve.y, z: 1n }, z2, { x: qx, y: qy, z: 1n }, curve);
  if (!c) return false;
  const zInverse = inverse(c.z, p);
  const x = (c.x * zInverse * zInverse) % p;
  return mod(x, q) === r;
}
