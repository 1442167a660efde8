import { describe, expect, it } from 'vitest';
import { parseHostRequest } from '../../../native-host/host/host-request-parser.js';

const parse = (value: string | Uint8Array) => parseHostRequest(typeof value === 'string' ? new TextEncoder().encode(value) : value);
const digest = Buffer.alloc(32, 7).toString('base64');

describe('host request validation', () => {
  it('accepts a valid sign request and defaults the scheme', () => {
    const outcome = parse(JSON.stringify({ id: 'r1', command: 'sign', certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: [digest], pin: '1234' }));
    expect(outcome.ok).toBe(true);
    if (outcome.ok && outcome.request.command === 'sign') expect(outcome.request.scheme).toBe('auto');
  });

  it.each([
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'INVALID_MESSAGE', ''],
    ['invalid JSON', '{"id": "a",', 'INVALID_MESSAGE', ''],
    ['a JSON array', '[1,2]', 'INVALID_MESSAGE', ''],
    ['no id', '{"command":"status"}', 'INVALID_MESSAGE', ''],
    ['an id that is a number', '{"id":5,"command":"status"}', 'INVALID_MESSAGE', ''],
    ['an unknown command', '{"id":"a","command":"format-disk"}', 'UNKNOWN_COMMAND', 'a'],
    ['an extra field', '{"id":"a","command":"status","evil":true}', 'INVALID_MESSAGE', 'a'],
    ['a wrong hash algorithm', `{"id":"a","command":"sign","certificate":{"id":"01"},"hashAlgorithm":"MD5","digests":["${digest}"]}`, 'INVALID_MESSAGE', 'a'],
    ['no digests', '{"id":"a","command":"sign","certificate":{"id":"01"},"hashAlgorithm":"SHA-256","digests":[]}', 'INVALID_MESSAGE', 'a'],
    ['deep nesting', '['.repeat(200000) + ']'.repeat(200000), 'INVALID_MESSAGE', ''],
  ])('answers %s with a typed error', (_name, input, code, id) => {
    const outcome = parse(input);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe(code);
      expect(outcome.id).toBe(id);
      expect(outcome.error.message.length).toBeGreaterThan(10);
    }
  });

  it('never echoes the PIN of an invalid request', () => {
    const pin = 'S3CRET-PIN-' + 'x'.repeat(80);
    const outcome = parse(JSON.stringify({ id: 'a', command: 'sign', certificate: { id: '01' }, hashAlgorithm: 'SHA-256', digests: [digest], pin }));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(JSON.stringify(outcome.error.toPayload())).not.toContain('S3CRET');
  });
});
