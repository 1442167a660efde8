/**
 * `cas-token sign`: sign one file or a batch with one login. Documents stay here; only digests go to
 * the token. Formats: pades (PDF), xades (XML, enveloped), cades (detached .p7s, any file; with
 * --attached the file inside), raw (the bare signature of the file's digest), auto (by file type; the
 * default). A GOST R 34.10-2012 certificate signs CAdES and raw only, with the Streebog of its key size.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createBatchSigner } from '../../../shared/signature/batch-signer.js';
import { DOC_MDP_PERMISSIONS } from '../../../shared/signature/pades.js';
import type { DocMdpPermissions } from '../../../shared/signature/pades.js';
import { checkFormatForCertificate, hashForCertificate } from '../../../shared/signature/signature-algorithms.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { defaultFormatForName, signedFileName } from '../../../shared/protocol/page-messages.js';
import { HASH_ALGORITHMS } from '../../../shared/protocol/token-types.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { signFiles } from '../../signing/file-signing.js';
import { findTokenCertificate } from '../../signing/token-certificate-lookup.js';
import { createTokenService } from '../../token-service-factory.js';
import { describeFailure } from '../cli-output.js';
import type { CliInvocation } from '../cli-invocation.js';
import { readPin } from '../pin-input.js';

const FORMATS = ['auto', 'pades', 'cades', 'xades', 'raw'] as const;
type Format = (typeof FORMATS)[number];
type DocumentFormat = Exclude<Format, 'auto'>;

export async function signCommand({ flags, positionals }: CliInvocation): Promise<void> {
  const format = (flags.format ?? 'auto') as Format;
  if (!FORMATS.includes(format)) throw new CasTokenError('INVALID_ARGUMENT', `Unknown --format "${format}"; use ${FORMATS.join(', ')}.`);
  const requestedHash = parseHash(flags.hash);
  const attached = flags.attached ?? false;
  if (attached && format !== 'cades') throw new CasTokenError('INVALID_ARGUMENT', '--attached goes with --format cades.');
  const certify = parseCertify(flags.certify);
  if (!flags.cert) throw new CasTokenError('INVALID_ARGUMENT', 'Name the certificate: --cert SERIAL_HEX_OR_ID (see `cas-token certs`).');
  const inputs = await expandInputs([...(flags.in ?? []), ...positionals]);
  if (inputs.length === 0) throw new CasTokenError('INVALID_ARGUMENT', 'Name what to sign: --in FILE (repeat it, or give a folder).');
  const several = inputs.length > 1;
  if (several && !flags.out) throw new CasTokenError('INVALID_ARGUMENT', 'With several inputs, --out names the folder to write into.');
  if (several) await mkdir(flags.out!, { recursive: true });

  const service = createTokenService(flags.module);
  try {
    const token = flags.token !== undefined ? { label: flags.token } : undefined;
    const certificate = await findTokenCertificate(service, token, flags.cert);
    const certificateDer = Uint8Array.from(Buffer.from(certificate.certificate, 'base64'));
    // Before the PIN: the digest and every file's format must fit the certificate's key (GOST: CAdES, Streebog).
    const hashAlgorithm = hashForCertificate(certificateDer, requestedHash);
    for (const input of inputs) {
      const chosen = format === 'auto' ? defaultFormatForName(input) : format;
      if (chosen !== 'raw') checkFormatForCertificate(chosen, certificateDer);
    }
    const [tokenInfo] = await service.listTokens({ module: certificate.token.module, serial: certificate.token.serial });
    const pin = await readPin({
      pinEnv: flags['pin-env'],
      prompt: `PIN for token "${certificate.token.label}": `,
      protectedAuthenticationPath: tokenInfo?.flags.protectedAuthenticationPath ?? false,
    });
    const signDigests = async (digests: Uint8Array[], hash: HashAlgorithm): Promise<Uint8Array[]> => {
      const signed = await service.signDigests({
        token: { module: certificate.token.module, serial: certificate.token.serial },
        certificate: { id: certificate.id },
        hashAlgorithm: hash,
        scheme: 'auto',
        digests,
        pin,
        onProgress: (done, total) => {
          if (total > 1) process.stderr.write(`\rsigned ${done}/${total}`);
          if (total > 1 && done === total) process.stderr.write('\n');
        },
      });
      return signed.signatures;
    };
    // The CA certificates the host found for it (token, config folder), so verifiers need only the root.
    const certificateChain = certificate.chain?.map((der) => Uint8Array.from(Buffer.from(der, 'base64')));
    const signer = createBatchSigner({ certificate: certificateDer, ...(certificateChain ? { certificateChain } : {}), expected: inputs.length, signDigests });

    // Streamed: a few documents read at a time, each holding only its digest (and a PDF its appended section) while the token signs.
    const files = inputs.map((input) => {
      const chosen = format === 'auto' ? defaultFormatForName(input) : format;
      return { input, output: outputPath(input, chosen, flags.out, several, attached), format: chosen };
    });
    const results = await signFiles(files, signer, {
      hashAlgorithm,
      ...(certify ? { certify } : {}),
      ...(attached ? { attached } : {}),
      onEmpty: (input) => process.stderr.write(`warning: ${input} is empty (0 bytes): its signature covers no content.\n`),
    });
    let failures = 0;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') {
        process.stdout.write(`signed ${result.value.input} -> ${result.value.output} (${result.value.format})\n`);
      } else {
        failures += 1;
        process.stderr.write(`${inputs[index]}: ${describeFailure(result.reason).replace(/^cas-token: /, '')}\n`);
      }
    });
    if (failures > 0) {
      const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
      if (failures === inputs.length) throw first;
      const code = first instanceof CasTokenError ? first.code : 'INTERNAL_ERROR';
      throw new CasTokenError(code, `${failures} of ${inputs.length} file(s) could not be signed (the first one's reason is the code); the others were written.`);
    }
  } finally {
    service.close();
  }
}

function parseCertify(value: string | undefined): DocMdpPermissions | undefined {
  if (value === undefined) return undefined;
  const permissions = DOC_MDP_PERMISSIONS.find((p) => String(p) === value.trim());
  if (!permissions) throw new CasTokenError('INVALID_ARGUMENT', `--certify takes 1 (no changes), 2 (forms and signatures) or 3 (also annotations), not "${value}".`);
  return permissions;
}

/** The digest asked for, or undefined: then SHA-256, or the Streebog a GOST certificate's key signs. */
function parseHash(value: string | undefined): HashAlgorithm | undefined {
  if (value === undefined) return undefined;
  const streebog = /^(?:streebog|gost3411-2012-|md_gost12_)(256|512)$/i.exec(value.trim());
  const normalised = streebog ? `GOST3411-2012-${streebog[1]}` : value.toUpperCase().replace(/^SHA-?/, 'SHA-');
  const match = HASH_ALGORITHMS.find((name) => name === normalised);
  if (!match) throw new CasTokenError('INVALID_ARGUMENT', `Unknown --hash "${value}"; use sha256, sha384, sha512, streebog256 or streebog512.`);
  return match;
}

/** Detached CAdES → FILE.p7s; attached CAdES → FILE.sig (the content inside, as Russian systems name it). */
function outputPath(input: string, format: DocumentFormat, out: string | undefined, several: boolean, attached: boolean): string {
  const name = basename(input);
  const suffix = format === 'cades' ? (attached ? '.sig' : '.p7s') : format === 'raw' ? '.sig' : '';
  if (attached && !out) return join(dirname(input), name + suffix);
  if (several) return join(out!, name + suffix);
  if (out) return out;
  return format === 'raw' ? input + suffix : join(dirname(input), signedFileName(name, format));
}

async function expandInputs(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => {
      throw new CasTokenError('INVALID_ARGUMENT', `No such file or folder: ${path}`);
    });
    if (info.isDirectory()) {
      const entries = (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.'));
      files.push(...entries.map((e) => join(path, e.name)).sort());
    } else {
      files.push(path);
    }
  }
  return files;
}
