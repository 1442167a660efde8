/**
 * Independent checks of token signatures with the openssl command line (never with our own code).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';

const run = promisify(execFile);

export type VerifiedScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';

export interface OpensslVerdict {
  ok: boolean;
  output: string;
}

const OPENSSL_DIGEST: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512', 'GOST3411-2012-256': 'md_gost12_256', 'GOST3411-2012-512': 'md_gost12_512' };

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cas-token-verify-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openssl(args: string[]): Promise<OpensslVerdict> {
  try {
    const { stdout, stderr } = await run('openssl', args);
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/** `openssl pkeyutl -verify` of a signature over a digest, against the certificate's public key. */
export function verifyDigestSignature(options: {
  certificatePath: string;
  scheme: VerifiedScheme;
  hashAlgorithm: HashAlgorithm;
  digest: Uint8Array;
  signature: Uint8Array;
}): Promise<OpensslVerdict> {
  return inTempDir(async (dir) => {
    const publicKey = join(dir, 'public.pem');
    const extracted = await openssl(['x509', '-in', options.certificatePath, '-pubkey', '-noout', '-out', publicKey]);
    if (!extracted.ok) return extracted;
    const digestPath = join(dir, 'digest.bin');
    const signaturePath = join(dir, 'signature.bin');
    await writeFile(digestPath, options.digest);
    await writeFile(signaturePath, options.signature);
    const md = OPENSSL_DIGEST[options.hashAlgorithm];
    const schemeOptions =
      options.scheme === 'rsa-pss'
        ? ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', `rsa_pss_saltlen:${options.digest.length}`, '-pkeyopt', `rsa_mgf1_md:${md}`, '-pkeyopt', `digest:${md}`]
        : options.scheme === 'rsa-pkcs1'
          ? ['-pkeyopt', 'rsa_padding_mode:pkcs1', '-pkeyopt', `digest:${md}`]
          : [];
    return openssl(['pkeyutl', '-verify', '-pubin', '-inkey', publicKey, '-in', digestPath, '-sigfile', signaturePath, ...schemeOptions]);
  });
}

/** `openssl dgst -verify` of a signature over a whole document (the hash computed by openssl itself). */
export function verifyDocumentSignature(options: {
  certificatePath: string;
  hashAlgorithm: HashAlgorithm;
  document: Uint8Array;
  signature: Uint8Array;
}): Promise<OpensslVerdict> {
  return inTempDir(async (dir) => {
    const publicKey = join(dir, 'public.pem');
    const extracted = await openssl(['x509', '-in', options.certificatePath, '-pubkey', '-noout', '-out', publicKey]);
    if (!extracted.ok) return extracted;
    const documentPath = join(dir, 'document.bin');
    const signaturePath = join(dir, 'signature.bin');
    await writeFile(documentPath, options.document);
    await writeFile(signaturePath, options.signature);
    return openssl(['dgst', `-${OPENSSL_DIGEST[options.hashAlgorithm]}`, '-verify', publicKey, '-signature', signaturePath, documentPath]);
  });
}

/** The INTEGER values inside a DER ECDSA-Sig-Value, as `openssl asn1parse` reads them (upper-case hex). */
export function ecdsaIntegersByOpenssl(derSignature: Uint8Array): Promise<string[]> {
  return inTempDir(async (dir) => {
    const path = join(dir, 'signature.der');
    await writeFile(path, derSignature);
    const parsed = await openssl(['asn1parse', '-inform', 'DER', '-in', path]);
    if (!parsed.ok) throw new Error(`openssl asn1parse rejected the signature: ${parsed.output}`);
    return [...parsed.output.matchAll(/INTEGER\s*:(-?[0-9A-F]+)/g)].map((match) => match[1]!);
  });
}
