/** Keys named as people name them, in the PIN window and `cas-token cert` (shared/certificate/key-algorithm-label.ts). */
import { describe, expect, it } from 'vitest';
import { keyAlgorithmLabel } from '../../../shared/certificate/key-algorithm-label.js';

describe('key algorithm labels', () => {
  it('names RSA, EC curves, GOST 2012 and EdDSA keys', () => {
    expect(keyAlgorithmLabel({ algorithm: 'RSA', size: 2048 })).toBe('RSA 2048');
    expect(keyAlgorithmLabel({ algorithm: 'EC', size: 256, curve: 'P-256' })).toBe('EC P-256');
    expect(keyAlgorithmLabel({ algorithm: 'EC', size: 256, curve: '1.3.36.3.3.2.8.1.1.7' })).toBe('EC 256');
    expect(keyAlgorithmLabel({ algorithm: 'GOST2012-256', size: 256, curve: '1.2.643.7.1.2.1.1.1' })).toBe('GOST 2012-256');
    expect(keyAlgorithmLabel({ algorithm: 'GOST2012-512', size: 512 })).toBe('GOST 2012-512');
    expect(keyAlgorithmLabel({ algorithm: 'Ed25519', size: 256 })).toBe('Ed25519');
    expect(keyAlgorithmLabel({ algorithm: '1.2.3.4', size: 0 })).toBe('1.2.3.4');
  });
});
