// @vitest-environment happy-dom
/**
 * The injected entry as the background uses it: `casTokenFill.fill / detect / undo` on the frame's
 * document, with results that survive `executeScript` (plain data); a second injection (Fill form
 * clicked twice) keeps the first instance, so undo still restores what the first fill changed.
 */
import { describe, expect, it, vi } from 'vitest';
import type { CasTokenFillApi } from '../../../extension/content/fill/inject.js';
import type { FillValues } from '../../../extension/content/fill/fill-values.js';

const values: FillValues = {
  serialNumber: '20110420940301',
  serialNumberWindows: '12 4a 0c 8a 2b 6d',
  serialNumberDecimal: '20110420940301',
  issuer: 'C=RO, O=Trans Sped SRL, CN=Trans Sped Qualified CA G2',
  issuerRfc4514: 'CN=Trans Sped Qualified CA G2,O=Trans Sped SRL,C=RO',
  validFrom: '2025-06-01T09:00:00Z',
  validTo: '2026-06-01T08:59:59Z',
  email: 'farmacia@example.ro',
  timeZone: 'Europe/Bucharest',
};

const api = (): CasTokenFillApi => (globalThis as unknown as { casTokenFill: CasTokenFillApi }).casTokenFill;

describe('the injected casTokenFill', () => {
  it('detects, fills and undoes on this document; a second injection reuses the first', async () => {
    document.body.innerHTML = '<form><label>Număr de serie <input id="s"></label><label>Data expirării <input id="e" type="date"></label><label>Telefon <input id="t"></label></form>';
    await import('../../../extension/content/fill/inject.js');
    const first = api();

    expect(first.detect()).toEqual([
      { concept: 'serial', label: 'Număr de serie', source: 'label-wrap' },
      { concept: 'validTo', label: 'Data expirării', source: 'label-wrap' },
    ]);
    const report = first.fill(values);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report); // crosses executeScript unchanged
    expect(report.filled).toEqual([
      { concept: 'serial', label: 'Număr de serie', value: '20110420940301' },
      { concept: 'validTo', label: 'Data expirării', value: '2026-06-01' },
    ]);

    vi.resetModules();
    await import('../../../extension/content/fill/inject.js');
    expect(api()).toBe(first);
    expect(api().undo()).toBe(2);
    expect(Array.from(document.querySelectorAll('input')).map((i) => i.value)).toEqual(['', '', '']);
  });
});
