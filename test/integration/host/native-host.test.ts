/**
 * The built native host, started as a browser starts it, against a real SoftHSM2 token: the status
 * handshake, certificates with details, signing (verified by OpenSSL), wrong PIN, concurrency.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostReply, SignResult, StatusResult } from '../../../shared/protocol/host-messages.js';
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version.js';
import { startNativeHost } from '../../support/native-host-process.js';
import type { NativeHostProcess } from '../../support/native-host-process.js';
import { useSoftHsm } from '../../support/softhsm.js';

const softhsm = useSoftHsm();
let host: NativeHostProcess;
const work = mkdtempSync(join(tmpdir(), 'cas-token-host-'));

function result<T>(reply: HostReply): T {
  if (!('ok' in reply) || !reply.ok) throw new Error(`expected success, got ${JSON.stringify(reply)}`);
  return reply.result as T;
}

/** Verifies a signature over `data`'s SHA-256 with the certificate's public key, by OpenSSL. */
function opensslVerifies(certificatePem: string, data: Buffer, signature: Buffer): boolean {
  const cert = join(work, `cert-${Math.random()}.pem`);
  const pub = cert + '.pub';
  writeFileSync(cert, certificatePem);
  writeFileSync(pub, execFileSync('openssl', ['x509', '-in', cert, '-noout', '-pubkey']));
  const dataFile = cert + '.data';
  const sigFile = cert + '.sig';
  writeFileSync(dataFile, data);
  writeFileSync(sigFile, signature);
  try {
    execFileSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', sigFile, dataFile], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  const store = softhsm.provisioned();
  host = startNativeHost({ ...store.env, CAS_TOKEN_MODULES: store.modulePath });
});
afterAll(async () => {
  await host?.close();
});

