/**
 * The GOST test token itself (test/support/gost-token/gost-pkcs11.c) through pkcs11js, as the product
 * loads it: login and a wrong PIN, objects, signing of a precomputed digest with CKM_GOSTR3410 /
 * CKM_GOSTR3410_512 checked by `openssl pkeyutl -verify -engine gost` (with negative controls), key
 * generation and certificate import that persist across module loads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import pkcs11js from 'pkcs11js';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOST_TEST_PIN, openssl, opensslVerdict, useGostTestToken } from '../../support/gost-token.js';
import type { GostEndEntity, GostPki, GostToken } from '../../support/gost-token.js';

const CKK_GOSTR3410_512 = 0xd4321003;
const CKM_GOSTR3410_512_KEY_PAIR_GEN = 0xd4321005;
const CKM_GOSTR3410_512 = 0xd4321006;

const gost = useGostTestToken('cas-token-gost-token-');
let dir: string;
let pki: GostPki;
let token: GostToken;
let user256: GostEndEntity;
let user512: GostEndEntity;

function withModule<T>(work: (pkcs11: pkcs11js.PKCS11, slot: pkcs11js.Handle) => T): T {
  Object.assign(process.env, token.env);
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(token.modulePath);
  pkcs11.C_Initialize();
  try {
    const [slot] = pkcs11.C_GetSlotList(true);
    return work(pkcs11, slot!);
  } finally {
    pkcs11.C_Finalize();
    pkcs11.close();
  }
}

function find(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, template: pkcs11js.Template): pkcs11js.Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  const handles = pkcs11.C_FindObjects(session, 100);
  pkcs11.C_FindObjectsFinal(session);
  return handles;
}

function ulong(bytes: Buffer): number {
  return Number(bytes.readBigUInt64LE(0));
}

/** openssl's own check of a raw GOST signature over a digest with the certificate's public key. */
function opensslAccepts(certificatePemPath: string, digest: Uint8Array, signature: Uint8Array): { ok: boolean; output: string } {
  const work = mkdtempSync(join(dir, 'verify-'));
  openssl(['x509', '-engine', 'gost', '-in', certificatePemPath, '-pubkey', '-noout', '-out', join(work, 'public.pem')]);
  writeFileSync(join(work, 'digest'), digest);
  writeFileSync(join(work, 'signature'), signature);
  return opensslVerdict(['pkeyutl', '-engine', 'gost', '-verify', '-pubin', '-inkey', join(work, 'public.pem'), '-in', join(work, 'digest'), '-sigfile', join(work, 'signature')]);
}

beforeAll(() => {
  ({ dir, pki, token } = gost);
  user256 = pki.issue('user256', 'gost2012_256', '0x0097B8752D16ACBF80E7119829');
  user512 = pki.issue('user512', 'gost2012_512', '0x2A');
  token.addUser('01', user256, 'Ivan Petrov 256');
  token.addUser('02', user512, 'Ivan Petrov 512');
});

