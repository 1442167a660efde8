/** The size check the page SDK and the content bridge make on what a page posts, before anything is passed on. */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_REQUEST_BYTES, MAX_PAGE_REQUEST_CHARS } from '../../../shared/protocol/limits.js';
import { pageRequestTooLarge } from '../../../shared/protocol/page-request-size.js';

const MB = 1024 * 1024;
const base64Of = (bytes: number): string => 'A'.repeat(Math.ceil(bytes / 3) * 4);

describe('page request size', () => {
  it('the limit leaves the request under Chromium’s 64 MiB runtime message cap', () => {
    expect(MAX_PAGE_REQUEST_CHARS).toBeLessThan(64 * MB - MB);
    expect(MAX_PAGE_REQUEST_CHARS).toBeGreaterThan((MAX_PAGE_REQUEST_BYTES * 4) / 3);
  });

  it('passes documents up to the limit, one or many, with names and options', () => {
    const request = (sizes: number[]) => ({
      casToken: 'request',
      protocol: 1,
      id: 'x',
      action: 'signDocuments',
      params: { documents: sizes.map((size, i) => ({ name: `d${i}.pdf`, data: base64Of(size), visible: { page: 1, rect: [0, 0, 100, 50] } })) },
    });
    expect(pageRequestTooLarge(request([MAX_PAGE_REQUEST_BYTES]))).toBe(false);
    expect(pageRequestTooLarge(request(Array.from({ length: 100 }, () => MAX_PAGE_REQUEST_BYTES / 100)))).toBe(false);
    expect(pageRequestTooLarge({ params: { hashes: Array.from({ length: 1000 }, () => 'A'.repeat(88)), hashAlgorithm: 'SHA-512' } })).toBe(false);
  });

  it('refuses more than the limit: one string, several, or raw bytes', () => {
    expect(pageRequestTooLarge({ params: { document: { name: 'a.pdf', data: base64Of(MAX_PAGE_REQUEST_BYTES + 3 * MB) } } })).toBe(true);
    expect(pageRequestTooLarge({ params: { documents: [1, 2, 3].map(() => ({ name: 'a.pdf', data: base64Of(15 * MB) })) } })).toBe(true);
    expect(pageRequestTooLarge({ params: { document: { name: 'a.pdf', data: new Uint8Array(20 * MB) } } })).toBe(true);
    expect(pageRequestTooLarge({ params: { extra: new ArrayBuffer(20 * MB) } })).toBe(true);
  });

  it('ends quickly on structures no valid request has: huge arrays, many keys, cycles', () => {
    const started = performance.now();
    expect(pageRequestTooLarge({ params: { hashes: new Array(5_000_000).fill('') } })).toBe(true);
    expect(pageRequestTooLarge({ params: Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, 1])) })).toBe(true);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(pageRequestTooLarge({ params: cyclic })).toBe(true);
    let deep: unknown = 'end';
    for (let i = 0; i < 100_000; i++) deep = { deep };
    expect(pageRequestTooLarge({ params: deep })).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
