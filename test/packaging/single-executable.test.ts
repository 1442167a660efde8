/**
 * The single executable as shipped (dist/sea/linux-x64, built by npm run build:sea / package:deb): the
 * addon's glibc needs, a missing or broken pkcs11.node as a typed error instead of a crash, the CLI by
 * `--cli` and by the name `cas-token`, with no `node` on PATH. The native-messaging suite itself runs
 * against it too (vitest project "single-executable").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StatusResult } from '../../shared/protocol/host-messages.js';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version.js';
import { SINGLE_EXECUTABLE } from '../support/native-host-process.js';
import { useSoftHsm } from '../support/softhsm.js';

const seaDir = join(SINGLE_EXECUTABLE, '..');
/** Debian 11's glibc; Ubuntu 22.04 has 2.35, and Node 22's own binary needs 2.28. */
const MAX_GLIBC = '2.31';

/** The GLIBC_x.y symbol versions a shared object needs, oldest first. */
function glibcVersionsNeeded(file: string): string[] {
  const symbols = execFileSync('objdump', ['-T', file], { encoding: 'utf8' });
  const versions = [...new Set([...symbols.matchAll(/\(GLIBC_(\d+(?:\.\d+)*)\)/g)].map((m) => m[1]!))];
  const key = (v: string): number => v.split('.').reduce((sum, part, i) => sum + Number(part) * 1000 ** (2 - i), 0);
  return versions.sort((a, b) => key(a) - key(b));
}
const work = mkdtempSync(join(tmpdir(), 'cas-token-sea-'));
const softhsm = useSoftHsm();
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a copy of the executable under `env -i`: PATH has no node, nothing else is inherited. */
function run(executable: string, args: string[], env: Record<string, string> = {}, input?: Buffer) {
  const result = spawnSync(executable, args, { env: { PATH: '/nonexistent', ...env }, input, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8'), raw: result.stdout };
}

function frame(message: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length);
  return Buffer.concat([header, payload]);
}

/** The replies to `requests` sent at once to a host started as a browser starts it. */
type Reply = { id: string; ok: boolean; result?: unknown; error?: { code: string; message: string } };
function hostReplies(executable: string, requests: { id: string; command: string }[], env: Record<string, string> = {}): (Reply | undefined)[] {
  const { raw, status, stderr } = run(executable, ['chrome-extension://test/'], env, Buffer.concat(requests.map(frame)));
  expect(status, stderr).toBe(0);
  const replies: Reply[] = [];
  for (let offset = 0; offset < raw.length;) {
    const length = raw.readUInt32LE(offset);
    replies.push(JSON.parse(raw.subarray(offset + 4, offset + 4 + length).toString('utf8')));
    offset += 4 + length;
  }
  // replies come as the work ends, not in the order asked: in the order of `requests` here
  return requests.map((request) => replies.find((reply) => reply.id === request.id));
}

/** The executable alone in a folder of its own, with `addon` as its pkcs11.node (or none). */
function executableWith(addon: 'built' | 'missing' | 'broken'): string {
  const dir = mkdtempSync(join(work, `${addon}-`));
  copyFileSync(SINGLE_EXECUTABLE, join(dir, 'cas-token-host'));
  if (addon === 'built') copyFileSync(join(seaDir, 'pkcs11.node'), join(dir, 'pkcs11.node'));
  if (addon === 'broken') writeFileSync(join(dir, 'pkcs11.node'), 'not an ELF object');
  return join(dir, 'cas-token-host');
}

describe('the single executable', () => {
  it('is built, with pkcs11.node beside it needing nothing newer than GLIBC_2.31 (Debian 11)', () => {
    expect(existsSync(SINGLE_EXECUTABLE)).toBe(true);
    const needed = glibcVersionsNeeded(join(seaDir, 'pkcs11.node'));
    expect(needed.length).toBeGreaterThan(0);
    const newest = needed.at(-1)!.split('.').map(Number);
    const limit = MAX_GLIBC.split('.').map(Number);
    expect(newest[0]! < limit[0]! || (newest[0] === limit[0] && newest[1]! <= limit[1]!), `needs GLIBC_${needed.at(-1)}`).toBe(true);
    // and it is an N-API addon: no NODE_MODULE_VERSION to match
    expect(execFileSync('objdump', ['-T', join(seaDir, 'pkcs11.node')], { encoding: 'utf8' })).toMatch(/napi_module_register|napi_register_module_v1/);
  });

  it('answers status and signs nothing it cannot: the token found through CAS_TOKEN_MODULES, no node on PATH', () => {
    const store = softhsm.provisioned();
    const [status, certificates] = hostReplies(
      executableWith('built'),
      [
        { id: 's', command: 'status' },
        { id: 'c', command: 'certificates' },
      ],
      { ...store.env, CAS_TOKEN_MODULES: store.modulePath },
    );
    expect(status).toMatchObject({ id: 's', ok: true, result: { version, platform: 'linux-x64', modules: [{ path: store.modulePath, loaded: true }] } });
    expect((status!.result as StatusResult).tokens.map((t) => t.label)).toEqual(store.tokens.map((t) => t.label));
    expect(certificates).toMatchObject({ id: 'c', ok: true });
  });

  for (const addon of ['missing', 'broken'] as const) {
    it(`starts with a ${addon} pkcs11.node and says so: status lists the module as not loaded, certificates is MODULE_LOAD_FAILED, doctor names the file`, () => {
      const executable = executableWith(addon);
      const store = softhsm.provisioned();
      const env = { ...store.env, CAS_TOKEN_MODULES: store.modulePath };
      const [status, certificates] = hostReplies(
        executable,
        [
          { id: 's', command: 'status' },
          { id: 'c', command: 'certificates' },
        ],
        env,
      );
      expect(status).toMatchObject({ ok: true, result: { version, modules: [{ path: store.modulePath, loaded: false }] } });
      const moduleError = (status!.result as StatusResult).modules[0]!.error!;
      expect(moduleError).toContain(join(executable, '..', 'pkcs11.node'));
      expect(certificates).toMatchObject({ ok: false, error: { code: 'MODULE_LOAD_FAILED' } });
      const doctor = run(executable, ['--cli', 'doctor', '--json'], { ...env, HOME: work });
      expect(doctor.stderr).toBe('');
      const report = JSON.parse(doctor.stdout) as { modules: { loaded: boolean; error?: string }[] };
      expect(report.modules).toEqual([expect.objectContaining({ loaded: false, error: expect.stringContaining('pkcs11.node') })]);
    });
  }

  it('is the cas-token command with --cli and under the name cas-token', () => {
    const executable = executableWith('built');
    const link = join(executable, '..', 'cas-token');
    symlinkSync(executable, link);
    expect(run(executable, ['--cli', '--version']).stdout.trim()).toBe(version);
    expect(run(link, ['--version']).stdout.trim()).toBe(version);
    const store = softhsm.provisioned();
    const certs = run(link, ['certs', '--module', store.modulePath, '--json'], store.env);
    expect(certs.status, certs.stderr).toBe(0);
    const listed = JSON.parse(certs.stdout) as { serialNumber: string }[];
    expect(listed.map((c) => c.serialNumber).sort()).toEqual(store.tokens.flatMap((t) => t.certificates.map((c) => c.serialNumberHex)).sort());
  });

  it('registers itself for a browser profile with a manifest that runs it directly (no launcher, no node)', () => {
    const executable = executableWith('built');
    const profile = join(work, 'profile');
    const install = run(executable, ['--cli', 'install', '--browser', 'chromium', '--user-data-dir', profile], { HOME: work });
    expect(install.status, install.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(profile, 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`), 'utf8')) as { path: string };
    expect(manifest.path).toBe(executable);
    expect(existsSync(join(profile, 'NativeMessagingHosts', 'cas-token-host'))).toBe(false);
  });
});
