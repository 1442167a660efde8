import { readFile } from 'node:fs/promises';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { describeCertificate } from '../../../shared/certificate/describe-certificate.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { certificateFieldRows } from '../certificate-fields.js';
import { printFields, printJson } from '../cli-output.js';
import type { CliInvocation } from '../cli-invocation.js';

/** `cas-token cert FILE…`: details of every certificate in PEM / DER / PKCS#7 files. */
export async function certCommand({ positionals, flags }: CliInvocation): Promise<void> {
  if (positionals.length === 0) throw new CasTokenError('INVALID_ARGUMENT', 'Name a certificate file: cas-token cert FILE [FILE…] [--json]');
  const all = [];
  for (const file of positionals) {
    const bytes = await readFile(file).catch(() => {
      throw new CasTokenError('INVALID_ARGUMENT', `Cannot read ${file}.`);
    });
    for (const der of readCertificates(new Uint8Array(bytes))) all.push({ file, details: await describeCertificate(der) });
  }
  if (flags.json) return printJson(all.map(({ details }) => details));
  all.forEach(({ file, details }, index) => {
    if (index > 0) process.stdout.write('\n');
    printFields([['File', file], ...certificateFieldRows(details)]);
  });
}
