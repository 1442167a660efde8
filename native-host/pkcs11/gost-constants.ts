/**
 * The PKCS#11 constants for GOST R 34.10-2012 tokens (Rutoken ECP, JaCarta). The standard ones are in
 * pkcs11js; the 512-bit ones come from the TC26 vendor range (base 0xD4321000, "NSSCK_VENDOR_PKCS11_RU_TEAM"),
 * which pkcs11js does not have. Sources: OpenSC src/pkcs11/pkcs11.h (CKK_GOSTR3410_512, CKM_GOSTR3410_512…),
 * Aktiv's pkcs11jna Pkcs11Tc26Constants, JaCarta's PKCS#11 guide (CKA_GOSTR3410_512PARAMS).
 */
// The standard values are written out (PKCS#11 v2.40 §2 tables; the same numbers pkcs11js exports), so that
// importing this file does not load the pkcs11js addon: the host loads it lazily (pkcs11-addon.ts).

const TC26 = 0xd4321000;

export const GOST_PKCS11 = {
  /** Key types: 256-bit (also GOST 2001) and 512-bit GOST R 34.10-2012 keys. */
  CKK_GOSTR3410: 0x30, // CKK_GOSTR3410
  CKK_GOSTR3410_512: TC26 + 0x003,
  /** Attributes: the parameter set (DER OID) of a key; JaCarta wants the second one for 512-bit keys. */
  CKA_GOSTR3410_PARAMS: 0x250, // CKA_GOSTR3410_PARAMS
  CKA_GOSTR3411_PARAMS: 0x251, // CKA_GOSTR3411_PARAMS
  CKA_GOSTR3410_512PARAMS: TC26 + 0x004,
  /** Mechanisms: key pair generation and signing of a precomputed Streebog digest (output s||r). */
  CKM_GOSTR3410_KEY_PAIR_GEN: 0x1200, // CKM_GOSTR3410_KEY_PAIR_GEN
  CKM_GOSTR3410: 0x1201, // CKM_GOSTR3410
  CKM_GOSTR3410_512_KEY_PAIR_GEN: TC26 + 0x005,
  CKM_GOSTR3410_512: TC26 + 0x006,
  CKM_GOSTR3410_12_DERIVE: TC26 + 0x007,
  CKM_GOSTR3410_WITH_GOSTR3411_12_256: TC26 + 0x008,
  CKM_GOSTR3410_WITH_GOSTR3411_12_512: TC26 + 0x009,
  CKM_GOSTR3411_12_256: TC26 + 0x012,
  CKM_GOSTR3411_12_512: TC26 + 0x013,
} as const;
