/** The one part of node-gost-crypto (MIT, plain CommonJS, no types) we use: its Streebog implementation. */
declare module 'node-gost-crypto/lib/gostDigest.js' {
  interface GostDigestAlgorithm {
    name: 'GOST R 34.11';
    version: 2012;
    length: 256 | 512;
  }
  class GostDigest {
    constructor(algorithm: GostDigestAlgorithm);
    /** One-shot: the whole message in, the digest out (as OpenSSL's md_gost12_* prints it). */
    digest(data: ArrayBuffer | ArrayBufferView): ArrayBuffer;
  }
  export = GostDigest;
}
