/**
 * "Cerere de înregistrare a certificatului digital": the request a provider files at its county CAS,
 * laid out like the counties' forms, in Romanian, with the certificate's serial number, issuer,
 * validity and e-mail exactly as on the certificate. The font (DejaVu Sans) carries ă â î ș ț.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import type { PDFFont, PDFPage } from 'pdf-lib';
import type { CertificateDetails } from '../certificate/certificate-details.js';
import { formatFormDate } from '../certificate/validity-dates.js';
import { countyHouseName } from './county-houses.js';
import type { ProviderProfile } from './provider-profile.js';
import { wrapText } from '../signature/visible-signature.js';

export interface RegistrationRequestInput {
  profile: ProviderProfile;
  certificate: CertificateDetails;
  /** The request's date (default: today). */
  date?: Date;
  timeZone?: string;
  fonts: { regular: Uint8Array; bold: Uint8Array };
}

const wrap = (text: string, font: PDFFont, size: number, width: number): string[] => wrapText(text, font, size, width);

export async function generateRegistrationRequestPdf(input: RegistrationRequestInput): Promise<Uint8Array> {
  const { profile, certificate } = input;
  const date = (iso: string): string => formatFormDate(iso, 'DD.MM.YYYY', input.timeZone);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(`Cerere de înregistrare a certificatului digital — ${profile.providerName}`);
  pdf.setLanguage('ro-RO');
  const regular = await pdf.embedFont(input.fonts.regular, { subset: true });
  const bold = await pdf.embedFont(input.fonts.bold, { subset: true });
  const page: PDFPage = pdf.addPage([595.28, 841.89]);
  const left = 60;
  const width = 475;
  let y = 790;
  const text = (value: string, options: { font?: PDFFont; size?: number; x?: number; gap?: number; maxWidth?: number } = {}): void => {
    const font = options.font ?? regular;
    const size = options.size ?? 11;
    for (const line of wrap(value, font, size, options.maxWidth ?? width)) {
      page.drawText(line, { x: options.x ?? left, y, size, font, color: rgb(0.1, 0.1, 0.12) });
      y -= size + (options.gap ?? 4);
    }
  };
  text(`Către ${countyHouseName(profile.county)}`, { font: bold });
  y -= 30;
  text('CERERE DE ÎNREGISTRARE / UTILIZARE', { font: bold, size: 14, x: 160 });
  text('A CERTIFICATULUI DIGITAL CALIFICAT', { font: bold, size: 14, x: 165 });
  y -= 20;
  text(
    `Subsemnatul(a) ${profile.legalRepresentative}, în calitate de reprezentant legal al furnizorului ${profile.providerName}, ` +
      `CUI ${profile.cui}${profile.contractType ? `, tip contract: ${profile.contractType}` : ''}${profile.contractNumber ? `, contract nr. ${profile.contractNumber}` : ''}` +
      `${profile.phone ? `, telefon ${profile.phone}` : ''}${profile.email ? `, e-mail ${profile.email}` : ''}, ` +
      'solicit înregistrarea în SIUI a certificatului digital calificat cu următoarele date, identice cu cele înscrise în certificat:',
    { gap: 5 },
  );
  y -= 14;
  const rows: [string, string][] = [
    ['Număr de serie', certificate.serialNumber],
    ['Emitent', certificate.issuer],
    ['Valabil de la', date(certificate.notBefore)],
    ['Valabil până la', date(certificate.notAfter)],
    ['E-mail din certificat', certificate.email ?? '—'],
    ['Titular', certificate.subjectCommonName ?? certificate.subject],
  ];
  for (const [label, value] of rows) {
    const top = y + 13;
    const labelLines = wrap(label, bold, 10, 124);
    const valueLines = wrap(value, regular, 10, 330);
    const height = Math.max(labelLines.length, valueLines.length) * 14 + 8;
    page.drawRectangle({ x: left, y: top - height, width, height, borderColor: rgb(0.6, 0.64, 0.7), borderWidth: 0.8 });
    labelLines.forEach((line, i) => page.drawText(line, { x: left + 6, y: top - 14 - i * 14, size: 10, font: bold }));
    valueLines.forEach((line, i) => page.drawText(line, { x: left + 138, y: top - 14 - i * 14, size: 10, font: regular }));
    y = top - height - 13;
  }
  y -= 24;
  text('Declar pe propria răspundere că datele de mai sus sunt corecte și că certificatul este folosit numai de persoana autorizată.', { size: 10 });
  y -= 30;
  const signatureTop = y;
  text(`Data: ${formatFormDate((input.date ?? new Date()).toISOString(), 'DD.MM.YYYY', input.timeZone)}`);
  y = signatureTop;
  text('Reprezentant legal,', { x: 330, maxWidth: 205 });
  text(profile.legalRepresentative, { x: 330, maxWidth: 205 });
  text('(semnătură electronică calificată)', { x: 330, size: 9, maxWidth: 205 });
  return pdf.save({ useObjectStreams: false });
}
