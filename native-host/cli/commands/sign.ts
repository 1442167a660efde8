/**
 * `cas-token sign`: sign one file or a batch with one login. Documents stay here; only digests go to
 * the token. Formats: pades (PDF), xades (XML, enveloped), cades (detached .p7s, any file; with
 * --attached the file inside), raw (the bare signature of the file's digest), auto (by file type; the
 * default). A GOST R 34.10-2012 certificate signs CAdES and raw only, with the Streebog of its key size.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DOC_MDP_PERMISSIONS } from '../../../shared/signature/pades.js';
import type { DocMdpPermissions } from '../../../shared/signature/pades.js';
import type { DigestFeed } from '../../../shared/signature/batch-signer.js';
import { checkFormatForCertificate, hashForCertificate } from '../../../shared/signature/signature-algorithms.js';
import { parseVisiblePlacement } from '../../../shared/signature/visible-signature.js';
import type { SignatureLanguage } from '../../../shared/signature/visible-signature.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { defaultFormatForName, freeFileName, signedFileName } from '../../../shared/protocol/signed-file-names.js';
import { HASH_ALGORITHMS } from '../../../shared/protocol/token-types.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { registrationFonts } from '../../registration-fonts.js';
import { signFiles } from '../../signing/file-signing.js';
import { signingCertificate } from '../../signing/token-certificate-lookup.js';
import { createTokenService } from '../../token-service-factory.js';
import { describeFailure } from '../cli-output.js';
import { documentLanguage, messages } from '../cli-messages.js';
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
  const language = documentLanguage(flags.lang);
  const visible = flags.visible !== undefined ? { ...parseVisiblePlacement(flags.visible), language } : undefined;
  if (visible && format !== 'auto' && format !== 'pades') throw new CasTokenError('INVALID_ARGUMENT', '--visible goes with PDFs (--format pades or auto).');
  const m = messages();
  const inputs = await expandInputs([...(flags.in ?? []), ...positionals]);
  if (inputs.length === 0) throw new CasTokenError('INVALID_ARGUMENT', 'Name what to sign: --in FILE (repeat it, or give a folder).');
  const several = inputs.length > 1;
  if (several && !flags.out) throw new CasTokenError('INVALID_ARGUMENT', 'With several inputs, --out names the folder to write into.');
  // --out is a folder with several inputs, with a folder given (even one holding a single file) or when it is an existing folder.
  const folderGiven = await someFolder([...(flags.in ?? []), ...positionals]);
  const intoFolder = several || (flags.out !== undefined && (folderGiven || (await someFolder([flags.out]))));
  if (intoFolder) await mkdir(flags.out!, { recursive: true });

  const service = createTokenService(flags.module);
  try {
    const token = flags.token !== undefined ? { label: flags.token } : undefined;
    const { certificate, chosen: announce } = await signingCertificate(service, token, flags.cert, { none: m.noQualifiedCertificate, several: m.severalQualifiedCertificates });
    if (announce) process.stderr.write(m.usingCertificate(certificate.details.serialNumber, certificate.details.subjectCommonName ?? certificate.details.subject, certificate.token.label) + '\n');
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
      prompt: m.pinPrompt(certificate.token.label),
      protectedAuthenticationPath: tokenInfo?.flags.protectedAuthenticationPath ?? false,
    });
    // The PIN is had: each file's digest is signed as soon as the file is prepared (one login), the token
    // working while the next files are read — the extension, whose PIN window shows every document
    // before its PIN, signs its batches in one call instead.
    const signDigestFeed = async (feed: DigestFeed, hash: HashAlgorithm, deliver: (index: number, signature: Uint8Array) => void): Promise<void> => {
      await service.signDigests({
        token: { module: certificate.token.module, serial: certificate.token.serial },
        certificate: { id: certificate.id },
        hashAlgorithm: hash,
        scheme: 'auto',
        digests: feed,
        pin,
        onSignature: deliver,
        onProgress: (done, total) => {
          if (total <= 1 && !progressShown) return;
          process.stderr.write(`\rsigned ${done}/${total}${done === total ? '\n' : ''}`);
          progressShown = done !== total;
        },
      });
    };
    /** A "signed n/total" line is on the terminal, not yet ended (files that failed before asking end a batch short). */
    let progressShown = false;
    // The CA certificates the host found for it (token, config folder), so verifiers need only the root.
    const certificateChain = certificate.chain?.map((der) => Uint8Array.from(Buffer.from(der, 'base64')));
    const font = visible ? registrationFonts().regular : undefined;

    // Streamed: a few documents read at a time, each holding only its digest (and a PDF its appended section) while the token signs.
    const files = inputs.map((input) => {
      const chosen = format === 'auto' ? defaultFormatForName(input) : format;
      const { path: output, replaced } = outputPath(input, chosen, flags.out, intoFolder, attached, language);
      return { input, output, format: chosen, replaced };
    });
    const results = await signFiles(
      files,
      { certificate: certificateDer, ...(certificateChain ? { certificateChain } : {}), signDigestFeed },
      {
        hashAlgorithm,
        ...(certify ? { certify } : {}),
        ...(attached ? { attached } : {}),
        ...(visible && font ? { visible: { ...visible, font }, name: certificate.details.subjectCommonName ?? '' } : {}),
        onEmpty: (input) => process.stderr.write(m.emptyWarning(input) + '\n'),
      },
    );
    if (progressShown) process.stderr.write('\n'); // the batch stopped short (the token pulled out…): what follows starts a line
    // One file: its error is THE error (printed once, by main). Several: each failed file named with its
    // reason, then one summary line.
    if (!several && results[0]!.status === 'rejected') throw results[0]!.reason;
    let failures = 0;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') {
        process.stdout.write(m.signed(result.value.input, result.value.output, m.formats[result.value.format]) + (result.value.replaced ? m.replacedExisting : '') + '\n');
      } else {
        failures += 1;
        process.stderr.write(`${inputs[index]}: ${describeFailure(result.reason).replace(/^cas-token: /, '')}\n`);
      }
    });
    if (failures > 0) {
      const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
      const code = first instanceof CasTokenError ? first.code : 'INTERNAL_ERROR';
      throw new CasTokenError(code, m.partlySigned(failures, inputs.length));
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

/**
 * Where a signed file goes. Detached CAdES → FILE.p7s; attached CAdES → FILE.sig (the content inside,
 * as Russian systems name it); PDF and XML → FILE-semnat.pdf / -signed / -подписан by the language.
 * A name the command makes up never replaces an existing file (`… (2).pdf`); an --out FILE the user
 * named does, and the output line says so.
 */
function outputPath(input: string, format: DocumentFormat, out: string | undefined, intoFolder: boolean, attached: boolean, language: SignatureLanguage): { path: string; replaced: boolean } {
  if (out && !intoFolder) return { path: out, replaced: existsSync(out) };
  const name = basename(input);
  const suffix = format === 'cades' ? (attached ? '.sig' : '.p7s') : format === 'raw' ? '.sig' : '';
  const folder = intoFolder ? out! : dirname(input);
  const made = intoFolder || attached || format === 'raw' || format === 'cades' ? name + suffix : signedFileName(name, format, false, language);
  return {
    path: join(
      folder,
      freeFileName(made, (candidate) => existsSync(join(folder, candidate))),
    ),
    replaced: false,
  };
}

/** Whether any of the paths is an existing folder. */
async function someFolder(paths: string[]): Promise<boolean> {
  for (const path of paths) if ((await stat(path).catch(() => undefined))?.isDirectory()) return true;
  return false;
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
