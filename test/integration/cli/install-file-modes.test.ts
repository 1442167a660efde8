/**
 * Under `umask 000` (a careless shell, a service manager), `cas-token install` still writes the host
 * manifests 0644, the launcher 0755 and the folders it creates 0755, and the host's support log
 * (CAS_TOKEN_LOG_FILE) is 0600: no other user can rewrite a manifest to point the browser at their
 * program, or read the log. Files and a folder left group/world-writable by an earlier install are
 * mended when written again.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.js';
import { CLI_ENTRY } from '../../support/run-cli.js';

/** `cas-token …` started from a shell whose umask is 000. */
function underUmask000(args: string[], env: Record<string, string>, input = ''): { status: number | null; stderr: string } {
  const script = 'umask 000; exec "$0" "$@"';
  const run = spawnSync('sh', ['-c', script, process.execPath, CLI_ENTRY, ...args], { env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stderr: run.stderr };
}

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(3, '0');

describe('file modes of what cas-token writes, whatever the umask', () => {
  it('install under umask 000: manifests 0644, launcher 0755, created folders 0755; nothing group- or world-writable', () => {
    const home = mkdtempSync(join(tmpdir(), 'cas-token-umask-'));
    expect(underUmask000(['install', '--browser', 'chromium,firefox'], { HOME: home }).status).toBe(0);
    const chromiumFolder = join(home, '.config', 'chromium', 'NativeMessagingHosts');
    const chromiumManifest = join(chromiumFolder, `${NATIVE_HOST_NAME}.json`);
    const firefoxManifest = join(home, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST_NAME}.json`);
    const launcher = (JSON.parse(readFileSync(chromiumManifest, 'utf8')) as { path: string }).path;
    expect(launcher.startsWith(home)).toBe(true);
    expect({ chromiumManifest: modeOf(chromiumManifest), firefoxManifest: modeOf(firefoxManifest), launcher: modeOf(launcher) }).toEqual({
      chromiumManifest: '644',
      firefoxManifest: '644',
      launcher: '755',
    });
    const folders = [join(home, '.config'), join(home, '.config', 'chromium'), chromiumFolder, join(home, '.mozilla'), join(home, '.mozilla', 'native-messaging-hosts'), join(launcher, '..')];
    expect(folders.map((folder) => [folder, modeOf(folder)])).toEqual(folders.map((folder) => [folder, '755']));
  });

  it('install again mends a manifest, a launcher and the host folder left writable by others', () => {
    const profile = mkdtempSync(join(tmpdir(), 'cas-token-umask-profile-'));
    const folder = join(profile, 'NativeMessagingHosts');
    const manifest = join(folder, `${NATIVE_HOST_NAME}.json`);
    mkdirSync(folder);
    chmodSync(folder, 0o777);
    writeFileSync(manifest, '{"path": "/tmp/someone-elses-program"}');
    chmodSync(manifest, 0o666);
    expect(underUmask000(['install', '--browser', 'chromium', '--user-data-dir', profile], {}).status).toBe(0);
    const launcher = (JSON.parse(readFileSync(manifest, 'utf8')) as { path: string }).path;
    expect({ folder: modeOf(folder), manifest: modeOf(manifest), launcher: modeOf(launcher) }).toEqual({ folder: '755', manifest: '644', launcher: '755' });
  });

  it('the host support log (CAS_TOKEN_LOG_FILE) is 0600, new or already there with 0666', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cas-token-umask-log-'));
    const fresh = join(dir, 'fresh.log');
    const existing = join(dir, 'existing.log');
    writeFileSync(existing, 'an earlier line\n');
    chmodSync(existing, 0o666);
    for (const log of [fresh, existing]) {
      // stdin closed at once: the host logs its start and the session's end, then exits
      expect(underUmask000(['host', 'chrome-extension://test/'], { CAS_TOKEN_LOG_FILE: log, CAS_TOKEN_MODULES: '' }).status).toBe(0);
      expect(readFileSync(log, 'utf8')).toMatch(/cas-token host\[\d+\]: session with chrome-extension:\/\/test\/ ended/);
    }
    expect({ fresh: modeOf(fresh), existing: modeOf(existing) }).toEqual({ fresh: '600', existing: '600' });
  });
});
