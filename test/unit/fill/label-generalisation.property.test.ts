// @vitest-environment happy-dom
/**
 * Property-based: the real label matcher reads labels as words. For every concept of the vocabulary
 * (certificate fields in Romanian, English and Russian; the provider's section), any label variant a
 * form may write — punctuation, dashes, slashes, non-breaking or zero-width spaces between the words,
 * case, diacritics or none, numbering and "required" marks, extra words, another word order — from
 * any label source names the same concept. Pages that mix the certificate's section with a
 * provider's, contract's or work point's own record fill only the certificate's validity dates and
 * report the others as another record's. fast-check shrinks a failure to the smallest label.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectCertificateFields } from '../../../extension/content/fill/detect-fields.js';
import { fillCertificateFields, undoFill } from '../../../extension/content/fill/fill-page.js';
import type { FillValues } from '../../../extension/content/fill/fill-values.js';
import { detectProviderFields } from '../../../extension/content/fill/provider-fields.js';
import { normaliseLabel } from '../../../shared/form-vocabulary/normalise-label.js';
import { expectedValue } from '../../support/fill-expectations.js';
import {
  CERTIFICATE_CONCEPT_LANGUAGES,
  LABEL_SOURCES,
  PROVIDER_CONCEPT_LANGUAGES,
  SEPARATORS,
  certificateLabel,
  fieldHtml,
  mixedPage,
  mixedPageHtml,
  providerLabel,
} from '../../support/label-variants.js';

const values: FillValues = {
  serialNumber: '0774B02F37FABD1EB399C537',
  serialNumberWindows: '07 74 b0 2f 37 fa bd 1e b3 99 c5 37',
  serialNumberDecimal: '2307985349366361096574223671',
  issuer: 'C=RO, O=CERTSIGN SA, CN=certSIGN Qualified CA',
  issuerRfc4514: 'CN=certSIGN Qualified CA,O=CERTSIGN SA,C=RO',
  validFrom: '2025-03-31T22:30:00Z',
  validTo: '2026-04-01T21:59:59Z',
  email: 'medic@cabinet-demo.ro',
  timeZone: 'Europe/Bucharest',
};

const RUNS = { numRuns: 300 };

describe('labels are matched on words', () => {
  it('every concept (certificate and provider) has Romanian, English and Russian labels to vary', () => {
    for (const concept of ['serial', 'issuer', 'validFrom', 'validTo', 'validity', 'email']) {
      for (const language of ['ro', 'en', 'ru']) expect(CERTIFICATE_CONCEPT_LANGUAGES).toContain(`${concept}/${language}`);
    }
    for (const concept of ['providerName', 'cui', 'contractType', 'contractNumber', 'legalRepresentative', 'phone', 'contactEmail', 'county']) {
      for (const language of ['ro', 'en', 'ru']) expect(PROVIDER_CONCEPT_LANGUAGES).toContain(`${concept}/${language}`);
    }
  });

  it('punctuation, dashes, slashes and invisible spaces between words read as one space', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('valabil', 'de', 'la', 'nr', 'serie', 'cert', 'срок', 'действия'), { minLength: 2, maxLength: 5 }),
        fc.array(fc.constantFrom(...SEPARATORS), { minLength: 5, maxLength: 5 }),
        (words, separators) => {
          const label = words.map((word, i) => (i === 0 ? word : separators[i]! + word)).join('');
          expect(normaliseLabel(label)).toBe(words.join(' '));
        },
      ),
      RUNS,
    );
  });

  it('a certificate field labelled any way, from any label source, is that concept', () => {
    fc.assert(
      fc.property(certificateLabel, fc.constantFrom(...LABEL_SOURCES), ({ concept, label }, source) => {
        document.body.innerHTML = `<form>${fieldHtml(source, label, 'x')}</form>`;
        expect(detectCertificateFields(document).map((d) => d.concept)).toEqual([concept]);
      }),
      RUNS,
    );
  });

  it("a provider field labelled any way is the provider's, next to a certificate section", () => {
    fc.assert(
      fc.property(providerLabel, fc.constantFrom(...LABEL_SOURCES), ({ concept, label }, source) => {
        document.body.innerHTML =
          `<form><h2>1. Date furnizor</h2>${fieldHtml(source, label, 'x')}` +
          `<h2>2. Date certificat</h2><div><label for="c">Adresa de e-mail din certificat</label><input id="c" type="email"></div></form>`;
        const certificate = detectCertificateFields(document);
        const provider = detectProviderFields(document, new Set(certificate.map((d) => d.field)));
        expect(provider.map((d) => [d.concept, d.field.id])).toEqual([[concept, 'x']]);
        expect(certificate.map((d) => d.field.id)).not.toContain('x');
      }),
      RUNS,
    );
  });
});

describe("validity dates of another record are not the certificate's", () => {
  it('pages mixing the certificate with provider, contract and work point records fill only the certificate section', () => {
    fc.assert(
      fc.property(mixedPage, (sections) => {
        document.documentElement.innerHTML = mixedPageHtml(sections).replace(/^<!doctype html><html[^>]*>|<\/html>$/g, '');
        try {
          const report = fillCertificateFields(document, values);
          for (const field of Array.from(document.querySelectorAll<HTMLInputElement>('[data-expect]'))) {
            expect({ field: field.id, value: field.value }).toEqual({ field: field.id, value: expectedValue(field.getAttribute('data-expect')!, values) });
          }
          const hasCertificate = sections.some((s) => s.kind === 'certificate');
          expect(report.filled.length).toBe(hasCertificate ? 2 : 0);
          // Nothing filled: the report says why (another record's dates), for the popup to tell the user.
          if (!hasCertificate) expect(report.skipped.map((s) => s.code)).toContain('not-certificate-record');
        } finally {
          undoFill(document);
        }
      }),
      { numRuns: 150 },
    );
  });
});
