/**
 * What the Sign files page may send its port: a batch described by names, sizes, formats and a `blob:`
 * URL of an extension origin per file (never another kind of URL, never more files than one token call
 * signs), and the pieces the PIN window's preview asked for.
 */
import { describe, expect, it } from 'vitest';
import { signFilesPageMessageSchema } from '../../../shared/protocol/extension-messages.js';
import { MAX_SIGN_FILES_DOCUMENTS } from '../../../shared/protocol/limits.js';

const file = (url: string) => ({ name: 'factura.pdf', size: 1024, format: 'pades', url });
const chromeUrl = 'blob:chrome-extension://abcdefghijklmnopabcdefghijklmnop/3f0a8d2e-57c1-4b59-9d5c-2f1e0c7a9b11';
const firefoxUrl = 'blob:moz-extension://0cf8fc07-3fc5-4f9d-969b-3d81361a41df/5b2d9a1e-0c3f-4e7a-8b6d-1a2b3c4d5e6f';

describe('the Sign files port messages', () => {
  it("takes a batch of files by the extension's own blob: URLs, in Chromium and Firefox", () => {
    expect(signFilesPageMessageSchema.safeParse({ type: 'sign-files', documents: [file(chromeUrl), file(firefoxUrl)], namesLanguage: 'ro' }).success).toBe(true);
  });

  it('refuses any other URL, a batch larger than one token call, and no files at all', () => {
    for (const url of ['https://example.com/factura.pdf', 'blob:https://example.com/3f0a8d2e-57c1-4b59-9d5c-2f1e0c7a9b11', 'file:///etc/passwd', `${chromeUrl}/../x`]) {
      expect(signFilesPageMessageSchema.safeParse({ type: 'sign-files', documents: [file(url)] }).success, url).toBe(false);
    }
    expect(signFilesPageMessageSchema.safeParse({ type: 'sign-files', documents: Array.from({ length: MAX_SIGN_FILES_DOCUMENTS + 1 }, () => file(chromeUrl)) }).success).toBe(false);
    expect(signFilesPageMessageSchema.safeParse({ type: 'sign-files', documents: [] }).success).toBe(false);
  });

  it('takes a preview piece as base64, or word that it could not be read', () => {
    expect(signFilesPageMessageSchema.safeParse({ type: 'piece', index: 0, piece: 3, data: 'JVBERi0=' }).success).toBe(true);
    expect(signFilesPageMessageSchema.safeParse({ type: 'unreadable', index: 0, piece: 3 }).success).toBe(true);
    expect(signFilesPageMessageSchema.safeParse({ type: 'piece', index: 0, piece: 3, data: 'not base64!' }).success).toBe(false);
  });
});
