/**
 * Provisions SoftHSM2 demo tokens into a folder and prints what was made, as JSON.
 *
 *   node dist/node/scripts/softhsm/provision-cli.js --dir DIR
 *
 * Then point tools at it: `SOFTHSM2_CONF=DIR/softhsm2.conf CAS_TOKEN_MODULES=/usr/lib/softhsm/libsofthsm2.so`.
 */
import { parseArgs } from 'node:util';
import { DEMO_TOKEN_SPEC, provisionSoftHsm } from './provision.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' } } });
  if (!values.dir) throw new Error('usage: provision-cli --dir DIR');
  const provisioned = await provisionSoftHsm({ dir: values.dir, tokens: [DEMO_TOKEN_SPEC] });
  process.stdout.write(`${JSON.stringify(provisioned, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`provision-cli: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
