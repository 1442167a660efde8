/**
 * Which token the demo uses: a real one when a real PKCS#11 module is configured (CAS_TOKEN_MODULES, the
 * config file) or discovered with a token in it; otherwise a demo SoftHSM2 token provisioned here.
 *
 * The demo token's files follow the checkout: everything is found under `stateDir` as it is now, and
 * softhsm2.conf (which SoftHSM2 needs with an absolute path) is written again each time, so a checkout
 * that was moved or copied uses its own token files, never those of the folder it was made in.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describeCertificate } from '../../shared/certificate/describe-certificate.js';
import { discoverModules } from '../../native-host/pkcs11/module-discovery.js';
import { TokenService } from '../../native-host/pkcs11/token-service.js';
import { DEMO_TOKEN_SPEC, provisionSoftHsm, softHsmConfText } from '../softhsm/provision.js';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface DemoTokenChoice {
  kind: 'real' | 'demo';
  /** Environment for the browser (the host inherits it). */
  env: Record<string, string>;
  description: string;
  /** The demo CA (to check signatures against), when the demo token is used. */
  caCertificatePath?: string;
  /** The demo token's folder (under the checkout), when the demo token is used. */
  storeDir?: string;
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
  const dir = resolve(stateDir, 'softhsm');
  const marker = join(dir, 'provisioned.json');
  if (!existsSync(marker)) {
    const provisioned = await provisionSoftHsm({ dir, tokens: [DEMO_TOKEN_SPEC] });
    writeFileSync(marker, JSON.stringify(provisioned, null, 2));
  }
  const provisioned = JSON.parse(readFileSync(marker, 'utf8')) as { dir: string; caCertificatePath: string; tokens: { label: string; pin: string }[] };
  // The files as they are under this checkout, wherever the store was first made.
  const softHsmConf = join(dir, 'softhsm2.conf');
  writeFileSync(softHsmConf, softHsmConfText(join(dir, 'tokens')));
  const token = provisioned.tokens[0]!;
  return {
    kind: 'demo',
    env: { SOFTHSM2_CONF: softHsmConf, CAS_TOKEN_MODULES: SOFTHSM_MODULE },
    description: `demo SoftHSM2 token "${token.label}" (PIN ${token.pin})`,
    caCertificatePath: join(dir, relative(provisioned.dir, provisioned.caCertificatePath)),
    storeDir: dir,
  };
}
