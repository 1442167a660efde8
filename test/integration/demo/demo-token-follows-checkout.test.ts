/**
 * The demo token's files follow the checkout: a demo token made in one folder, then the folder moved
 * (or copied, as a newcomer does with a checkout), is used from where it is now — the SoftHSM2
 * configuration, the token store and the demo CA all inside the new folder, none in the old one — and
 * the real `cas-token` command finds the token through that configuration.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../../scripts/softhsm/provision.js';
import { chooseDemoToken } from '../../../scripts/demo/demo-token.js';
import { runCli } from '../../support/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'cas-token-demo-move-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('demo token', () => {
  it('is used from the folder it is in now after the checkout moved', async () => {
    const previous = { modules: process.env.CAS_TOKEN_MODULES, conf: process.env.SOFTHSM2_CONF };
    process.env.CAS_TOKEN_MODULES = ''; // no real token: the demo one
    try {
      const first = await chooseDemoToken(join(root, 'old-checkout', '.tmp', 'demo'));
      expect(first.kind).toBe('demo');
      renameSync(join(root, 'old-checkout'), join(root, 'new-checkout'));
      const moved = await chooseDemoToken(join(root, 'new-checkout', '.tmp', 'demo'));

      const here = join(root, 'new-checkout', '.tmp', 'demo', 'softhsm');
      expect(moved.storeDir).toBe(here);
      expect(moved.env.SOFTHSM2_CONF).toBe(join(here, 'softhsm2.conf'));
      expect(readFileSync(moved.env.SOFTHSM2_CONF!, 'utf8')).toContain(`directories.tokendir = ${join(here, 'tokens')}\n`);
      expect(moved.caCertificatePath!.startsWith(here)).toBe(true);
      expect(existsSync(moved.caCertificatePath!)).toBe(true);
      expect(existsSync(join(root, 'old-checkout'))).toBe(false);

      const listed = runCli(['certs', '--module', moved.env.CAS_TOKEN_MODULES!, '--json'], { SOFTHSM2_CONF: moved.env.SOFTHSM2_CONF });
      expect(listed.stderr).toBe('');
      const certificates = JSON.parse(listed.stdout) as { serialNumber: string }[];
      expect(certificates.map((c) => c.serialNumber)).toContain(DEMO_TOKEN_SPEC.certificates[0]!.serialNumberHex);
    } finally {
      if (previous.modules === undefined) delete process.env.CAS_TOKEN_MODULES;
      else process.env.CAS_TOKEN_MODULES = previous.modules;
      if (previous.conf === undefined) delete process.env.SOFTHSM2_CONF;
      else process.env.SOFTHSM2_CONF = previous.conf;
    }
  }, 120_000);
});
