/**
 * The independent verifiers the format tests trust: `openssl cms -verify` (CAdES), poppler's `pdfsig`
 * (PAdES) and `xmlsec1 --verify` (XAdES). Each writes its input to a work dir and reports what the tool
 * said, so a failing test shows the tool's own words.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
