/**
 * node-gost-crypto's GOST R 34.10 implementation (plain CommonJS, no types). The verifier no longer uses
 * it (shared/verification/gost-r3410-verify.ts); verify-gost.test.ts calls its `verify` only to show
 * that its regression fixture reaches the digest on which that `verify` throws.
 */
declare module 'node-gost-crypto/lib/gostSign.js' {
  class GostSign {
    constructor(algorithm: Record<string, unknown>);
    verify(publicKey: ArrayBuffer, signature: ArrayBuffer, data: ArrayBuffer): boolean;
  }
  export = GostSign;
}
