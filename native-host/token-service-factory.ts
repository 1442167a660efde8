import { discoverModules } from './pkcs11/module-discovery.js';
import type { ModuleCandidate } from './pkcs11/module-discovery.js';
import { TokenService } from './pkcs11/token-service.js';

/**
 * The token service for this process: modules given explicitly (CLI `--module`), else discovery/env/config;
 * certificate listings carry each signing certificate's CA chain (token + the config's CA folder).
 * Certificate parsing (asn1js, pkijs, node:crypto) is loaded on the first listing: `status` needs none of it.
 */
export function createTokenService(modulePaths: string[] = []): TokenService {
  const modules: ModuleCandidate[] = modulePaths.length ? modulePaths.map((path) => ({ path, source: 'argument' as const })) : discoverModules();
  return new TokenService({
    modules,
    describeCertificate: async (der) => (await certificateCode()).describeCertificate(der),
    certificateChain: async (certificate, candidates) => (await certificateCode()).buildCertificateChain(certificate, candidates),
    caCertificates: async () => (await certificateCode()).readConfiguredCaCertificates().certificates,
  });
}

let loadingCertificateCode:
  Promise<typeof import('../shared/certificate/describe-certificate.js') & typeof import('./signing/certificate-chain.js') & typeof import('./signing/configured-ca-certificates.js')> | undefined;

/** The certificate parsing code, imported once. */
function certificateCode(): NonNullable<typeof loadingCertificateCode> {
  loadingCertificateCode ??= Promise.all([import('../shared/certificate/describe-certificate.js'), import('./signing/certificate-chain.js'), import('./signing/configured-ca-certificates.js')]).then(
    ([describe, chain, configured]) => ({ ...describe, ...chain, ...configured }),
  );
  return loadingCertificateCode;
}
