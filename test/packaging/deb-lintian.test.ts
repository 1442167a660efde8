/**
 * lintian on the .deb (dist/packages, built by npm test before vitest): no error, no warning, no
 * information tag, pedantic ones included. The overrides it ships (scripts/packaging/debian/
 * lintian-overrides) cover only Node's own binary and say why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const DEB = resolve(`dist/packages/cas-token_${version}_amd64.deb`);

describe('the .deb under lintian', () => {
  it('has no tag left, and every override names the Node.js binary and gives a reason', () => {
    expect(existsSync(DEB), `${DEB}: run npm run package:deb`).toBe(true);
    const run = spawnSync('lintian', ['--info', '--pedantic', '--fail-on', 'none', DEB], { encoding: 'utf8', timeout: 240_000 });
    expect(run.error).toBeUndefined();
    const tags = run.stdout.split('\n').filter((line) => /^[EWIPX]: /.test(line));
    expect(tags).toEqual([]);
    const overrides = readFileSync('scripts/packaging/debian/lintian-overrides', 'utf8').split('\n');
    overrides.forEach((line, index) => {
      if (!line.startsWith('cas-token: ')) return;
      expect(line).toContain('[usr/lib/cas-token/cas-token-host]');
      expect(overrides[index - 1]!.startsWith('#'), `a reason above: ${line}`).toBe(true);
    });
  }, 300_000);
});
