/** node-gost-crypto's GOST R 34.10 implementation (plain CommonJS, no types): only `verify` is used, by gost-signature-check.ts. */
declare module 'node-gost-crypto/lib/gostSign.js' {
  class GostSign {
    constructor(algorithm: Record<string, unknown>);
    verify(publicKey: ArrayBuffer, signature: ArrayBuffer, data: ArrayBuffer): boolean;
  }
  export = GostSign;
}
