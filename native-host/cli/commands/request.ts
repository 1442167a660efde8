/**
 * `cas-token request`: the registration request for the county CAS, from the provider profile (JSON)
 * and a certificate on the token — generated, or the county's own fillable PDF (--template) filled —
 * and, with --sign, signed PAdES in the same step with the same certificate.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fillRegistrationForm } from '../../../shared/registration-request/registration-form-filler.js';
import { generateRegistrationRequestPdf } from '../../../shared/registration-request/registration-request-pdf.js';
import { providerProfileSchema } from '../../../shared/registration-request/provider-profile.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { createBatchSigner } from '../../../shared/signature/batch-signer.js';
import { signPades } from '../../../shared/signature/pades.js';
import { registrationFonts } from '../../registration-fonts.js';
import { findTokenCertificate } from '../../signing/token-certificate-lookup.js';
import { createTokenService } from '../../token-service-factory.js';
import type { CliInvocation } from '../cli-invocation.js';
import { readPin } from '../pin-input.js';

export async function requestCommand({ flags }: CliInvocation): Promise<void> {
  if (!flags.cert) throw new CasTokenError('INVALID_ARGUMENT', 'Name the certificate to register: --cert SERIAL_OR_ID (see `cas-token certs`).');
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
    const certificate = await findTokenCertificate(service, token, flags.cert);
    const fonts = registrationFonts();
    let pdf: Uint8Array;
    if (flags.template) {
      const template = new Uint8Array(await readFile(flags.template).catch(() => {
        throw new CasTokenError('INVALID_ARGUMENT', `Cannot read ${flags.template}.`);
      }));
      const result = await fillRegistrationForm({ template, profile: parsed.data, certificate: certificate.details, font: fonts.regular });
      pdf = result.pdf;
      process.stdout.write(result.filled.map((f) => `filled ${f.field} (${f.concept}): ${f.value}`).join('\n') + '\n');
    } else {
      pdf = await generateRegistrationRequestPdf({ profile: parsed.data, certificate: certificate.details, fonts });
    }
    if (flags.sign) {
      const [tokenInfo] = await service.listTokens({ module: certificate.token.module, serial: certificate.token.serial });
      const pin = await readPin({ pinEnv: flags['pin-env'], prompt: `PIN for token "${certificate.token.label}": `, protectedAuthenticationPath: tokenInfo?.flags.protectedAuthenticationPath ?? false });
      const signer = createBatchSigner({
        certificate: Uint8Array.from(Buffer.from(certificate.certificate, 'base64')),
        ...(certificate.chain ? { certificateChain: certificate.chain.map((der) => Uint8Array.from(Buffer.from(der, 'base64'))) } : {}),
        expected: 1,
        signDigests: async (digests, hashAlgorithm) =>
          (await service.signDigests({ token: { module: certificate.token.module, serial: certificate.token.serial }, certificate: { id: certificate.id }, hashAlgorithm, scheme: 'auto', digests, pin })).signatures,
      });
      pdf = await signPades(pdf, signer, { name: certificate.details.subjectCommonName ?? '', reason: 'Cerere de înregistrare a certificatului digital' });
    }
    await writeFile(flags.out, pdf);
    process.stdout.write(`wrote ${flags.out}${flags.sign ? ' (signed, PAdES)' : ''}\n`);
  } finally {
    service.close();
  }
}
