/**
 * The registration request document in the extension: from the provider profile and the chosen
 * certificate, generated (or the county's fillable PDF filled), and — when asked — signed PAdES in the
 * same step with one PIN in the extension's PIN window.
 */
import boldFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url';
import regularFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { fillRegistrationForm } from '../../../shared/registration-request/registration-form-filler.js';
import { generateRegistrationRequestPdf } from '../../../shared/registration-request/registration-request-pdf.js';
import type { ProviderProfile } from '../../../shared/registration-request/provider-profile.js';
import type { SignatureCorner } from '../../../shared/signature/visible-signature.js';
import { nativeHost } from '../host-connection.js';
import type { CertificateRef } from '../../../shared/protocol/extension-messages.js';
import { signDocumentsWithPin } from '../signing/sign-documents.js';
import { t } from '../../common/i18n.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';

async function font(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

export async function registrationRequestAction(options: {
  profile: ProviderProfile;
  certificate: CertificateRef;
  template?: string | undefined;
  sign: boolean;
  visibleCorner?: SignatureCorner | undefined;
}): Promise<{ name: string; data: string; signed: boolean }> {
  const certificates = await nativeHost.request('certificates', {});
  const chosen = certificates.find((c) => c.id === options.certificate.id && c.token.serial === options.certificate.tokenSerial);
  if (!chosen) throw new CasTokenError('CERTIFICATE_NOT_FOUND', 'The chosen certificate is no longer on the token.');
  const [regular, bold] = await Promise.all([font(regularFontUrl), font(boldFontUrl)]);
  const pdf = options.template
    ? (await fillRegistrationForm({ template: base64ToBytes(options.template), profile: options.profile, certificate: chosen.details, font: regular })).pdf
    : await generateRegistrationRequestPdf({ profile: options.profile, certificate: chosen.details, fonts: { regular, bold } });
  const name = 'cerere-inregistrare-certificat.pdf';
  if (!options.sign) return { name, data: bytesToBase64(pdf), signed: false };
  // A visible box goes on the last page, where the request ends with the signature line.
  const visible = options.visibleCorner ? { corner: options.visibleCorner, page: -1 } : undefined;
  const [item] = await signDocumentsWithPin({
    origin: t('registrationRequestOrigin'),
    documents: [{ name, data: pdf, format: 'pades', ...(visible ? { visible } : {}) }],
    certificate: chosen.id,
  });
  if (!item!.ok) throw CasTokenError.fromPayload(item!.error);
  return { name: item!.signedName, data: item!.data, signed: true };
}
