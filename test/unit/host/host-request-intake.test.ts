import { describe, expect, it } from 'vitest';
import { receiveHostRequest } from '../../../native-host/host/host-request-intake.js';
import { parseHostRequest } from '../../../native-host/host/host-request-parser.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const digest = Buffer.alloc(32, 7).toString('base64');

/** What a client sees of an outcome: the request, or the error's code, message and id. */
function seen(outcome: ReturnType<typeof parseHostRequest>): unknown {
  return outcome.ok ? outcome.request : { id: outcome.id, ...outcome.error.toPayload() };
}

describe('host request intake (the session validates every frame with it)', () => {
  it.each([
    ['a status request', '{"id":"s1","command":"status"}'],
    ['a modules request', '{"id":"m1","command":"modules"}'],
    ['a status request with an extra field', '{"id":"s2","command":"status","evil":true}'],
    ['a modules request with two extra fields', '{"id":"m2","command":"modules","pin":"1234","x":1}'],
    ['a tokens request with a selector', '{"id":"t1","command":"tokens","token":{"label":"CAS Demo"}}'],
    ['a tokens request with an unknown selector field', '{"id":"t2","command":"tokens","token":{"slot":1}}'],
    ['a sign request', JSON.stringify({ id: 'g1', command: 'sign', certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: [digest], pin: '1234' })],
    ['a sign request without digests', '{"id":"g2","command":"sign","certificate":{"id":"01"},"hashAlgorithm":"SHA-256","digests":[]}'],
    ['an unknown command', '{"id":"u1","command":"format-disk"}'],
    ['an id that is too long', JSON.stringify({ id: 'x'.repeat(65), command: 'status' })],
    ['invalid JSON', '{"id":'],
  ])('answers %s exactly as the full schema validation does', async (_name, text) => {
    const received = await receiveHostRequest(bytes(text));
    expect(seen(received)).toEqual(seen(parseHostRequest(bytes(text))));
  });

  it('answers status without the request schemas (no promise to wait for)', () => {
    const outcome = receiveHostRequest(bytes('{"id":"s3","command":"status"}'));
    expect(outcome).not.toBeInstanceOf(Promise);
    expect(outcome).toEqual({ ok: true, request: { id: 's3', command: 'status' } });
  });
});
