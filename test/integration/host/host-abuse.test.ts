/**
 * Abuse of the native host: ≥100,000 generated frames (invalid UTF-8, invalid JSON, wrong types, unknown
 * commands, huge strings, deep nesting, empty and over-long frames) sent to a running host. Each
 * readable frame gets exactly one typed error reply, the host never crashes or hangs, its memory stays
 * bounded, and a valid `status` afterwards still works.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../native-host/host/native-message-framing.js';
import { ERROR_CODES } from '../../../shared/protocol/error-codes.js';
import type { HostReply } from '../../../shared/protocol/host-messages.js';
import { startNativeHost } from '../../support/native-host-process.js';

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rawFrame(payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

type Case = { frame: Buffer; id: string; expected: string[] };

function generateCase(next: () => number, index: number): Case {
  const id = `f${index}`;
  const pick = Math.floor(next() * 12);
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
  switch (pick) {
    case 0: {
      const bytes = Buffer.alloc(1 + Math.floor(next() * 64));
      for (let i = 0; i < bytes.length; i++) bytes[i] = 0x80 + Math.floor(next() * 0x40); // lone continuation bytes: invalid UTF-8
      return { frame: rawFrame(bytes), id: '', expected: ['INVALID_MESSAGE'] };
    }
    case 1:
      return { frame: rawFrame(Buffer.from(`{"id":"${id}","command":`.slice(0, 1 + Math.floor(next() * 25)))), id: '', expected: ['INVALID_MESSAGE'] };
    case 2:
      return { frame: rawFrame(json([null, 1, 'x', true][Math.floor(next() * 4)])), id: '', expected: ['INVALID_MESSAGE'] };
    case 3:
      return { frame: rawFrame(json({ id: next() > 0.5 ? index : null, command: 'status' })), id: '', expected: ['INVALID_MESSAGE'] };
    case 4:
      return { frame: rawFrame(json({ id, command: `cmd-${Math.floor(next() * 1e6)}` })), id, expected: ['UNKNOWN_COMMAND'] };
    case 5:
      return { frame: rawFrame(json({ id, command: ['status'] })), id, expected: ['UNKNOWN_COMMAND'] };
    case 6:
      return { frame: rawFrame(json({ id, command: 'tokens', token: { label: 'x'.repeat(300 + Math.floor(next() * 20000)) } })), id, expected: ['INVALID_MESSAGE'] };
    case 7: {
      const depth = 1000 + Math.floor(next() * 20000);
      return { frame: rawFrame(Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)), id: '', expected: ['INVALID_MESSAGE'] };
    }
    case 8:
      return { frame: rawFrame(json({ id, command: 'sign', certificate: { id: 'zz' }, hashAlgorithm: 'SHA-256', digests: ['!!'] })), id, expected: ['INVALID_MESSAGE'] };
    case 9:
      return { frame: rawFrame(json({ id, command: 'sign', certificate: {}, hashAlgorithm: 'SHA-1', digests: [] })), id, expected: ['INVALID_MESSAGE'] };
    case 10:
      return { frame: rawFrame(Buffer.alloc(0)), id: '', expected: ['INVALID_MESSAGE'] };
    default:
      return { frame: rawFrame(json({ id: 'x'.repeat(65 + Math.floor(next() * 100)), command: 'status' })), id: '', expected: ['INVALID_MESSAGE'] };
  }
}

function rssKilobytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('native host under abuse', () => {
  it('answers 100,000 generated bad frames with typed errors and keeps serving', { timeout: 240_000 }, async () => {
    // No token is needed to be abused: point the host at a module that does not exist.
    const host = startNativeHost({ CAS_TOKEN_MODULES: '/nonexistent/libpkcs11-abuse.so' });
    const next = random(20261122);
    const total = 100_000;
    const cases: Case[] = [];
    let peakRss = 0;
    let batch: Buffer[] = [];
    for (let index = 0; index < total; index++) {
      const generated = generateCase(next, index);
      cases.push({ ...generated, frame: Buffer.alloc(0) });
      batch.push(generated.frame);
      if (batch.length === 2000 || index === total - 1) {
        const chunk = Buffer.concat(batch);
        batch = [];
        if (!host.child.stdin.write(chunk)) await new Promise((resolve) => host.child.stdin.once('drain', resolve));
        await waitFor(() => host.replies.length >= index + 1 - 4000, 60_000); // keep at most two batches in flight
        peakRss = Math.max(peakRss, rssKilobytes(host.child.pid!));
      }
    }
    // Two over-long frames (skipped whole, answered MESSAGE_TOO_LARGE), then a valid status.
    const overLong = Buffer.alloc(1024 * 1024 + 100, 0x20);
    host.write(rawFrame(overLong));
    host.write(rawFrame(overLong));
    const status = await host.request({ id: 'after-abuse', command: 'status' }, 60_000);
    expect(status).toMatchObject({ id: 'after-abuse', ok: true });

    const errors = host.replies.filter((r): r is Extract<HostReply, { ok: false }> => 'ok' in r && r.ok === false);
    expect(errors).toHaveLength(total + 2);
    for (let index = 0; index < total; index++) {
      const reply = errors[index]!;
      const expected = cases[index]!;
      expect(reply.id).toBe(expected.id);
      expect(expected.expected).toContain(reply.error.code);
      expect(ERROR_CODES).toContain(reply.error.code);
      expect(reply.error.message).not.toMatch(/\n\s+at /); // no stack traces
    }
    expect(errors.slice(total).map((r) => r.error.code)).toEqual(['MESSAGE_TOO_LARGE', 'MESSAGE_TOO_LARGE']);
    expect(peakRss).toBeLessThan(400 * 1024); // bounded: well under 400 MB whatever was sent
    expect(host.child.exitCode).toBeNull();
    expect(await host.close()).toBe(0);
  });

  it('closes cleanly with a log line on a frame cut off by the end of input', async () => {
    const host = startNativeHost({ CAS_TOKEN_MODULES: '/nonexistent/libpkcs11-abuse.so' });
    const frame = encodeFrame({ id: 'cut', command: 'status' });
    host.write(frame.subarray(0, frame.length - 5));
    expect(await host.close()).toBe(0);
    expect(host.replies).toEqual([]);
    expect(host.stderr()).toMatch(/input ended inside a frame/);
    expect(host.stderr()).not.toMatch(/\n\s+at /);
  });

  it('answers an absurd length prefix with an error and exits cleanly instead of waiting for gigabytes', async () => {
    const host = startNativeHost({ CAS_TOKEN_MODULES: '/nonexistent/libpkcs11-abuse.so' });
    host.write(Buffer.from([0xff, 0xff, 0xff, 0x7f, 0x41, 0x42]));
    expect(await host.exited).toBe(1);
    expect(host.replies).toMatchObject([{ id: '', ok: false, error: { code: 'INVALID_MESSAGE' } }]);
    expect(host.stderr()).toMatch(/not a native message/);
  });
});
