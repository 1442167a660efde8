/**
 * The independent verifiers the format tests trust: `openssl cms -verify` (CAdES), every PDF verifier
 * Debian has for PAdES — poppler's `pdfsig`, MuPDF's `mutool sign -v`, `qpdf --check` for the structure —
 * and `xmlsec1 --verify` (XAdES). Each writes its input to a work dir and reports what the tool said,
 * so a failing test shows the tool's own words.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export interface Verdict {
  ok: boolean;
  output: string;
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
