import { describeCertificate } from '../shared/certificate/describe-certificate.js';
import { discoverModules } from './pkcs11/module-discovery.js';
import type { ModuleCandidate } from './pkcs11/module-discovery.js';
import { TokenService } from './pkcs11/token-service.js';

/** The token service for this process: modules given explicitly (CLI `--module`), else discovery/env/config. */
export function createTokenService(modulePaths: string[] = []): TokenService {
  const modules: ModuleCandidate[] = modulePaths.length
    ? modulePaths.map((path) => ({ path, source: 'argument' as const }))
    : discoverModules();
  return new TokenService({ modules, describeCertificate });
}
