/** A certificate's key as people name it: `RSA 2048`, `EC P-256`, `GOST 2012-256`, `Ed25519`. */
import type { PublicKeyDetails } from './certificate-details.js';

export function keyAlgorithmLabel(key: PublicKeyDetails): string {
  const gost = /^GOST2012-(256|512)$/.exec(key.algorithm);
  if (gost) return `GOST 2012-${gost[1]}`;
  if (key.algorithm === 'EC') return key.curve && /^P-\d+$/.test(key.curve) ? `EC ${key.curve}` : `EC ${key.size}`;
  if (key.algorithm === 'RSA') return `RSA ${key.size}`;
  if (key.algorithm === 'Ed25519' || key.algorithm === 'Ed448') return key.algorithm;
  return key.size ? `${key.algorithm} ${key.size}` : key.algorithm;
}
