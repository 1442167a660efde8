/**
 * The README's main job, `npm start`, in its headless form (`--smoke`): the demo SoftHSM2 token, the
 * host registered for a fresh Chromium profile, the demo CAS site, the popup filling the form.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start', () => {
  it('--smoke provisions the demo token, opens the demo page with the extension and fills the form', () => {
    const run = spawnSync(process.execPath, ['dist/node/scripts/start.js', '--smoke'], {
      encoding: 'utf8',
      timeout: 150_000,
      env: { ...process.env, CAS_TOKEN_MODULES: '', SOFTHSM2_CONF: '' },
    });
    expect(run.stderr).not.toMatch(/npm start: /);
    // Where everything is, in one line, in this checkout.
    const where = run.stdout.split('\n').find((line) => line.startsWith('Demo CAS site: '));
    expect(where).toMatch(
      /^Demo CAS site: http:\/\/localhost:\d+\/ · Token: demo SoftHSM2 token "CAS Demo" \(PIN 1234\) in \.tmp\/demo\/softhsm · extension: dist\/chrome · Chromium profile: \.tmp\/demo\/chromium-profile · native host: \S+$/,
    );
    expect(run.stdout).toMatch(/serie: C59D/);
    expect(run.stdout).toMatch(/Smoke check passed/);
    expect(run.status).toBe(0);
  }, 180_000);
});
