/**
 * `cas-token verify FILE… [--ca FILE|DIR]… [--content FILE] [--json]`: every signature of signed PDFs
 * (PAdES), CMS files (.p7s detached, .p7m / .sig attached) and signed XML (XAdES), checked by
 * shared/verification like the EU DSS validator: valid / invalid / indeterminate with the reasons.
 *
 * Trust anchors: every --ca (a certificate file, a PEM bundle, a PKCS#7 chain, or a folder of them) and
 * the config file's `trustAnchors`. The content of a detached signature: --content, else the file
 * beside the signature without its last extension (`factura.pdf` for `factura.pdf.p7s`).
 * Each file's size is read before the file (FILE_TOO_LARGE above MAX_VERIFY_FILE_BYTES), and only
 * regular files are read (a FIFO or a device would never end).
 *
 * Exit codes: 0 every signature valid; 3 a signature is invalid; 1 a file could not be verified (bad
 * input: not a signature, damaged, too large); 4 otherwise, some signature is indeterminate; 2 usage.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { SignatureReport, VerificationReport } from '../../../shared/verification/verification-report.js';
import { NOTE_TEXTS } from '../../../shared/verification/verification-texts.js';
import { checkVerifiableSize, isPdf, verifyFile } from '../../../shared/verification/verify-file.js';
import { caCertificatePaths, readCertificateFiles } from '../../signing/configured-ca-certificates.js';
import { readUserConfig } from '../../user-config.js';
import { certificateFieldRows } from '../certificate-fields.js';
import { UsageError, describeFailure, printFields, printJson } from '../cli-output.js';
import type { CliInvocation } from '../cli-invocation.js';

export const VERIFY_EXIT = { valid: 0, error: 1, invalid: 3, indeterminate: 4 } as const;

/** Reads a file to verify: a regular file, its size checked before a byte is read. */
async function readVerifiable(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new CasTokenError('INVALID_ARGUMENT', `${path} is not a regular file.`);
    size = stats.size;
  } catch (error) {
    if (error instanceof CasTokenError) throw error;
    throw new CasTokenError('INVALID_ARGUMENT', `Cannot read ${path}.`);
  }
  checkVerifiableSize(path, size);
  return new Uint8Array(await readFile(path));
}

/** Every --ca (files and folders; a bad one is a usage problem) and the config's trustAnchors (problems only warned about). */
function trustAnchors(flags: CliInvocation['flags']): Uint8Array[] {
  const given = Array.isArray(flags.ca) ? flags.ca : [];
  const anchors: Uint8Array[] = [];
  for (const path of given) {
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      throw new CasTokenError('INVALID_ARGUMENT', `Cannot read the trust anchor ${path}.`);
    }
    if (isFolder) {
      const read = readCertificateFiles([path]);
      for (const problem of read.problems) process.stderr.write(`cas-token: warning: ${problem}\n`);
      if (read.certificates.length === 0) throw new CasTokenError('INVALID_ARGUMENT', `The folder ${path} holds no CA certificate (.pem, .crt, .cer, .der, .p7b, .p7c).`);
      anchors.push(...read.certificates);
    } else {
      const read = readCertificateFiles([path]);
      if (read.problems.length > 0) throw new CasTokenError('INVALID_ARGUMENT', `The trust anchor ${read.problems[0]}`);
      anchors.push(...read.certificates);
    }
  }
  const config = readUserConfig();
  const { paths, problem } = caCertificatePaths(config, 'trustAnchors');
  const configured = readCertificateFiles(paths);
  for (const warning of [...(problem ? [problem] : []), ...configured.problems]) process.stderr.write(`cas-token: warning: ${warning}\n`);
  anchors.push(...configured.certificates);
  return anchors;
}

/** The content for a detached signature: --content, else the file beside it without its last extension. */
function contentPathFor(file: string, flags: CliInvocation['flags']): string | undefined {
  if (flags.content) return flags.content;
  if (extname(file) === '') return undefined;
  const beside = file.slice(0, -extname(file).length);
  try {
    return existsSync(beside) && statSync(beside).isFile() ? beside : undefined;
  } catch {
    return undefined;
  }
}

const VERDICT_WORD = { valid: 'VALID', invalid: 'INVALID', indeterminate: 'INDETERMINATE' } as const;
const CHECK_WORD = { passed: 'yes', failed: 'NO', 'not-checked': 'not checked' } as const;
const CHANGE_WORDS = { signature: 'a later signature', 'form-filling': 'form filling', annotations: 'annotations', metadata: 'metadata', other: 'other changes (content, pages, resources)' } as const;
const DOC_MDP_WORDS = { 1: 'no changes allowed', 2: 'form filling and signing allowed', 3: 'form filling, signing and annotations allowed' } as const;