describe('native host with a SoftHSM2 token', () => {
  it('answers status with its version, the protocol version, the module and the token', async () => {
    const status = result<StatusResult>(await host.request({ id: 's1', command: 'status' }));
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(status.version).toBe(version);
    expect(status.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(status.modules).toEqual([expect.objectContaining({ path: softhsm.provisioned().modulePath, loaded: true, source: 'env' })]);
    expect(status.tokens.map((t) => t.label)).toEqual(['CAS Demo']);
    expect(status.tokens[0]!.flags.loginRequired).toBe(true);
  });

  it('lists the certificates with their details without a PIN', async () => {
    const certificates = result<TokenCertificate[]>(await host.request({ id: 'c1', command: 'certificates' }));
    const expected = softhsm.provisioned().tokens[0]!.certificates;
    expect(certificates.map((c) => c.details.serialNumber).sort()).toEqual(expected.map((c) => c.serialNumberHex).sort());
    const qualified = certificates.find((c) => c.id === '01')!;
    expect(qualified.details.qualifiedSigning).toBe(true);
    expect(qualified.details.email).toBe('stefan.ionescu@example.com');
    expect(qualified.details.issuer).toMatch(/^C=RO, /);
    expect(['yes', 'unknown']).toContain(qualified.hasPrivateKey);
  });

  it('signs a digest with the RSA key and with the EC key; OpenSSL verifies both', async () => {
    const data = Buffer.from('Factura 2026-11 / Farmacia Demo');
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: data });
    const store = softhsm.provisioned();
    for (const certificate of store.tokens[0]!.certificates) {
      const signed = result<SignResult>(
        await host.request({ id: `sign-${certificate.id}`, command: 'sign', certificate: { id: certificate.id }, hashAlgorithm: 'SHA-256', digests: [digest.toString('base64')], pin: '1234' }),
      );
      const pem = readFileSync(certificate.certificatePath, 'utf8');
      expect(opensslVerifies(pem, data, Buffer.from(signed.signatures[0]!, 'base64'))).toBe(true);
      expect(opensslVerifies(pem, Buffer.from('something else'), Buffer.from(signed.signatures[0]!, 'base64'))).toBe(false);
      expect(signed.algorithm.name).toBe(certificate.keyType === 'rsa-2048' ? 'RS256' : 'ES256');
    }
  });

  it('reports a wrong PIN as PIN_INCORRECT, never logs it, and signs with the right PIN next', async () => {
    const digest = Buffer.alloc(32, 1).toString('base64');
    const wrong = await host.request({ id: 'bad-pin', command: 'sign', certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: [digest], pin: '9999-wrong' });
    expect(wrong).toMatchObject({ id: 'bad-pin', ok: false, error: { code: 'PIN_INCORRECT' } });
    const right = await host.request({ id: 'good-pin', command: 'sign', certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: [digest], pin: '1234' });
    expect(right).toMatchObject({ id: 'good-pin', ok: true });
    expect(host.stderr()).not.toContain('9999-wrong');
    expect(host.stderr()).not.toContain('1234');
  });

  it('answers concurrent requests each under its own id, with progress for a batch', async () => {
    const digests = Array.from({ length: 50 }, (_, i) => Buffer.alloc(32, i).toString('base64'));
    const ids = Array.from({ length: 6 }, (_, i) => `batch-${i}`);
    for (const id of ids) host.send({ id, command: 'sign', certificate: { id: '02' }, hashAlgorithm: 'SHA-256', digests, pin: '1234' });
    host.send({ id: 'status-between', command: 'status' });
    const replies = await Promise.all([...ids, 'status-between'].map((id) => host.reply(id)));
    for (const [index, id] of ids.entries()) {
      expect(replies[index]).toMatchObject({ id, ok: true });
      expect(result<SignResult>(replies[index]!).signatures).toHaveLength(50);
    }
    expect(host.replies.some((r) => r.id === 'batch-0' && 'progress' in r && r.progress.total === 50)).toBe(true);
  });

  it('streams a batch: each progress frame carries the signatures made since the last, in order, the same as the result; without `stream` none', async () => {
    const digests = Array.from({ length: 120 }, (_, i) => Buffer.alloc(32, i).toString('base64'));
    const reply = await host.request({ id: 'streamed', command: 'sign', certificate: { id: '02' }, hashAlgorithm: 'SHA-256', digests, pin: '1234', stream: true });
    const frames = host.replies.flatMap((r) => (r.id === 'streamed' && 'progress' in r ? [r.progress] : []));
    expect(frames.length).toBeGreaterThan(1);
    const streamed = frames.flatMap((frame) => frame.signatures ?? []);
    expect(streamed).toEqual(result<SignResult>(reply).signatures);
    for (const [index, frame] of frames.entries()) expect(frame.done).toBe(frames.slice(0, index + 1).reduce((sum, f) => sum + (f.signatures?.length ?? 0), 0));
    await host.request({ id: 'not-streamed', command: 'sign', certificate: { id: '02' }, hashAlgorithm: 'SHA-256', digests, pin: '1234' });
    expect(host.replies.filter((r) => r.id === 'not-streamed' && 'progress' in r && r.progress.signatures !== undefined)).toEqual([]);
  });

  it('refuses a digest of the wrong length with INVALID_ARGUMENT', async () => {
    const reply = await host.request({ id: 'short', command: 'sign', certificate: { id: '01' }, hashAlgorithm: 'SHA-384', digests: [Buffer.alloc(32).toString('base64')], pin: '1234' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('answers an unknown certificate with CERTIFICATE_NOT_FOUND and keeps serving', async () => {
    const reply = await host.request({ id: 'nocert', command: 'sign', certificate: { serialNumber: 'ABCDEF' }, hashAlgorithm: 'SHA-256', digests: [Buffer.alloc(32).toString('base64')], pin: '1234' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_NOT_FOUND' } });
    expect(await host.request({ id: 'still-there', command: 'status' })).toMatchObject({ ok: true });
  });
});

describe('native host without a usable module', () => {
  it('says which module failed to load, in status, and NO_TOKEN-class errors when asked for certificates', async () => {
    const lonely = startNativeHost({ CAS_TOKEN_MODULES: '/nonexistent/libeTPkcs11.so' });
    try {
      const status = result<StatusResult>(await lonely.request({ id: 'st', command: 'status' }));
      expect(status.modules).toEqual([expect.objectContaining({ path: '/nonexistent/libeTPkcs11.so', loaded: false })]);
      expect(status.tokens).toEqual([]);
      const reply = await lonely.request({ id: 'certs', command: 'certificates' });
      expect(reply).toMatchObject({ ok: false });
      if ('ok' in reply && !reply.ok) expect(['MODULE_LOAD_FAILED', 'NO_TOKEN']).toContain(reply.error.code);
    } finally {
      await lonely.close();
    }
  });
});
