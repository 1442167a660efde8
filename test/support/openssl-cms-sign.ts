/** CMS signatures made by OpenSSL itself (`openssl cms -sign`): signatures our code did not make, for the verifier to check. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OpensslCmsSigning {
  /** The folder the input is in and the signature goes to. */
  cwd: string;
  /** The signed file, in `cwd` (the signature is written beside it, `<input>.p7s`). */
  input: string;
  signer: { certificatePemPath: string; keyPemPath: string };
  /** The CA certificate(s) embedded with the signer's (`-certfile`). */
  certfile: string;
  /** More `openssl cms -sign` options (`-keyid`, `-noattr`, `-md sha3-256`, …). */
  options?: string[];
}

/** A detached, binary, DER `openssl cms -sign` of `input`; its bytes. */
export function opensslCmsSign({ cwd, input, signer, certfile, options = [] }: OpensslCmsSigning): Uint8Array {
  const out = `${input}.p7s`;
  execFileSync(
    'openssl',
    ['cms', '-sign', ...options, '-binary', '-in', input, '-signer', signer.certificatePemPath, '-inkey', signer.keyPemPath, '-certfile', certfile, '-outform', 'DER', '-out', out],
    { cwd, stdio: 'pipe' },
  );
  return new Uint8Array(readFileSync(join(cwd, out)));
}
