/**
 * The Sign files page hands its File objects to the service worker: taken only from the extension's
 * own origin and in the agreed shape, claimed once by the port that names them (whether they arrive
 * before or after that port's message), dropped when no port claims them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claimHandedOverFiles, listenForHandedOverFiles } from '../../../extension/background/handed-over-files.js';
import { signFilesHandOverSchema, signFilesPageMessageSchema } from '../../../shared/protocol/extension-messages.js';

const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
let deliver: (event: MessageEvent) => void;
listenForHandedOverFiles({ location: { origin: ORIGIN }, addEventListener: (_type, listener) => (deliver = listener) });

const invoices = (count: number) => Array.from({ length: count }, (_, i) => new File([`%PDF-1.7 factura ${i}`], `factura-${i}.pdf`));
const handOver = (id: string, files: unknown, origin = ORIGIN) => deliver(new MessageEvent('message', { data: { type: 'sign-files-hand-over', id, files }, origin }));
const id = (n: number) => `3f0a8d2e-57c1-4b59-9d5c-2f1e0c7a9b${String(n).padStart(2, '0')}`;

describe('files handed over to the service worker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives the port the files handed over before its message, once', async () => {
    const files = invoices(3);
    handOver(id(1), files);
    expect(await claimHandedOverFiles(id(1))).toEqual(files);
    const again = claimHandedOverFiles(id(1));
    vi.advanceTimersByTime(60_000);
    expect(await again).toBeUndefined();
  });

  it('waits for files handed over just after the port asks', async () => {
    const files = invoices(2);
    const claimed = claimHandedOverFiles(id(2));
    handOver(id(2), files);
    expect(await claimed).toEqual(files);
  });

  it('ignores another origin, a malformed hand-over, and gives up on files that never come', async () => {
    const claimed = claimHandedOverFiles(id(3));
    handOver(id(3), invoices(1), 'https://cas.example.ro');
    handOver(id(3), ['not a file']);
    handOver(id(3), []);
    vi.advanceTimersByTime(60_000);
    expect(await claimed).toBeUndefined();
  });

  it('drops files no port claimed within a minute', async () => {
    handOver(id(4), invoices(1));
    vi.advanceTimersByTime(60_000);
    const claimed = claimHandedOverFiles(id(4));
    vi.advanceTimersByTime(60_000);
    expect(await claimed).toBeUndefined();
  });

  it('the port message names a hand-over instead of blob: URLs, and needs one or the other', () => {
    const document = { name: 'factura.pdf', size: 10, format: 'pades' };
    expect(signFilesPageMessageSchema.safeParse({ type: 'sign-files', documents: [document], files: id(5) }).success).toBe(true);
    expect(signFilesPageMessageSchema.safeParse({ type: 'sign-files', documents: [document] }).success).toBe(false);
    expect(signFilesPageMessageSchema.safeParse({ type: 'sign-files', documents: [document], files: 'not-an-id' }).success).toBe(false);
    expect(signFilesHandOverSchema.safeParse({ type: 'sign-files-hand-over', id: id(5), files: invoices(1001) }).success).toBe(false);
  });
});
