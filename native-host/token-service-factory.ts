import { describeCertificate } from '../shared/certificate/describe-certificate.js';
import { discoverModules } from './pkcs11/module-discovery.js';
import type { ModuleCandidate } from './pkcs11/module-discovery.js';
import { TokenService } from './pkcs11/token-service.js';
import { buildCertificateChain } from './signing/certificate-chain.js';
import { readConfiguredCaCertificates } from './signing/configured-ca-certificates.js';

/**
 * The token service for this process: modules given explicitly (CLI `--module`), else discovery/env/config;
 * certificate listings carry each signing certificate's CA chain (token + the config's CA folder).
 */
export function createTokenService(modulePaths: string[] = []): TokenService {
  const modules: ModuleCandidate[] = modulePaths.length ? modulePaths.map((path) => ({ path, source: 'argument' as const })) : discoverModules();
  return new TokenService({
    modules,
    describeCertificate,
    certificateChain: (certificate, candidates) => buildCertificateChain(certificate, candidates),
    caCertificates: () => readConfiguredCaCertificates().certificates,
  });
}
