/**
 * The independent verifiers the tests trust (never our own code): `openssl cms -verify` (CAdES), every
 * PDF verifier Debian has for PAdES — poppler's `pdfsig`, MuPDF's `mutool sign -v`, `qpdf --check` for
 * the structure — `xmlsec1 --verify` (XAdES), and `openssl pkeyutl` / `dgst` for bare token signatures.
 * Each writes its input to a work dir and reports what the tool said, so a failing test shows the
 * tool's own words.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { HashAlgorithm } from '../../shared/protocol/token-types.js';

/** What a verifier said: whether it accepted, and its own words. */
export interface Verdict {
  ok: boolean;
  output: string;
}

/** openssl's verdict instead of an exception: `ok` and what it printed (OK messages go to stderr). */
export function opensslVerdict(args: string[], cwd?: string): Verdict {
  const run = spawnSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

/** `openssl cms -verify` of a detached DER signature over `content`, trusting only `rootCaPemPath`. */
export function opensslCmsVerify(work: string, name: string, content: Uint8Array, signature: Uint8Array, rootCaPemPath: string): Verdict {
  const contentPath = join(work, name);
  writeFileSync(contentPath, content);
  writeFileSync(`${contentPath}.p7s`, signature);
  const run = spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${contentPath}.p7s`, '-content', contentPath, '-CAfile', rootCaPemPath, '-purpose', 'any', '-out', '/dev/null'],
    { encoding: 'utf8' },
  );
  return { ok: run.status === 0 && /Verification successful/.test(run.stderr), output: run.stdout + run.stderr };
}

/** `openssl cms -verify` of an attached signature (the content inside), file on disk: the verdict and the content it carries. */
export function opensslCmsVerifyAttached(signaturePath: string, rootCaPemPath: string): Verdict & { content: Uint8Array } {
  const contentPath = `${signaturePath}.content`;
  const run = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', signaturePath, '-CAfile', rootCaPemPath, '-purpose', 'any', '-out', contentPath], { encoding: 'utf8' });
  const ok = run.status === 0 && /Verification successful/.test(run.stderr);
  return { ok, output: run.stdout + run.stderr, content: ok ? new Uint8Array(readFileSync(contentPath)) : new Uint8Array(0) };
}

/** `openssl cms -cmsout -print`: the structure of a DER CMS, for checking which attributes it holds. */
export function opensslCmsPrint(work: string, name: string, signature: Uint8Array): string {
  const path = join(work, name);
  writeFileSync(path, signature);
  const run = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl cms -print failed: ${run.stderr}`);
  return run.stdout;
}

export interface PdfsigVerdict {
  /** How many signatures pdfsig lists. */
  signatures: number;
  /** How many it calls "Signature is Valid.". */
  valid: number;
  output: string;
}

