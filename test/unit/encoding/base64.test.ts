import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';

describe('base64 of signed files and digests', () => {
  it('writes what Node writes, for every length remainder and every byte value', () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const bytes of [new Uint8Array(0), every, ...Array.from({ length: 9 }, (_, n) => randomBytes(1000 + n)), randomBytes(3 * 1024 * 1024 + 1)]) {
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(base64ToBytes(text)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('reads unpadded base64 as atob does', () => {
    expect([...base64ToBytes('YQ')]).toEqual([0x61]);
    expect([...base64ToBytes('YWI')]).toEqual([0x61, 0x62]);
  });

  it('refuses what is not base64 instead of returning other bytes', () => {
    for (const bad of ['YW*=', 'Y', 'YWJj ZA==', 'абвг', 'YQ==YQ==']) expect(() => base64ToBytes(bad), bad).toThrow(/not correctly encoded/);
  });
});
