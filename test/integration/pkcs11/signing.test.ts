/**
 * Signing digests on real SoftHSM2 keys; every signature is checked by OpenSSL against the certificate.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pkcs11js from 'pkcs11js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { TokenService } from '../../../native-host/pkcs11/token-service.js';
import type { SignDigestsRequest } from '../../../native-host/pkcs11/token-service.js';
import { DEMO_TOKEN_SPEC, SOFTHSM2_MODULE_PATH } from '../../../scripts/softhsm/provision.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { describeCertificateStandIn } from './certificate-details-stand-in.js';
import { ecdsaIntegersByOpenssl, verifyDigestSignature, verifyDocumentSignature } from '../../support/independent-verifiers.js';
import { spyOnSoftHsm } from './pkcs11-spy.js';
import { failureOf } from '../../support/failure-of.js';

const run = promisify(execFile);
const softhsm = useSoftHsm([DEMO_TOKEN_SPEC]);
const RSA_ID = '01';
const EC_ID = '02';
const PIN = DEMO_TOKEN_SPEC.pin;
const NODE_HASH: Partial<Record<HashAlgorithm, string>> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }; // SHA-2 only: GOST signing is tested in test/integration/gost

let service: TokenService | undefined;
function tokenService(modulePath = SOFTHSM2_MODULE_PATH): TokenService {
  service = new TokenService({ modules: [{ path: modulePath, source: 'env' }], describeCertificate: describeCertificateStandIn });
  return service;
}
afterEach(() => {
  service?.close();
  service = undefined;
});

const scratch = mkdtemp(join(tmpdir(), 'cas-token-signing-'));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));

function certificatePath(id: string): string {
  return softhsm.provisioned().tokens[0]!.certificates.find((c) => c.id === id)!.certificatePath;
}

function digestOf(text: string, hashAlgorithm: HashAlgorithm): Uint8Array {
  return new Uint8Array(createHash(NODE_HASH[hashAlgorithm]!).update(text).digest());
}

function sign(request: Partial<SignDigestsRequest> & Pick<SignDigestsRequest, 'certificate' | 'digests'>) {
  return (service ?? tokenService()).signDigests({ hashAlgorithm: 'SHA-256', scheme: 'auto', pin: PIN, ...request });
}

describe('RSA', () => {
  it.each(['SHA-256', 'SHA-384', 'SHA-512'] as const)('makes PKCS#1 v1.5 signatures over %s digests that OpenSSL verifies', async (hashAlgorithm) => {
    const digest = digestOf(`Raport de activitate, ${hashAlgorithm}`, hashAlgorithm);
    const result = await sign({ certificate: { id: RSA_ID }, hashAlgorithm, scheme: 'rsa-pkcs1', digests: [digest] });
    expect(result.algorithm).toEqual({ scheme: 'rsa-pkcs1', hashAlgorithm, name: `RS${hashAlgorithm.slice(4)}` });
    expect(result.signatures[0]).toHaveLength(256);
    expect(result.signaturesRaw).toBeUndefined();
    const verdict = await verifyDigestSignature({ certificatePath: certificatePath(RSA_ID), scheme: 'rsa-pkcs1', hashAlgorithm, digest, signature: result.signatures[0]! });
    expect(verdict.output).toContain('Signature Verified Successfully');
  });

  it('is judged by OpenSSL for real: a signature checked against another digest fails', async () => {
    const signed = digestOf('Decont martie', 'SHA-256');
    const other = digestOf('Decont aprilie', 'SHA-256');
    const result = await sign({ certificate: { id: RSA_ID }, digests: [signed] });
    const verdict = await verifyDigestSignature({ certificatePath: certificatePath(RSA_ID), scheme: 'rsa-pkcs1', hashAlgorithm: 'SHA-256', digest: other, signature: result.signatures[0]! });
    expect(verdict.ok).toBe(false);
    expect(verdict.output).toContain('Signature Verification Failure');
  });

  it.each(['SHA-256', 'SHA-512'] as const)('makes RSA-PSS signatures over %s digests (salt = hash length) that OpenSSL verifies', async (hashAlgorithm) => {
    const digest = digestOf('Factura 2024/117', hashAlgorithm);
    const result = await sign({ certificate: { id: RSA_ID }, hashAlgorithm, scheme: 'rsa-pss', digests: [digest] });
    expect(result.algorithm.name).toBe(`PS${hashAlgorithm.slice(4)}`);
    const verdict = await verifyDigestSignature({ certificatePath: certificatePath(RSA_ID), scheme: 'rsa-pss', hashAlgorithm, digest, signature: result.signatures[0]! });
    expect(verdict.output).toContain('Signature Verified Successfully');
  });

  it('signs by the certificate serial number (any case) and returns that certificate; OpenSSL verifies over the document', async () => {
    const document = Buffer.from('Cerere de inregistrare a certificatului digital\n', 'utf8');
    const digest = new Uint8Array(createHash('sha256').update(document).digest());
    const serial = DEMO_TOKEN_SPEC.certificates[0]!.serialNumberHex.toLowerCase();
    const result = await sign({ certificate: { serialNumber: serial }, digests: [digest] });
    expect(result.algorithm.name).toBe('RS256');
    const verdict = await verifyDocumentSignature({ certificatePath: certificatePath(RSA_ID), hashAlgorithm: 'SHA-256', document, signature: result.signatures[0]! });
    expect(verdict.output).toContain('Verified OK');
    const der = await run('openssl', ['x509', '-in', certificatePath(RSA_ID), '-outform', 'DER'], { encoding: 'buffer' });
    expect(Buffer.from(result.certificate).equals(der.stdout)).toBe(true);
  });
});

describe('ECDSA', () => {
  it.each(['SHA-256', 'SHA-384'] as const)('returns DER and raw r||s signatures over %s digests that OpenSSL verifies', async (hashAlgorithm) => {
    const digests = [digestOf('Reteta 1', hashAlgorithm), digestOf('Reteta 2', hashAlgorithm), digestOf('Reteta 3', hashAlgorithm)];
    const result = await sign({ certificate: { id: EC_ID }, hashAlgorithm, digests });
    expect(result.algorithm).toEqual({ scheme: 'ecdsa', hashAlgorithm, name: `ES${hashAlgorithm.slice(4)}` });
    expect(result.signaturesRaw).toHaveLength(3);
    for (const [index, digest] of digests.entries()) {
      const der = result.signatures[index]!;
      const raw = result.signaturesRaw![index]!;
      expect(raw).toHaveLength(64);
      const verdict = await verifyDigestSignature({ certificatePath: certificatePath(EC_ID), scheme: 'ecdsa', hashAlgorithm, digest, signature: der });
      expect(verdict.output).toContain('Signature Verified Successfully');
      // The DER integers are the raw halves as numbers (leading zeros dropped, sign byte added by DER rules).
      const [r, s] = await ecdsaIntegersByOpenssl(der);
      expect(BigInt(`0x${r}`)).toBe(BigInt(`0x${Buffer.from(raw.subarray(0, 32)).toString('hex')}`));
      expect(BigInt(`0x${s}`)).toBe(BigInt(`0x${Buffer.from(raw.subarray(32)).toString('hex')}`));
    }
  });

  it('finds the EC certificate by its serial written without the leading zero', async () => {
    const digest = digestOf('x', 'SHA-256');
    const result = await sign({ certificate: { serialNumber: '774B02F9A61C3E5D8' }, digests: [digest] });
    expect(result.algorithm.scheme).toBe('ecdsa');
    const verdict = await verifyDigestSignature({ certificatePath: certificatePath(EC_ID), scheme: 'ecdsa', hashAlgorithm: 'SHA-256', digest, signature: result.signatures[0]! });
    expect(verdict.ok).toBe(true);
  });
});

describe('batches', () => {
  it('signs 200 digests under one login, reporting progress along the way; OpenSSL verifies every signature', async () => {
    const dir = await scratch;
    const spy = spyOnSoftHsm(join(dir, 'batch-spy.log'));
    const digests = Array.from({ length: 200 }, () => new Uint8Array(randomBytes(32)));
    const progress: [number, number][] = [];
    const result = await tokenService(spy.modulePath).signDigests({
      certificate: { id: RSA_ID },
      hashAlgorithm: 'SHA-256',
      scheme: 'auto',
      digests,
      pin: PIN,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result.signatures).toHaveLength(200);
    expect(spy.logins()).toEqual([`CKU_USER/${PIN.length}`]);
    expect(spy.calls('C_Logout')).toBe(1);

    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.at(-1)).toEqual([200, 200]);
    expect(progress.every(([, total]) => total === 200)).toBe(true);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));

    // One shell runs openssl for each pair: fast, and still OpenSSL judging every signature.
    const publicKey = join(dir, 'batch-public.pem');
    await run('openssl', ['x509', '-in', certificatePath(RSA_ID), '-pubkey', '-noout', '-out', publicKey]);
    await Promise.all(
      digests.map(async (digest, index) => {
        await writeFile(join(dir, `d${index}.bin`), digest);
        await writeFile(join(dir, `s${index}.bin`), result.signatures[index]!);
      }),
    );
    const script = `ok=0; for i in $(seq 0 199); do openssl pkeyutl -verify -pubin -inkey "$1" -in "$2/d$i.bin" -sigfile "$2/s$i.bin" -pkeyopt digest:sha256 >/dev/null 2>&1 && ok=$((ok+1)); done; echo $ok`;
    const { stdout } = await run('bash', ['-c', script, 'verify', publicKey, dir]);
    expect(stdout.trim()).toBe('200');
  });

  it('serves concurrent requests for the same token one after the other, all correct', async () => {
    const tokenServiceForBoth = tokenService();
    const digests = ['A', 'B', 'C', 'D'].map((text) => digestOf(text, 'SHA-256'));
    const results = await Promise.all(
      digests.map((digest, index) => tokenServiceForBoth.signDigests({ certificate: { id: index % 2 === 0 ? RSA_ID : EC_ID }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [digest], pin: PIN })),
    );
    for (const [index, result] of results.entries()) {
      const id = index % 2 === 0 ? RSA_ID : EC_ID;
      const verdict = await verifyDigestSignature({
        certificatePath: certificatePath(id),
        scheme: id === RSA_ID ? 'rsa-pkcs1' : 'ecdsa',
        hashAlgorithm: 'SHA-256',
        digest: digests[index]!,
        signature: result.signatures[0]!,
      });
      expect(verdict.ok).toBe(true);
    }
  });
});

/** PKCS#11's session state "read-only, nobody logged in" (pkcs11js has no constant for it). */
const CKS_RO_PUBLIC_SESSION = 0;

