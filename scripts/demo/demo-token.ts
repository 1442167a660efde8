/**
 * Which token the demo uses: a real one when a real PKCS#11 module is configured (CAS_TOKEN_MODULES, the
 * config file) or discovered with a token in it; otherwise a demo SoftHSM2 token provisioned here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { discoverModules } from '../../native-host/pkcs11/module-discovery.js';
import { TokenService } from '../../native-host/pkcs11/token-service.js';
import { DEMO_TOKEN_SPEC, provisionSoftHsm } from '../softhsm/provision.js';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface DemoTokenChoice {
  kind: 'real' | 'demo';
  /** Environment for the browser (the host inherits it). */
  env: Record<string, string>;
  description: string;
  /** The demo CA (to check signatures against), when the demo token is used. */
  caCertificatePath?: string;
}

export async function chooseDemoToken(stateDir: string): Promise<DemoTokenChoice> {
  const candidates = discoverModules();
  const configured = candidates.some((c) => c.source !== 'discovered');
  const real = candidates.filter((c) => configured || !c.path.includes('softhsm'));
  if (real.length > 0) {
    const service = new TokenService({ modules: real, describeCertificate });
    try {
      const tokens = await service.listTokens().catch(() => []);
      if (configured || tokens.length > 0) {
        return { kind: 'real', env: {}, description: tokens.length ? `real token(s): ${tokens.map((t) => t.label).join(', ')}` : 'the configured PKCS#11 module(s)' };
      }
    } finally {
      service.close();
    }
  }
  const dir = join(stateDir, 'softhsm');
  const marker = join(dir, 'provisioned.json');
  if (!existsSync(marker)) {
    const provisioned = await provisionSoftHsm({ dir, tokens: [DEMO_TOKEN_SPEC] });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(marker, JSON.stringify(provisioned, null, 2));
  }
  const provisioned = JSON.parse(readFileSync(marker, 'utf8')) as { env: { SOFTHSM2_CONF: string }; caCertificatePath: string; tokens: { label: string; pin: string }[] };
  const token = provisioned.tokens[0]!;
  return {
    kind: 'demo',
    env: { SOFTHSM2_CONF: provisioned.env.SOFTHSM2_CONF, CAS_TOKEN_MODULES: SOFTHSM_MODULE },
    description: `demo SoftHSM2 token "${token.label}" (PIN ${token.pin})`,
    caCertificatePath: provisioned.caCertificatePath,
  };
}
