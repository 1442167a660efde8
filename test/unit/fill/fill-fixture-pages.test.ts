// @vitest-environment happy-dom
/**
 * The filler on the CAS-like fixture pages (loaded into happy-dom): every field gets what its
 * `data-expect` says — the certificate's value in the field's convention, or nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fillCertificateFields, undoFill } from '../../../extension/content/fill/fill-page.js';
import type { FillValues } from '../../../extension/content/fill/fill-values.js';
import { expectedValue } from '../../support/fill-expectations.js';

const pages = join(process.cwd(), 'test/fixtures/pages/'); // vitest runs from the repository root (happy-dom gives import.meta.url an http: scheme)
const values: FillValues = {
  serialNumber: '0774B02F37FABD1EB399C537',
  serialNumberWindows: '07 74 b0 2f 37 fa bd 1e b3 99 c5 37',
  serialNumberDecimal: '2307985349366361096574223671',
  issuer: 'C=RO, O=CERTSIGN SA, CN=certSIGN Qualified CA, 2.5.4.97=VATRO-18288250',
  issuerRfc4514: '2.5.4.97=VATRO-18288250,CN=certSIGN Qualified CA,O=CERTSIGN SA,C=RO',
  validFrom: '2025-03-31T22:30:00Z',
  validTo: '2026-04-01T21:59:59Z',
  email: 'medic@cabinet-demo.ro',
  timeZone: 'Europe/Bucharest',
};

function load(name: string): void {
  const html = readFileSync(pages + name, 'utf8').replace(/<script>[\s\S]*?<\/script>/g, '');
  document.documentElement.innerHTML = html.replace(/^<!doctype html>/i, '');
}

afterEach(() => {
  undoFill();
  document.documentElement.innerHTML = '<head></head><body></body>';
});

// The iframe's outer page and the script-built controlled form are checked in real Chromium (test/e2e).
const fixtures = readdirSync(pages).filter((name) => name.endsWith('.html') && !['iframe-outer.html', 'controlled-inputs.html'].includes(name));

describe('filling the fixture pages', () => {
  it.each(fixtures)('%s: every field holds what it declares', (name) => {
    load(name);
    const report = fillCertificateFields(document, values);
    const fields = Array.from(document.querySelectorAll<HTMLInputElement>('[data-expect]'));
    expect(fields.length).toBeGreaterThan(2);
    for (const field of fields) {
      expect({ field: field.name || field.id, value: field.value }).toEqual({ field: field.name || field.id, value: expectedValue(field.dataset.expect!, values) });
    }
    expect(report.filled.length).toBe(fields.filter((f) => f.dataset.expect !== 'empty').length);
  });

  it('dates follow the user time zone: 31.03 22:30 UTC is 01.04 in Bucharest', () => {
    load('table-layout.html');
    fillCertificateFields(document, values);
    expect((document.querySelector('[name=f7]') as HTMLInputElement).value).toBe('01.04.2025');
  });

  it('undo restores every field and removes the highlight', () => {
    load('table-layout.html');
    fillCertificateFields(document, values);
    const serial = document.querySelector('[name=f5]') as HTMLInputElement;
    expect(serial.style.outline).not.toBe('');
    expect(undoFill()).toBe(5);
    expect(serial.value).toBe('');
    expect(serial.style.outline).toBe('');
  });

  it('does not overwrite what the user typed', () => {
    load('table-layout.html');
    const serial = document.querySelector('[name=f5]') as HTMLInputElement;
    serial.value = 'typed by hand';
    const report = fillCertificateFields(document, values);
    expect(serial.value).toBe('typed by hand');
    expect(report.skipped.map((s) => s.concept)).toContain('serial');
  });

  it('a controlled input sees the value through its input event', () => {
    document.body.innerHTML = '<label>Serial number <input id="s"></label>';
    const seen: string[] = [];
    document.getElementById('s')!.addEventListener('input', (event) => seen.push((event.target as HTMLInputElement).value));
    fillCertificateFields(document, values);
    expect(seen).toEqual([values.serialNumber]);
  });
});