describe('the token in its slot', () => {
  it('is asked who it is once; later signatures go by the session kept open on it, each with its own login and logout, and nothing stays logged in', async () => {
    const dir = await scratch;
    const spy = spyOnSoftHsm(join(dir, 'watch-spy.log'));
    const signer = tokenService(spy.modulePath);
    const digest = new Uint8Array(createHash('sha256').update('Reteta 7').digest());
    const sign = () => signer.signDigests({ certificate: { id: EC_ID }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [digest], pin: PIN });
    await signer.listTokens(); // as the extension does before asking for the PIN
    const before = spy.checkpoint();
    for (let i = 0; i < 3; i++) {
      const result = await sign();
      const verdict = await verifyDigestSignature({ certificatePath: certificatePath(EC_ID), scheme: 'ecdsa', hashAlgorithm: 'SHA-256', digest, signature: result.signatures[0]! });
      expect(verdict.ok).toBe(true);
    }
    expect(spy.calls('C_GetTokenInfo', before)).toBe(1); // the first signature only
    expect(spy.calls('C_GetSessionInfo', before)).toBe(2); // the next two: the watch
    expect(spy.logins(before)).toEqual(Array(3).fill(`CKU_USER/${PIN.length}`));
    expect(spy.calls('C_Logout', before)).toBe(3);
    // Another session of this process on the token (the library is shared) is not logged in: the PIN was used for each signature and for nothing after.
    const look = new pkcs11js.PKCS11();
    look.load(spy.modulePath);
    try {
      look.C_Initialize();
    } catch {
      // already initialised in this process (by the service): the same library state
    }
    const slot = look.C_GetSlotList(true)[0]!;
    const session = look.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    try {
      expect(look.C_GetSessionInfo(session).state).toBe(CKS_RO_PUBLIC_SESSION);
    } finally {
      look.C_CloseSession(session);
    }
  });
});

describe('refusals', () => {
  it('refuses a digest of the wrong length for the hash with INVALID_ARGUMENT', async () => {
    const error = await failureOf(sign({ certificate: { id: RSA_ID }, hashAlgorithm: 'SHA-384', digests: [new Uint8Array(32)] }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('48');
  });

  it('refuses ECDSA with an RSA key with MECHANISM_NOT_SUPPORTED', async () => {
    const error = await failureOf(sign({ certificate: { id: RSA_ID }, scheme: 'ecdsa', digests: [new Uint8Array(32)] }));
    expect(error.code).toBe('MECHANISM_NOT_SUPPORTED');
  });

  it('answers CERTIFICATE_NOT_FOUND for a certificate that is not on the token', async () => {
    const error = await failureOf(sign({ certificate: { serialNumber: 'DEADBEEF' }, digests: [new Uint8Array(32)] }));
    expect(error.code).toBe('CERTIFICATE_NOT_FOUND');
    expect(error.message).toContain('DEADBEEF');
  });
});
