/**
 * `cas-token request`: the registration request for the county CAS, from the provider profile (JSON)
 * and a certificate on the token — generated, or the county's own fillable PDF (--template) filled —
 * and, with --sign, signed PAdES in the same step with the same certificate.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fillRegistrationForm } from '../../../shared/registration-request/registration-form-filler.js';
import { generateRegistrationRequestPdf } from '../../../shared/registration-request/registration-request-pdf.js';
import { providerProfileSchema } from '../../../shared/registration-request/provider-profile.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { createBatchSigner } from '../../../shared/signature/batch-signer.js';
import { signPades } from '../../../shared/signature/pades.js';
import { parseVisiblePlacement } from '../../../shared/signature/visible-signature.js';
import { registrationFonts } from '../../registration-fonts.js';
import { signingCertificate } from '../../signing/token-certificate-lookup.js';
import { createTokenService } from '../../token-service-factory.js';
import type { CliInvocation } from '../cli-invocation.js';
import { readPin } from '../pin-input.js';
import { documentLanguage, messages } from '../cli-messages.js';

export async function requestCommand({ flags }: CliInvocation): Promise<void> {
  const m = messages();
  const lang = documentLanguage(flags.lang);
  if (flags.visible !== undefined && !flags.sign) throw new CasTokenError('INVALID_ARGUMENT', '--visible goes with --sign.');
  const visible = flags.visible !== undefined ? { ...parseVisiblePlacement(flags.visible), language: lang } : undefined;
  if (!flags.profile) throw new CasTokenError('INVALID_ARGUMENT', 'Give the provider profile: --profile provider.json (providerName, cui, county, legalRepresentative, …).');
  if (!flags.out) throw new CasTokenError('INVALID_ARGUMENT', 'Name the output: --out cerere.pdf');
  const profileText = await readFile(flags.profile, 'utf8').catch(() => {
    throw new CasTokenError('INVALID_ARGUMENT', `Cannot read ${flags.profile}.`);
  });
  let profileJson: unknown;
  try {
    profileJson = JSON.parse(profileText);
  } catch {
    throw new CasTokenError('INVALID_ARGUMENT', `${flags.profile} is not valid JSON.`);
  }
  const parsed = providerProfileSchema.safeParse(profileJson);
  if (!parsed.success) {
    throw new CasTokenError('INVALID_ARGUMENT', `The profile is incomplete: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
  }
  const service = createTokenService(flags.module);
  try {
    const token = flags.token !== undefined ? { label: flags.token } : undefined;
    const { certificate, chosen } = await signingCertificate(service, token, flags.cert, { none: m.noQualifiedCertificate, several: m.severalQualifiedCertificates });
    if (chosen) process.stderr.write(m.usingCertificate(certificate.details.serialNumber, certificate.details.subjectCommonName ?? certificate.details.subject, certificate.token.label) + '\n');
    const fonts = registrationFonts();
    let pdf: Uint8Array;
    if (flags.template) {
      const template = new Uint8Array(
        await readFile(flags.template).catch(() => {
          throw new CasTokenError('INVALID_ARGUMENT', `Cannot read ${flags.template}.`);
        }),
      );
      const result = await fillRegistrationForm({ template, profile: parsed.data, certificate: certificate.details, font: fonts.regular });
      pdf = result.pdf;
      process.stdout.write(result.filled.map((f) => `filled ${f.field} (${f.concept}): ${f.value}`).join('\n') + '\n');
    } else {
      pdf = await generateRegistrationRequestPdf({ profile: parsed.data, certificate: certificate.details, fonts });
    }
    if (flags.sign) {
      const [tokenInfo] = await service.listTokens({ module: certificate.token.module, serial: certificate.token.serial });
      const pin = await readPin({ pinEnv: flags['pin-env'], prompt: m.pinPrompt(certificate.token.label), protectedAuthenticationPath: tokenInfo?.flags.protectedAuthenticationPath ?? false });
      const signer = createBatchSigner({
        certificate: Uint8Array.from(Buffer.from(certificate.certificate, 'base64')),
        ...(certificate.chain ? { certificateChain: certificate.chain.map((der) => Uint8Array.from(Buffer.from(der, 'base64'))) } : {}),
        expected: 1,
        signDigests: async (digests, hashAlgorithm) =>
          (
            await service.signDigests({
              token: { module: certificate.token.module, serial: certificate.token.serial },
              certificate: { id: certificate.id },
              hashAlgorithm,
              scheme: 'auto',
              digests,
              pin,
            })
          ).signatures,
      });
      pdf = await signPades(pdf, signer, {
        name: certificate.details.subjectCommonName ?? '',
        reason: 'Cerere de înregistrare a certificatului digital',
        ...(visible ? { visible: { ...visible, font: fonts.regular } } : {}),
      });
    }
    const replaced = existsSync(flags.out);
    await writeFile(flags.out, pdf);
    process.stdout.write(m.wroteRequest(flags.out, flags.sign ?? false) + (replaced ? m.replacedExisting : '') + '\n');
  } finally {
    service.close();
  }
}