describe('GOST test token', () => {
  it('names itself, lists the GOST mechanisms and refuses a wrong PIN', () => {
    withModule((pkcs11, slot) => {
      const info = pkcs11.C_GetTokenInfo(slot);
      expect(info.label.trim()).toBe('GOST test token');
      expect(info.flags & pkcs11js.CKF_LOGIN_REQUIRED).toBeTruthy();
      expect(new Set(pkcs11.C_GetMechanismList(slot))).toEqual(new Set([pkcs11js.CKM_GOSTR3410_KEY_PAIR_GEN, pkcs11js.CKM_GOSTR3410, CKM_GOSTR3410_512_KEY_PAIR_GEN, CKM_GOSTR3410_512]));
      const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      expect(() => pkcs11.C_Login(session, pkcs11js.CKU_USER, '0000')).toThrow(/CKR_PIN_INCORRECT/);
      expect(find(pkcs11, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }])).toHaveLength(0); // private before login
      pkcs11.C_Login(session, pkcs11js.CKU_USER, GOST_TEST_PIN);
      const keys = find(pkcs11, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }]);
      const types = keys.map((key) => ulong(pkcs11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_KEY_TYPE }])[0]!.value as Buffer));
      expect(types.sort()).toEqual([pkcs11js.CKK_GOSTR3410, CKK_GOSTR3410_512].sort());
      const [certificate] = find(pkcs11, session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_ID, value: Buffer.from('01', 'hex') },
      ]);
      expect(new Uint8Array(pkcs11.C_GetAttributeValue(session, certificate!, [{ type: pkcs11js.CKA_VALUE }])[0]!.value as Buffer)).toEqual(user256.certificateDer);
    });
  });

  for (const [bits, mechanism, id] of [
    [256, pkcs11js.CKM_GOSTR3410, '01'],
    [512, CKM_GOSTR3410_512, '02'],
  ] as const) {
    it(`signs a precomputed ${bits / 8}-byte digest (s||r) that openssl verifies; swapped halves and a changed byte fail`, () => {
      const user = bits === 256 ? user256 : user512;
      const digest = randomBytes(bits / 8);
      const signature = withModule((pkcs11, slot) => {
        const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
        pkcs11.C_Login(session, pkcs11js.CKU_USER, GOST_TEST_PIN);
        const [key] = find(pkcs11, session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
        ]);
        pkcs11.C_SignInit(session, { mechanism }, key!);
        return new Uint8Array(pkcs11.C_Sign(session, digest, Buffer.alloc(256)));
      });
      expect(signature).toHaveLength(bits / 4);
      expect(opensslAccepts(user.certificatePemPath, digest, signature).ok).toBe(true);
      const half = signature.length / 2;
      const swapped = new Uint8Array([...signature.subarray(half), ...signature.subarray(0, half)]);
      expect(opensslAccepts(user.certificatePemPath, digest, swapped).ok).toBe(false);
      const changed = signature.slice();
      changed[5]! ^= 0x01;
      expect(opensslAccepts(user.certificatePemPath, digest, changed).ok).toBe(false);
      const otherDigest = Buffer.from(digest);
      otherDigest[0]! ^= 0x80;
      expect(opensslAccepts(user.certificatePemPath, otherDigest, signature).ok).toBe(false);
    });
  }

  it('refuses a mechanism that does not fit the key', () => {
    withModule((pkcs11, slot) => {
      const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      pkcs11.C_Login(session, pkcs11js.CKU_USER, GOST_TEST_PIN);
      const [key] = find(pkcs11, session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from('02', 'hex') },
      ]);
      expect(() => pkcs11.C_SignInit(session, { mechanism: pkcs11js.CKM_GOSTR3410 }, key!)).toThrow(/CKR_KEY_TYPE_INCONSISTENT/);
    });
  });

  it('generates a 512-bit key pair that a later load still has, and imports a certificate for it', () => {
    const paramset = Buffer.from(new asn1js.ObjectIdentifier({ value: '1.2.643.7.1.2.1.2.1' }).toBER(false)); // TC26 512 A
    const publicValue = withModule((pkcs11, slot) => {
      const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      pkcs11.C_Login(session, pkcs11js.CKU_USER, GOST_TEST_PIN);
      const keys = pkcs11.C_GenerateKeyPair(
        session,
        { mechanism: CKM_GOSTR3410_512_KEY_PAIR_GEN },
        [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_GOSTR3410_PARAMS, value: paramset },
        ],
        [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_PRIVATE, value: true },
        ],
      );
      pkcs11.C_SetAttributeValue(session, keys.publicKey, [{ type: pkcs11js.CKA_ID, value: Buffer.from('0a', 'hex') }]);
      pkcs11.C_SetAttributeValue(session, keys.privateKey, [{ type: pkcs11js.CKA_ID, value: Buffer.from('0a', 'hex') }]);
      const [params, value] = pkcs11.C_GetAttributeValue(session, keys.publicKey, [{ type: pkcs11js.CKA_GOSTR3410_PARAMS }, { type: pkcs11js.CKA_VALUE }]);
      expect(Buffer.from(params!.value as Buffer)).toEqual(paramset);
      return Buffer.from(value!.value as Buffer);
    });
    expect(publicValue).toHaveLength(128); // X||Y, 64 bytes each

    // Another load: the key is there; a certificate for it (made by openssl from its public key) goes in.
    const certificate = withModule((pkcs11, slot) => {
      const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      pkcs11.C_Login(session, pkcs11js.CKU_USER, GOST_TEST_PIN);
      const [key] = find(pkcs11, session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from('0a', 'hex') },
      ]);
      expect(key).toBeDefined();
      const user = pki.issue('other512', 'gost2012_512', '0x77');
      pkcs11.C_CreateObject(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_ID, value: Buffer.from('0b', 'hex') },
        { type: pkcs11js.CKA_LABEL, value: 'imported' },
        { type: pkcs11js.CKA_VALUE, value: Buffer.from(user.certificateDer) },
      ]);
      return user.certificateDer;
    });
    withModule((pkcs11, slot) => {
      const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      const [handle] = find(pkcs11, session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_LABEL, value: 'imported' },
      ]);
      const [value, id] = pkcs11.C_GetAttributeValue(session, handle!, [{ type: pkcs11js.CKA_VALUE }, { type: pkcs11js.CKA_ID }]);
      expect(new Uint8Array(value!.value as Buffer)).toEqual(certificate);
      expect((id!.value as Buffer).toString('hex')).toBe('0b');
    });
  });
});
