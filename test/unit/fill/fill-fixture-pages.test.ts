// @vitest-environment happy-dom
/**
 * The filler on the CAS-like fixture pages (loaded into happy-dom): every field gets what its
 * `data-expect` says — the certificate's value in the field's convention, or nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

/** Loads a fixture page and runs its inline scripts (a controlled form builds itself and re-renders on a timer). */
function load(name: string): void {
  const source = readFileSync(pages + name, 'utf8');
  const scripts = Array.from(source.matchAll(/<script>([\s\S]*?)<\/script>/g), (match) => match[1]!);
  document.documentElement.innerHTML = source.replace(/<script>[\s\S]*?<\/script>/g, '').replace(/^<!doctype html>/i, '');
  for (const script of scripts) new Function(script)();
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  undoFill(document);
  vi.clearAllTimers();
  vi.useRealTimers();
  document.documentElement.innerHTML = '<head></head><body></body>';
});

// The iframe's outer page is checked in real Chromium (test/e2e); its inner page is one of these.
const fixtures = readdirSync(pages).filter((name) => name.endsWith('.html') && name !== 'iframe-outer.html');

describe('filling the fixture pages', () => {
  it.each(fixtures)('%s: every field holds what it declares', (name) => {
    load(name);
    const report = fillCertificateFields(document, values);
    vi.advanceTimersByTime(200); // a controlled form re-renders from its own state meanwhile
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
    expect(undoFill(document)).toBe(5);
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

  it('the controlled form keeps the values in its own state, and undo empties its state again', () => {
    load('controlled-inputs.html');
    fillCertificateFields(document, values);
    vi.advanceTimersByTime(200);
    const state = (): Record<string, string> => JSON.parse(document.getElementById('state')!.textContent!) as Record<string, string>;
    expect(state()).toEqual({ serial: values.serialNumber, issuer: values.issuer, expires: '02.04.2026', email: values.email, notes: '' });
    expect(undoFill(document)).toBe(4);
    vi.advanceTimersByTime(200);
    expect(state()).toEqual({ serial: '', issuer: '', expires: '', email: '', notes: '' });
  });

  it("a value set without events is lost on the controlled form's next render (the page really is controlled)", () => {
    load('controlled-inputs.html');
    const serial = document.querySelector<HTMLInputElement>('[name=serial]')!;
    serial.value = 'set without events';
    vi.advanceTimersByTime(200);
    expect(serial.value).toBe('');
  });

  it('the iframe page: the outer page has no certificate field of its own, the inner page is a fixture', () => {
    const outer = readFileSync(pages + 'iframe-outer.html', 'utf8');
    expect(outer).toContain('<iframe src="iframe-inner.html"');
    expect(fixtures).toContain('iframe-inner.html');
    // happy-dom does not load frames: the outer document without its frame (in a browser each frame runs its own filler).
    document.documentElement.innerHTML = outer.replace(/<iframe[^>]*><\/iframe>/, '').replace(/^<!doctype html>/i, '');
    expect(fillCertificateFields(document, values).filled).toEqual([]);
    expect((document.getElementById('search') as HTMLInputElement).value).toBe('');
  });
});
