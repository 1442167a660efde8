/**
 * What a real desk does to the token while the host works, through the built host process: the token
 * pulled out in the middle of a 1,000-digest batch, or the device breaking down. Each ends in a clear
 * typed error (NO_TOKEN / TOKEN_FAILED, naming the token), the host keeps serving and reports the
 * slot truthfully, and signing works again once the token is back, in the same host process, with
 * every signature verified. The token is SoftHSM2 behind test/support/faulty-token.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, X509Certificate, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostReply, SignResult, StatusResult } from '../../../shared/protocol/host-messages.js';
import { buildFaultyToken } from '../../support/faulty-token.js';
import type { FaultyToken } from '../../support/faulty-token.js';
import { startNativeHost } from '../../support/native-host-process.js';
import type { NativeHostProcess } from '../../support/native-host-process.js';
import { useSoftHsm } from '../../support/softhsm.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-faults-'));
let token: FaultyToken;
let host: NativeHostProcess;
let counter = 0;

const texts = Array.from({ length: 1000 }, (_, i) => `Decont ${i + 1}`);
const digests = texts.map((text) => createHash('sha256').update(text).digest('base64'));

function signBatch(list = digests): Promise<HostReply> {
  return host.request({ id: `sign-${counter++}`, command: 'sign', certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: list, pin: '1234' }, 60_000);
}

/** How far the host's progress replies for a request got before its final reply. */
function progressReached(id: string): number {
  return Math.max(0, ...host.replies.flatMap((reply) => ('progress' in reply && reply.id === id ? [reply.progress.done] : [])));
}

async function status(): Promise<StatusResult> {
  const reply = await host.request({ id: `status-${counter++}`, command: 'status' });
  if (!('ok' in reply) || !reply.ok) throw new Error(`status failed: ${JSON.stringify(reply)}`);
  return reply.result as StatusResult;
}

function expectAllValid(reply: HostReply, count: number): void {
  expect(reply).toMatchObject({ ok: true });
  const signed = (reply as { result: SignResult }).result;
  expect(signed.signatures).toHaveLength(count);
  const certificate = new X509Certificate(readFileSync(softhsm.provisioned().tokens[0]!.certificates[0]!.certificatePath));
  signed.signatures.forEach((signature, i) => expect(verify('sha256', Buffer.from(texts[i]!), certificate.publicKey, Buffer.from(signature, 'base64'))).toBe(true));
}

beforeAll(() => {
  token = buildFaultyToken(work);
  host = startNativeHost({ ...softhsm.provisioned().env, ...token.env, CAS_TOKEN_MODULES: token.modulePath });
});
afterAll(async () => {
  await host?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('token faults under the running host', () => {
  it('a token pulled out at signature 300 of 1,000 gives NO_TOKEN; the host keeps serving; back in, the batch signs', async () => {
    expectAllValid(await signBatch(), 1000);
    token.pullOutAfter(300);
    const pulled = await signBatch();
    const reached = progressReached(pulled.id);
    expect(reached).toBeGreaterThanOrEqual(250); // it really was in the middle of the batch
    expect(reached).toBeLessThanOrEqual(300);
    expect(pulled).toMatchObject({ ok: false, error: { code: 'NO_TOKEN', message: expect.stringMatching(/CAS Demo.*(removed|not present)/) } });
    // The host is alive and tells the truth about the slot.
    const away = await status();
    expect(away.tokens).toEqual([]);
    expect(await signBatch(digests.slice(0, 1))).toMatchObject({ ok: false, error: { code: 'NO_TOKEN' } });
    token.putBack();
    expect((await status()).tokens.map((t) => t.label)).toEqual(['CAS Demo']);
    expectAllValid(await signBatch(), 1000);
    expect(host.child.exitCode).toBeNull();
  });

  it('a device that breaks down mid-batch gives TOKEN_FAILED with what to do; repaired, it signs again', async () => {
    token.breakDownAfter(500);
    const broken = await signBatch();
    expect(progressReached(broken.id)).toBeGreaterThanOrEqual(450);
    expect(broken).toMatchObject({ ok: false, error: { code: 'TOKEN_FAILED', message: expect.stringMatching(/CAS Demo.*CKR_DEVICE_ERROR.*take it out/i) } });
    expect((await status()).version).toBeTruthy(); // still serving
    token.putBack();
    expectAllValid(await signBatch(digests.slice(0, 20)), 20);
  });

  it('a token pulled out and put back between two signatures: away, NO_TOKEN; back, the next signature is made and valid (its sessions from before ended with it)', async () => {
    expectAllValid(await signBatch(digests.slice(0, 1)), 1); // the token identified, its watch started
    token.pullOut();
    expect(await signBatch(digests.slice(0, 1))).toMatchObject({ ok: false, error: { code: 'NO_TOKEN' } });
    token.putBack();
    expectAllValid(await signBatch(digests.slice(0, 1)), 1);
    token.pullOut();
    token.putBack(); // out and in again with no request between: the watching session is no longer valid
    expectAllValid(await signBatch(digests.slice(0, 3)), 3);
  });

  it('never logs the PIN while failing', () => {
    expect(host.stderr()).toMatch(/sign NO_TOKEN/);
    expect(host.stderr()).not.toContain('1234');
  });
});
