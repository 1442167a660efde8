/**
 * A county's own fillable PDF (AcroForm): each text field is matched by its name and tooltip with the
 * same vocabulary the web form filler uses (certificate fields first, then the provider's), and filled
 * in the form's convention; fields nothing matches stay as they are. DejaVu Sans draws the values, so
 * ș ț show.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, PDFString, PDFHexString, PDFTextField } from 'pdf-lib';
import type { CertificateDetails } from '../certificate/certificate-details.js';
import { formatFormDate } from '../certificate/validity-dates.js';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { CERTIFICATE_CONTEXT, CONCEPT_DETECTORS, FALSE_FRIENDS } from '../form-vocabulary/certificate-field-concepts.js';
import { dateStyleFromHint } from '../form-vocabulary/date-style.js';
import { normaliseLabel } from '../form-vocabulary/normalise-label.js';
import { PROVIDER_CONCEPTS } from '../form-vocabulary/provider-field-concepts.js';
import { countyHouse, countyHouseName } from './county-houses.js';
import type { ProviderProfile } from './provider-profile.js';

export interface FilledPdfField {
  field: string;
  concept: string;
  value: string;
}

export interface RegistrationFormInput {
  template: Uint8Array;
  profile: ProviderProfile;
  certificate: CertificateDetails;
  date?: Date;
  timeZone?: string;
  font: Uint8Array;
}

/** `nrSerieCertificat`, `data_expirarii` → words. */
function words(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.[\]0-9]+/g, ' ');
}

function tooltipOf(field: PDFTextField): string {
  const tooltip = field.acroField.dict.get(PDFName.of('TU'));
  return tooltip instanceof PDFString || tooltip instanceof PDFHexString ? tooltip.decodeText() : '';
}

export async function fillRegistrationForm(input: RegistrationFormInput): Promise<{ pdf: Uint8Array; filled: FilledPdfField[] }> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(input.template);
  } catch {
    throw new CasTokenError('INVALID_ARGUMENT', 'The template is not a readable PDF.');
  }
  const form = document.getForm();
  const fields = form.getFields().filter((f): f is PDFTextField => f instanceof PDFTextField);
  if (fields.length === 0) throw new CasTokenError('INVALID_ARGUMENT', 'The template has no fillable text fields (an AcroForm is needed).');
  document.registerFontkit(fontkit);
  const font = await document.embedFont(input.font, { subset: false });
  const date = (iso: string): string => formatFormDate(iso, 'DD.MM.YYYY', input.timeZone);
  const { certificate, profile } = input;
  const certificateValues: Record<string, string | undefined> = {
    serial: certificate.serialNumber,
    issuer: certificate.issuer,
    validFrom: date(certificate.notBefore),
    validTo: date(certificate.notAfter),
    validity: `${date(certificate.notBefore)} - ${date(certificate.notAfter)}`,
    email: certificate.email,
  };
  const providerValues: Record<string, string> = {
    providerName: profile.providerName,
    cui: profile.cui,
    legalRepresentative: profile.legalRepresentative,
    phone: profile.phone,
    contactEmail: profile.email,
    county: profile.county,
    contractType: profile.contractType,
    contractNumber: profile.contractNumber,
    date: formatFormDate((input.date ?? new Date()).toISOString(), 'DD.MM.YYYY', input.timeZone),
  };
  const filled: FilledPdfField[] = [];
  const usedCertificateConcepts = new Set<string>();
  for (const field of fields) {
    const label = normaliseLabel(`${tooltipOf(field)} ${words(field.getName())}`);
    let concept: string | undefined;
    let value: string | undefined;
    const certificateLike = !FALSE_FRIENDS.some((p) => p.test(label)) || CERTIFICATE_CONTEXT.test(label);
    if (certificateLike) {
      const detector = CONCEPT_DETECTORS.find((d) => d.matches.some((p) => p.test(label)) && !d.excludes.some((p) => p.test(label)));
      // An e-mail field is the certificate's only when it says so; otherwise it is the provider's contact.
      if (detector && (detector.concept !== 'email' || CERTIFICATE_CONTEXT.test(label)) && !usedCertificateConcepts.has(detector.concept)) {
        concept = detector.concept;
        value = certificateValues[concept];
        // A date in the style the field's tooltip asks for (zz-ll-aaaa, aaaa-ll-zz, …).
        const style = dateStyleFromHint(tooltipOf(field));
        if (style !== 'DD.MM.YYYY') {
          const styled = (iso: string): string => formatFormDate(iso, style, input.timeZone);
          if (concept === 'validFrom') value = styled(certificate.notBefore);
          if (concept === 'validTo') value = styled(certificate.notAfter);
          if (concept === 'validity') value = `${styled(certificate.notBefore)} - ${styled(certificate.notAfter)}`;
        }
        usedCertificateConcepts.add(concept);
      }
    }
    if (!concept) {
      const provider = PROVIDER_CONCEPTS.find((c) => c.matches.some((p) => p.test(label)));
      if (provider) {
        concept = provider.concept;
        value = providerValues[concept];
        // A "Județ" field wants the county; any other names the house (the addressee).
        if (concept === 'county') value = /judet/.test(label) ? countyHouse(profile.county)?.county || profile.county : countyHouseName(profile.county);
      }
    }
    if (!concept || !value) continue;
    field.setText(value);
    filled.push({ field: field.getName(), concept, value });
  }
  form.updateFieldAppearances(font);
  return { pdf: await document.save({ useObjectStreams: false }), filled };
}