export function pdfsig(work: string, name: string, pdf: Uint8Array): PdfsigVerdict {
  const path = join(work, name);
  writeFileSync(path, pdf);
  const run = spawnSync('pdfsig', [path], { encoding: 'utf8' });
  const output = run.stdout + run.stderr;
  return {
    signatures: (output.match(/^Signature #\d+:/gm) ?? []).length,
    valid: (output.match(/Signature Validation: Signature is Valid\./g) ?? []).length,
    output,
  };
}

const XADES_NAMESPACE = 'http://uri.etsi.org/01903/v1.3.2#';
const DSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';

export interface XmlsecOptions {
  /** Verify the ds:Signature with this Id (xmlsec1 verifies one signature at a time; default: the first). */
  signatureId?: string;
  /**
   * Substitute internal entities first (`xmllint --noent`): xmlsec1's canonicaliser refuses entity
   * reference nodes, while the signature covers their replacement text, as XML-DSig says.
   */
  substituteEntities?: boolean;
}

/**
 * `xmlsec1 --verify` of an enveloped XAdES signature, trusting only the root CA (the intermediate and the
 * signing certificate come from KeyInfo). `--id-attr` lets xmlsec1 resolve the reference to the XAdES
 * SignedProperties by its Id.
 */
export function xmlsecVerify(work: string, name: string, xml: Uint8Array, rootCaPemPath: string, options: XmlsecOptions = {}): Verdict {
  let path = join(work, name);
  writeFileSync(path, xml);
  if (options.substituteEntities) {
    const expanded = spawnSync('xmllint', ['--nonet', '--noent', '--output', `${path}.noent.xml`, path], { encoding: 'utf8' });
    if (expanded.status !== 0) return { ok: false, output: `xmllint --noent: ${expanded.stderr}` };
    path = `${path}.noent.xml`;
  }
  const selection = options.signatureId ? ['--id-attr:Id', `${DSIG_NAMESPACE}:Signature`, '--node-id', options.signatureId] : [];
  const run = spawnSync(
    'xmlsec1',
    ['--verify', '--trusted-pem', rootCaPemPath, '--id-attr:Id', `${XADES_NAMESPACE}:SignedProperties`, ...selection, '--enabled-reference-uris', 'empty,same-doc', path],
    { encoding: 'utf8' },
  );
  return { ok: run.status === 0 && /^OK/m.test(run.stdout + run.stderr), output: run.stdout + run.stderr };
}

/** `xmllint --nonet --noout --schema`: W3C XML Schema validation, offline. */
export function xmllintSchema(work: string, name: string, xml: Uint8Array, schemaPath: string): Verdict {
  const path = join(work, name);
  writeFileSync(path, xml);
  const run = spawnSync('xmllint', ['--nonet', '--noout', '--schema', schemaPath, path], { encoding: 'utf8' });
  return { ok: run.status === 0 && /validates$/m.test(run.stderr), output: run.stdout + run.stderr };
}

export interface MutoolVerdict {
  /** How many signatures MuPDF lists ("Verifying signature N:"); 0 when it had to repair the file and lost them. */
  signatures: number;
  /** "The document is unchanged since signing." (the last signature of a file). */
  unchanged: number;
  /** "The signature is valid but there have been edits since signing." (earlier signatures of incremental updates). */
  validWithLaterEdits: number;
  /** "Digest error: …" or any other failure of a signature's digest. */
  digestErrors: number;
  output: string;
}

/**
 * MuPDF's own check: `mutool sign -v` (MuPDF 1.21 in Debian 12; there is no `mutool verify`). It checks
 * each signature's digest over its /ByteRange and whether the document changed afterwards; its
 * certificate verdict trusts nothing configured, so it is not read here.
 */
export function mutoolVerify(work: string, name: string, pdf: Uint8Array): MutoolVerdict {
  const path = join(work, name);
  writeFileSync(path, pdf);
  const run = spawnSync('mutool', ['sign', '-v', path], { encoding: 'utf8' });
  const output = run.stdout + run.stderr;
  return {
    signatures: (output.match(/^Verifying signature \d+:/gm) ?? []).length,
    unchanged: (output.match(/The document is unchanged since signing\./g) ?? []).length,
    validWithLaterEdits: (output.match(/The signature is valid but there have been edits since signing\./g) ?? []).length,
    digestErrors: (output.match(/Digest error/g) ?? []).length,
    output,
  };
}

/** `qpdf --check`: the file's structure (cross-references, streams, object syntax) without any repair. */
export function qpdfCheck(work: string, name: string, pdf: Uint8Array): Verdict {
  const path = join(work, name);
  writeFileSync(path, pdf);
  const run = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
  const output = run.stdout + run.stderr;
  // Exit 0: no errors and no warnings (3: warnings, e.g. a cross-reference table it had to reconstruct).
  return { ok: run.status === 0 && /No syntax or stream encoding errors found/.test(output) && !/WARNING/.test(output), output };
}

/**
 * The CMS of every signature as poppler extracts it (`pdfsig -dump`), verified by `openssl cms` over
 * the ranges poppler says are signed, trusting only `rootCaPemPath`: the chain must be in the CMS.
 * (pdfsig itself can only check trust against an NSS database, which needs certutil to make.)
 */
export function pdfSignaturesVerifiedByOpenssl(work: string, name: string, pdf: Uint8Array, rootCaPemPath: string): Verdict[] {
  const dir = mkdtempSync(join(work, 'dump-'));
  const path = join(dir, name);
  writeFileSync(path, pdf);
  const listed = spawnSync('pdfsig', ['-nocert', path], { encoding: 'utf8' }).stdout;
  const ranges = [...listed.matchAll(/Signed Ranges: \[(\d+) - (\d+)\], \[(\d+) - (\d+)\]/g)].map((m) => m.slice(1).map(Number) as [number, number, number, number]);
  spawnSync('pdfsig', ['-dump', path], { cwd: dir, encoding: 'utf8' });
  return ranges.map(([a, b, c, d], index) => {
    const signature = readFileSync(join(dir, `${name}.sig${index}`));
    const content = Buffer.concat([pdf.subarray(a, b), pdf.subarray(c, d)]);
    return opensslCmsVerify(dir, `signature-${index}.bin`, content, signature, rootCaPemPath);
  });
}

export interface PdfVerdicts {
  pdfsig: PdfsigVerdict;
  mutool: MutoolVerdict;
  qpdf: Verdict;
}

/** Every PDF verifier Debian has, on one file: poppler (pdfsig), MuPDF (mutool sign -v) and qpdf --check. */
export function verifyPdfEverywhere(work: string, name: string, pdf: Uint8Array): PdfVerdicts {
  return { pdfsig: pdfsig(work, name, pdf), mutool: mutoolVerify(work, `mupdf-${name}`, pdf), qpdf: qpdfCheck(work, `qpdf-${name}`, pdf) };
}

/**
 * What every verifier must say of a good file with `signatures` signatures: poppler finds them all
 * valid without repairing anything; MuPDF finds them all, the last unchanged since signing and the
 * earlier ones with later (incremental) edits, no digest error; qpdf finds no structural problem.
 */
export function expectAcceptedEverywhere(verdicts: PdfVerdicts, signatures: number): void {
  expect(verdicts.pdfsig.output).not.toMatch(/Syntax Error|Internal Error/);
  expect(verdicts.pdfsig, verdicts.pdfsig.output).toMatchObject({ signatures, valid: signatures });
  expect(verdicts.mutool, verdicts.mutool.output).toMatchObject({ signatures, unchanged: 1, validWithLaterEdits: signatures - 1, digestErrors: 0 });
  expect(verdicts.qpdf.ok, verdicts.qpdf.output).toBe(true);
}

// Bare token signatures: openssl over a digest or a whole document, against the certificate's key.

const execFileAsync = promisify(execFile);

export type VerifiedScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';

const OPENSSL_DIGEST: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512', 'GOST3411-2012-256': 'md_gost12_256', 'GOST3411-2012-512': 'md_gost12_512' };

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cas-token-verify-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function opensslAsync(args: string[]): Promise<Verdict> {
  try {
    const { stdout, stderr } = await execFileAsync('openssl', args);
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/**
 * Writes the certificate's public key (`public.pem`), the signed input and the signature to a temp dir
 * and runs the openssl `verify` command made from their paths.
 */
function withPublicKey(certificatePath: string, signed: Uint8Array, signature: Uint8Array, verify: (paths: { publicKey: string; signed: string; signature: string }) => string[]): Promise<Verdict> {
  return inTempDir(async (dir) => {
    const paths = { publicKey: join(dir, 'public.pem'), signed: join(dir, 'signed.bin'), signature: join(dir, 'signature.bin') };
    const extracted = await opensslAsync(['x509', '-in', certificatePath, '-pubkey', '-noout', '-out', paths.publicKey]);
    if (!extracted.ok) return extracted;
    await writeFile(paths.signed, signed);
    await writeFile(paths.signature, signature);
    return opensslAsync(verify(paths));
  });
}

/** `openssl pkeyutl -verify` of a signature over a digest, against the certificate's public key. */
export function verifyDigestSignature(options: { certificatePath: string; scheme: VerifiedScheme; hashAlgorithm: HashAlgorithm; digest: Uint8Array; signature: Uint8Array }): Promise<Verdict> {
  const md = OPENSSL_DIGEST[options.hashAlgorithm];
  const schemeOptions =
    options.scheme === 'rsa-pss'
      ? ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', `rsa_pss_saltlen:${options.digest.length}`, '-pkeyopt', `rsa_mgf1_md:${md}`, '-pkeyopt', `digest:${md}`]
      : options.scheme === 'rsa-pkcs1'
        ? ['-pkeyopt', 'rsa_padding_mode:pkcs1', '-pkeyopt', `digest:${md}`]
        : [];
  return withPublicKey(options.certificatePath, options.digest, options.signature, (paths) => [
    'pkeyutl',
    '-verify',
    '-pubin',
    '-inkey',
    paths.publicKey,
    '-in',
    paths.signed,
    '-sigfile',
    paths.signature,
    ...schemeOptions,
  ]);
}

/** `openssl dgst -verify` of a signature over a whole document (the hash computed by openssl itself). */
export function verifyDocumentSignature(options: { certificatePath: string; hashAlgorithm: HashAlgorithm; document: Uint8Array; signature: Uint8Array }): Promise<Verdict> {
  const md = OPENSSL_DIGEST[options.hashAlgorithm];
  return withPublicKey(options.certificatePath, options.document, options.signature, (paths) => ['dgst', `-${md}`, '-verify', paths.publicKey, '-signature', paths.signature, paths.signed]);
}

/** The INTEGER values inside a DER ECDSA-Sig-Value, as `openssl asn1parse` reads them (upper-case hex). */
export function ecdsaIntegersByOpenssl(derSignature: Uint8Array): Promise<string[]> {
  return inTempDir(async (dir) => {
    const path = join(dir, 'signature.der');
    await writeFile(path, derSignature);
    const parsed = await opensslAsync(['asn1parse', '-inform', 'DER', '-in', path]);
    if (!parsed.ok) throw new Error(`openssl asn1parse rejected the signature: ${parsed.output}`);
    return [...parsed.output.matchAll(/INTEGER\s*:(-?[0-9A-F]+)/g)].map((match) => match[1]!);
  });
}