function signatureRows(signature: SignatureReport): [string, string | undefined][] {
  const pdf = signature.pdf;
  const rows: [string, string | undefined][] = [
    ['Verdict', signature.reasons.length === 0 ? VERDICT_WORD[signature.verdict] : `${VERDICT_WORD[signature.verdict]}: ${signature.reasonTexts[0]}`],
    ['Other reasons', signature.reasonTexts.slice(1).join('; ')],
    ['Format', { pades: 'PAdES (PDF)', cades: 'CAdES (CMS)', xades: 'XAdES (XML)' }[signature.format] + (pdf?.subFilter ? ` ${pdf.subFilter}` : '')],
    ['Field', pdf?.fieldName],
    ['Signing time (claimed)', signature.signingTime],
    ['Digest algorithm', signature.digestAlgorithm],
    ['Signature algorithm', signature.signatureAlgorithm],
    ['Signed bytes intact', CHECK_WORD[signature.checks.signedDataIntact]],
    ['Signature value', CHECK_WORD[signature.checks.signatureValue]],
  ];
  if (pdf) {
    rows.push(['Revision signed', `${pdf.revision} of ${pdf.revisions}`]);
    rows.push([
      'Covers whole document',
      pdf.coversWholeDocument ? 'yes' : `no: ${pdf.bytesAfter} bytes appended after it${pdf.changesAfter.length > 0 ? ` (${pdf.changesAfter.map((c) => CHANGE_WORDS[c]).join(', ')})` : ''}`,
    ]);
    if (pdf.docMdp)
      rows.push([
        'Certification (DocMDP)',
        `${pdf.docMdp.certifying ? 'certifying signature, ' : ''}level ${pdf.docMdp.level}: ${DOC_MDP_WORDS[pdf.docMdp.level]}; later changes ${pdf.docMdp.respected ? 'respect it' : 'DO NOT respect it'}`,
      ]);
  }
  if (signature.contentSource) rows.push(['Signed content', { attached: 'inside the signature', given: 'the file given', missing: 'NOT GIVEN' }[signature.contentSource]]);
  rows.push([
    'Chain',
    signature.chain.certificates.length === 0
      ? signature.chain.status
      : `${signature.chain.status}: ${signature.chain.certificates.map((c) => `${c.subject}${c.trustAnchor ? ' (trust anchor)' : ''}`).join(' <- ')}`,
  ]);
  if (signature.chain.detail) rows.push(['Chain problem', signature.chain.detail]);
  rows.push(['Valid at signing time', CHECK_WORD[signature.checks.certificateValidAtSigningTime]]);
  rows.push(['nonRepudiation', signature.checks.nonRepudiation ? 'yes' : 'no']);
  rows.push(['QC statements', signature.qcStatements.map((s) => s.name ?? s.oid).join(', ') || 'none']);
  rows.push([
    'Revocation',
    signature.revocation.status === 'not-checked'
      ? 'not checked'
      : `${signature.revocation.status} (${signature.revocation.source})${signature.revocation.revokedAt ? ` at ${signature.revocation.revokedAt}` : ''}`,
  ]);
  const notes = signature.notes.filter((note) => note !== 'REVOCATION_NOT_CHECKED').map((note) => NOTE_TEXTS[note]);
  if (notes.length > 0) rows.push(['Notes', notes.join('; ')]);
  return signature.signer
    ? [
        ...rows,
        ['Signer', signature.signer.subjectCommonName ?? signature.signer.subject],
        ...certificateFieldRows(signature.signer).map(([label, value]): [string, string | undefined] => [`  ${label}`, value]),
      ]
    : [...rows, ['Signer', 'certificate not found']];
}

type FileOutcome = { file: string; report: VerificationReport } | { file: string; error: ErrorPayload };

export async function verifyCommand({ positionals, flags }: CliInvocation): Promise<void> {
  if (positionals.length === 0) throw new UsageError('name a signed file: cas-token verify FILE [FILE…] [--ca FILE|DIR]… [--content FILE] [--json]');
  const anchors = trustAnchors(flags);
  const outcomes: FileOutcome[] = [];
  for (const file of positionals) {
    try {
      const bytes = await readVerifiable(file);
      const contentPath = isPdf(bytes) ? undefined : contentPathFor(file, flags); // a PDF signs itself
      const content = contentPath ? await readVerifiable(contentPath) : undefined;
      const report = await verifyFile({ name: basename(file), bytes, ...(content ? { content } : {}), trustAnchors: anchors });
      outcomes.push({ file, report: { ...report, file } });
    } catch (error) {
      outcomes.push({ file, error: CasTokenError.toSafePayload(error) });
      if (!flags.json) process.stderr.write(`${describeFailure(error).replace(/^cas-token: /, `cas-token: ${file}: `)}\n`);
    }
  }

  if (flags.json) {
    // One object per signature; a file that could not be verified is one object with its typed error.
    const objects: object[] = outcomes.flatMap((outcome): object[] =>
      'error' in outcome ? [{ file: outcome.file, verdict: 'error', error: outcome.error }] : outcome.report.signatures.map((signature) => ({ file: outcome.file, ...signature })),
    );
    printJson(objects);
  } else {
    let first = true;
    for (const outcome of outcomes) {
      if (!('report' in outcome)) continue;
      for (const signature of outcome.report.signatures) {
        if (!first) process.stdout.write('\n');
        first = false;
        printFields([['File', outcome.file], ['Signature', `${signature.index} of ${outcome.report.signatures.length}`], ...signatureRows(signature)]);
      }
    }
    if (anchors.length === 0) process.stderr.write('cas-token: no trust anchor given (--ca FILE|DIR, or "trustAnchors" in the config file): no signature can be valid.\n');
  }

  const verdicts = outcomes.flatMap((outcome) => ('report' in outcome ? outcome.report.signatures.map((s) => s.verdict) : []));
  if (verdicts.includes('invalid')) process.exitCode = VERIFY_EXIT.invalid;
  else if (outcomes.some((outcome) => 'error' in outcome)) process.exitCode = VERIFY_EXIT.error;
  else if (verdicts.includes('indeterminate')) process.exitCode = VERIFY_EXIT.indeterminate;
  else process.exitCode = VERIFY_EXIT.valid;
}
