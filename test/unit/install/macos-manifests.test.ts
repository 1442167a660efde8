/**
 * The macOS pkg's host manifests (scripts/packaging/macos/write-manifests.mjs), written here into a
 * payload folder: the four system-wide places, the absolute host path, every extension id. The pkg
 * itself can only be built on a Mac (scripts/packaging/macos/README.md: untested).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED_FIREFOX_EXTENSION_IDS, chromiumAllowedOrigins } from '../../../shared/protocol/extension-ids.js';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.js';

const script = fileURLToPath(new URL('../../../scripts/packaging/macos/write-manifests.mjs', import.meta.url));
const payload = mkdtempSync(join(tmpdir(), 'cas-token-macos-payload-'));
afterAll(() => rmSync(payload, { recursive: true, force: true }));

describe('macOS pkg manifests', () => {
  it("go to the /Library places every user's browser reads, allowing every extension id", () => {
    const host = '/Library/Application Support/CAS Token/cas-token-host';
    const run = spawnSync(process.execPath, [script, payload, host], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const at = (dir: string) => join(payload, dir, `${NATIVE_HOST_NAME}.json`);
    const chromium = ['/Library/Google/Chrome/NativeMessagingHosts', '/Library/Application Support/Chromium/NativeMessagingHosts', '/Library/Microsoft/Edge/NativeMessagingHosts'];
    for (const dir of chromium) {
      expect(JSON.parse(readFileSync(at(dir), 'utf8'))).toEqual({ name: NATIVE_HOST_NAME, description: expect.any(String), path: host, type: 'stdio', allowed_origins: chromiumAllowedOrigins() });
      expect(statSync(at(dir)).mode & 0o777).toBe(0o644);
    }
    const firefox = JSON.parse(readFileSync(at('/Library/Application Support/Mozilla/NativeMessagingHosts'), 'utf8')) as { path: string; allowed_extensions: string[] };
    expect(firefox).toMatchObject({ path: host, allowed_extensions: [...ALLOWED_FIREFOX_EXTENSION_IDS] });
    expect(run.stdout.trim().split('\n')).toHaveLength(4);
    // postinstall fixes the modes of exactly these four files.
    const postinstall = readFileSync(fileURLToPath(new URL('../../../scripts/packaging/macos/scripts/postinstall', import.meta.url)), 'utf8');
    for (const dir of [...chromium, '/Library/Application Support/Mozilla/NativeMessagingHosts']) expect(postinstall).toContain(`"${dir}/${NATIVE_HOST_NAME}.json"`);
  });
});
