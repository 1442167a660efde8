/**
 * Modules, tokens and certificates on real SoftHSM2 tokens, read without a PIN.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { missingModuleHint } from '../../../native-host/pkcs11/module-discovery.js';
import { TokenService } from '../../../native-host/pkcs11/token-service.js';
import { DEMO_TOKEN_SPEC, SOFTHSM2_MODULE_PATH } from '../../../scripts/softhsm/provision.js';
import type { TokenSpec } from '../../../scripts/softhsm/provision.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { describeCertificateStandIn } from './certificate-details-stand-in.js';
import { failureOf } from '../../support/failure-of.js';

const KEYLESS_TOKEN: TokenSpec = {
  label: 'Fara cheie',
  pin: '246810',
  soPin: '13579111',
  certificates: [
    {
      id: 'a1b2',
      label: 'Imported without key',
      keyType: 'ec-p256',
      serialNumberHex: '00FF10',
      subject: [
        ['C', 'RO'],
        ['CN', 'Ion Popa'],
      ],
      purpose: 'authentication',
      keyOnToken: false,
    },
  ],
};

const softhsm = useSoftHsm([DEMO_TOKEN_SPEC, KEYLESS_TOKEN]);

let service: TokenService | undefined;
function serviceWith(modules: { path: string; source: 'env' | 'argument' | 'discovered' | 'config' }[]): TokenService {
  service = new TokenService({ modules, describeCertificate: describeCertificateStandIn });
  return service;
}
afterEach(() => {
  service?.close();
  service = undefined;
});

describe('modules', () => {
  it('lists the SoftHSM2 module as loaded, with its family and what the library reports', async () => {
    const modules = await serviceWith([{ path: SOFTHSM2_MODULE_PATH, source: 'env' }]).listModules();
    expect(modules).toEqual([
      // Blank padding trimmed from what the library reports in C_GetInfo.
      { path: SOFTHSM2_MODULE_PATH, source: 'env', vendor: 'SoftHSM2', loaded: true, manufacturer: 'SoftHSM', libraryDescription: 'Implementation of PKCS11' },
    ]);
  });

  it('reports a module file that does not exist as not loaded, while the other module keeps working', async () => {
    const missing = '/nonexistent/libvendor-pkcs11.so';
    const tokenService = serviceWith([
      { path: missing, source: 'config' },
      { path: SOFTHSM2_MODULE_PATH, source: 'env' },
    ]);
    const modules = await tokenService.listModules();
    expect(modules[0]).toMatchObject({ path: missing, loaded: false });
    expect(modules[0]!.error).toContain(missing);
    expect(modules[1]).toMatchObject({ loaded: true });
    const tokens = await tokenService.listTokens();
    expect(tokens.map((t) => t.label).sort()).toEqual(['CAS Demo', 'Fara cheie']);
  });

  it('answers MODULE_LOAD_FAILED when the only module cannot be loaded', async () => {
    const error = await failureOf(serviceWith([{ path: '/nonexistent/libeTPkcs11.so', source: 'argument' }]).listTokens());
    expect(error.code).toBe('MODULE_LOAD_FAILED');
    expect(error.message).toContain('/nonexistent/libeTPkcs11.so');
  });

  it('answers MODULE_LOAD_FAILED for a file that is not a PKCS#11 library', async () => {
    const error = await failureOf(serviceWith([{ path: softhsm.provisioned().caCertificatePath, source: 'argument' }]).listCertificates());
    expect(error.code).toBe('MODULE_LOAD_FAILED');
  });

  it('answers NO_MODULE with the hint naming which driver to install', async () => {
    const error = await failureOf(serviceWith([]).listTokens());
    expect(error.code).toBe('NO_MODULE');
    expect(error.hint).toBe(missingModuleHint());
    expect(error.hint).toContain('SafeNet Authentication Client');
  });
});

describe('tokens', () => {
  it('lists the tokens present with trimmed labels, serials and their flags', async () => {
    const tokens = await serviceWith([{ path: SOFTHSM2_MODULE_PATH, source: 'env' }]).listTokens();
    const demo = tokens.find((t) => t.label === 'CAS Demo');
    expect(demo).toMatchObject({
      module: SOFTHSM2_MODULE_PATH,
      manufacturer: 'SoftHSM project',
      model: 'SoftHSM v2',
      flags: {
        loginRequired: true,
        protectedAuthenticationPath: false,
        userPinInitialized: true,
        userPinLocked: false,
        userPinFinalTry: false,
        writeProtected: false,
      },
    });
    expect(demo!.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(demo!.slotDescription).toMatch(/^SoftHSM slot ID/);
    // SoftHSM2's spare uninitialised slot is not a token anyone can use.
    expect(tokens).toHaveLength(2);
  });

  it('picks tokens by label, by serial and by module', async () => {
    const tokenService = serviceWith([{ path: SOFTHSM2_MODULE_PATH, source: 'env' }]);
    const [demo] = await tokenService.listTokens({ label: 'CAS Demo' });
    expect(demo?.label).toBe('CAS Demo');
    expect(await tokenService.listTokens({ serial: demo!.serial.toUpperCase() })).toEqual([demo]);
    expect(await tokenService.listTokens({ module: SOFTHSM2_MODULE_PATH, label: 'Fara cheie' })).toHaveLength(1);
    expect(await tokenService.listTokens({ label: 'Nu exista' })).toEqual([]);
  });
});

describe('certificates without a PIN', () => {
  it('lists every certificate with its CKA_ID, label, DER and the serial read from the certificate itself', async () => {
    const store = softhsm.provisioned();
    const certificates = await serviceWith([{ path: SOFTHSM2_MODULE_PATH, source: 'env' }]).listCertificates({ label: 'CAS Demo' });
    expect(certificates.map((c) => [c.id, c.label, c.details.serialNumber]).sort()).toEqual(store.tokens[0]!.certificates.map((c) => [c.id, c.label, c.serialNumberHex]).sort());
    for (const certificate of certificates) {
      expect(certificate.token).toMatchObject({ module: SOFTHSM2_MODULE_PATH, label: 'CAS Demo' });
      expect(Buffer.from(certificate.certificate, 'base64')[0]).toBe(0x30);
      expect(certificate.details.subjectCommonName).toBe('Ștefan Ionescu-Mărășești');
    }
    // The EC certificate's serial keeps its leading zero digit.
    expect(certificates.find((c) => c.id === '02')!.details.serialNumber).toBe('0774B02F9A61C3E5D8');
  });

  it('says "unknown" for keys hidden before login, then knows after a login which certificates have a key', async () => {
    const tokenService = serviceWith([{ path: SOFTHSM2_MODULE_PATH, source: 'env' }]);
    const before = await tokenService.listCertificates();
    expect(before.map((c) => c.hasPrivateKey)).toEqual(['unknown', 'unknown', 'unknown']);

    // A sign request logs in: the keyless certificate fails with KEY_NOT_FOUND, the demo one signs.
    const keyless = await failureOf(
      tokenService.signDigests({
        token: { label: 'Fara cheie' },
        certificate: { id: 'A1B2' },
        hashAlgorithm: 'SHA-256',
        scheme: 'auto',
        digests: [new Uint8Array(32)],
        pin: KEYLESS_TOKEN.pin,
      }),
    );
    expect(keyless.code).toBe('KEY_NOT_FOUND');
    await tokenService.signDigests({ certificate: { id: '01' }, hashAlgorithm: 'SHA-256', scheme: 'auto', digests: [new Uint8Array(32)], pin: '1234' });

    const after = await tokenService.listCertificates();
    expect(Object.fromEntries(after.map((c) => [`${c.token.label}/${c.id}`, c.hasPrivateKey]))).toEqual({
      'CAS Demo/01': 'yes',
      'CAS Demo/02': 'yes',
      'Fara cheie/a1b2': 'no',
    });
  });

  it('answers NO_TOKEN for a label that is not inserted', async () => {
    const error = await failureOf(serviceWith([{ path: SOFTHSM2_MODULE_PATH, source: 'env' }]).listCertificates({ label: 'Token lipsa' }));
    expect(error.code).toBe('NO_TOKEN');
    expect(error.message).toContain('Token lipsa');
  });
});
