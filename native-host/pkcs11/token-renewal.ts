/**
 * The certificate's year on the token: a new key pair and its PKCS#10 request (signed on the token),
 * then the certificate the CA issued installed next to that key.
 */
import { pkcs11Addon } from './pkcs11-addon.js';
import { readCertificates } from '../../shared/certificate/certificate-input.js';
import { createCertificateRequest, subjectOfCertificate } from '../../shared/certificate/certificate-request.js';
import { matchesSelection, namesOfTokenCertificate } from '../../shared/certificate/certificate-match.js';
import type { CertificateRequest } from '../../shared/certificate/certificate-request.js';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { CertificateSelector, TokenSelector } from '../../shared/protocol/host-messages.js';
import type { HashAlgorithm } from '../../shared/protocol/token-types.js';
import type { GostParamsetName } from '../../shared/protocol/gost-algorithms.js';
import { GOST_PKCS11 } from './gost-constants.js';
import { digestInfo, ecdsaRawToDer } from './signature-mechanism.js';
import { importCertificateOnToken } from './token-certificate-import.js';
import type { ImportedCertificate } from './token-certificate-import.js';
import { generateKeyPairOnToken } from './token-key-generation.js';
import type { KeyType } from './token-key-generation.js';
import type { TokenService } from './token-service.js';

export interface RequestOnTokenOptions {
  token?: TokenSelector;
  pin: string | undefined;
  keyType: KeyType;
  label?: string;
  /** Copy the subject of this certificate on the token, or use these attributes (SIUI short names). */
  subject: { fromCertificate: CertificateSelector } | { attributes: [string, string][] };
  hashAlgorithm?: HashAlgorithm;
  /** GOST keys: the parameter set (default TC26 A; CryptoPro A for portals that ask for it). */
  gostParamset?: GostParamsetName;
}

export interface RequestOnToken extends CertificateRequest {
  /** CKA_ID of the new key pair, hex. */
  keyId: string;
}

export async function generateRequestOnToken(service: TokenService, options: RequestOnTokenOptions): Promise<RequestOnToken> {
  let subject: Parameters<typeof createCertificateRequest>[0]['subject'];
  if ('fromCertificate' in options.subject) {
    const wanted = options.subject.fromCertificate;
    const certificates = await service.listCertificates(options.token);
    const source = certificates.find((c) => matchesSelection(namesOfTokenCertificate(c), wanted));
    if (!source) throw new CasTokenError('CERTIFICATE_NOT_FOUND', 'The certificate to copy the subject from is not on the token.');
    subject = subjectOfCertificate(Uint8Array.from(Buffer.from(source.certificate, 'base64')));
  } else {
    subject = options.subject.attributes;
  }
  const label = options.label ?? `CAS Token ${new Date().toISOString().slice(0, 10)}`;
  return service.withUserSession(options.token, options.pin, 'generate a key pair', async ({ pkcs11, session, mechanisms }) => {
    const keys = generateKeyPairOnToken(pkcs11, session, options.keyType, label, mechanisms, options.gostParamset ? { gostParamset: options.gostParamset } : {});
    const rsa = options.keyType.startsWith('rsa');
    const gost = options.keyType.startsWith('gost');
    const request = await createCertificateRequest({
      subject,
      subjectPublicKeyInfo: keys.subjectPublicKeyInfo,
      ...(gost ? {} : { hashAlgorithm: options.hashAlgorithm ?? (options.keyType === 'ec-p384' ? 'SHA-384' : 'SHA-256') }),
      async signDigest(digest, hash) {
        if (gost) {
          // The token's s||r goes into the request's BIT STRING as it is.
          pkcs11.C_SignInit(session, { mechanism: options.keyType === 'gost2012-512' ? GOST_PKCS11.CKM_GOSTR3410_512 : GOST_PKCS11.CKM_GOSTR3410 }, keys.privateKey);
          return new Uint8Array(pkcs11.C_Sign(session, Buffer.from(digest), Buffer.alloc(256)));
        }
        pkcs11.C_SignInit(session, { mechanism: rsa ? pkcs11Addon.CKM_RSA_PKCS : pkcs11Addon.CKM_ECDSA }, keys.privateKey);
        const signed = new Uint8Array(pkcs11.C_Sign(session, rsa ? digestInfo(hash, digest) : Buffer.from(digest), Buffer.alloc(1024)));
        return rsa ? signed : ecdsaRawToDer(signed);
      },
    });
    return { ...request, keyId: keys.id };
  });
}

export interface InstallOptions {
  token?: TokenSelector;
  pin: string | undefined;
  /** The file as the CA delivered it: PEM, DER or PKCS#7 (with the chain). */
  file: Uint8Array;
  label?: string;
  includeChain?: boolean;
}

export async function installCertificateOnToken(service: TokenService, options: InstallOptions): Promise<ImportedCertificate> {
  const certificates = readCertificates(options.file);
  return service.withUserSession(options.token, options.pin, 'install the certificate', ({ pkcs11, session, token }) =>
    importCertificateOnToken(pkcs11, session, certificates, { ...(options.label ? { label: options.label } : {}), includeChain: options.includeChain ?? false, tokenLabel: token.label }),
  );
}
