/**
 * `cas-token csr`: a new key pair on the token and its PKCS#10 request (PEM to --out, DER beside it).
 * `cas-token import-cert FILE`: the certificate the CA issued, installed next to its key.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseSubject } from '../../../shared/certificate/certificate-request.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { GOST_PARAMSET_NAMES, gostParamsetOid } from '../../../shared/protocol/gost-algorithms.js';
import type { GostParamsetName } from '../../../shared/protocol/gost-algorithms.js';
import { KEY_TYPES } from '../../pkcs11/token-key-generation.js';
import type { KeyType } from '../../pkcs11/token-key-generation.js';
import { generateRequestOnToken, installCertificateOnToken } from '../../pkcs11/token-renewal.js';
import { createTokenService } from '../../token-service-factory.js';
import { printJson } from '../cli-output.js';
import type { CliInvocation } from '../cli-invocation.js';
import { readPin } from '../pin-input.js';
import { findTokenCertificate } from '../../signing/token-certificate-lookup.js';

function tokenOf(flags: CliInvocation['flags']) {
  return flags.token !== undefined ? { label: flags.token } : undefined;
}

async function pinFor(flags: CliInvocation['flags'], service: ReturnType<typeof createTokenService>): Promise<string | undefined> {
  const [token] = await service.listTokens(tokenOf(flags));
  if (!token) throw new CasTokenError('NO_TOKEN', flags.token ? `No token labelled "${flags.token}" is inserted.` : 'No token is inserted.');
  return readPin({ pinEnv: flags['pin-env'], prompt: `PIN for token "${token.label}": `, protectedAuthenticationPath: token.flags.protectedAuthenticationPath });
}

export async function csrCommand({ flags }: CliInvocation): Promise<void> {
  const keyType = (flags['key-type'] ?? 'rsa-2048') as KeyType;
  if (!KEY_TYPES.includes(keyType)) throw new CasTokenError('INVALID_ARGUMENT', `Unknown --key-type "${keyType}"; use ${KEY_TYPES.join(', ')}.`);
  const paramset = flags.paramset === undefined ? undefined : GOST_PARAMSET_NAMES.find((name) => name.toLowerCase() === flags.paramset!.toLowerCase());
  if (flags.paramset !== undefined && (!paramset || !keyType.startsWith('gost'))) {
    throw new CasTokenError(
      'INVALID_ARGUMENT',
      keyType.startsWith('gost') ? `Unknown --paramset "${flags.paramset}"; use ${GOST_PARAMSET_NAMES.join(', ')}.` : '--paramset goes with --key-type gost2012-256 or gost2012-512.',
    );
  }
  if (paramset && !gostParamsetOid(keyType === 'gost2012-512' ? 512 : 256, paramset)) {
    throw new CasTokenError('INVALID_ARGUMENT', `There is no ${paramset} parameter set for ${keyType} keys; 512-bit keys have tc26-A, tc26-B and tc26-C.`);
  }
  if (!flags.out) throw new CasTokenError('INVALID_ARGUMENT', 'Name the request file: --out request.pem (the DER goes beside it as request.der).');
  if (!flags['from-cert'] && !flags.subject) throw new CasTokenError('INVALID_ARGUMENT', 'Give the subject: --from-cert SERIAL (copy the current certificate) or --subject "C=RO, O=…, CN=…".');
  const service = createTokenService(flags.module);
  try {
    // --from-cert names the certificate as --cert does everywhere (serial number or id, one rule).
    const source = flags['from-cert'] ? await findTokenCertificate(service, tokenOf(flags), flags['from-cert']) : undefined;
    const pin = await pinFor(flags, service);
    const request = await generateRequestOnToken(service, {
      token: tokenOf(flags),
      pin,
      keyType,
      ...(paramset ? { gostParamset: paramset as GostParamsetName } : {}),
      ...(flags.label ? { label: flags.label } : {}),
      subject: source ? { fromCertificate: { id: source.id } } : { attributes: parseSubject(flags.subject!) },
    });
    const derPath = flags.out.replace(/\.(pem|csr|req)$/i, '') + '.der';
    await writeFile(flags.out, request.pem);
    await writeFile(derPath, request.der);
    if (flags.json) return printJson({ request: flags.out, requestDer: derPath, keyId: request.keyId });
    process.stdout.write(
      `Key pair generated on the token (id ${request.keyId}).\nRequest: ${flags.out} (PEM), ${derPath} (DER). Send it to your CA; install what it issues with \`cas-token import-cert\`.\n`,
    );
  } finally {
    service.close();
  }
}

export async function importCertCommand({ flags, positionals }: CliInvocation): Promise<void> {
  const [file] = positionals;
  if (!file) throw new CasTokenError('INVALID_ARGUMENT', 'Name the certificate file: cas-token import-cert --token LABEL --pin-env VAR FILE');
  const bytes = await readFile(file).catch(() => {
    throw new CasTokenError('INVALID_ARGUMENT', `Cannot read ${file}.`);
  });
  const service = createTokenService(flags.module);
  try {
    const pin = await pinFor(flags, service);
    const installed = await installCertificateOnToken(service, {
      token: tokenOf(flags),
      pin,
      file: new Uint8Array(bytes),
      ...(flags.label ? { label: flags.label } : {}),
      includeChain: flags.ca === true,
    });
    if (flags.json) return printJson({ id: installed.id, label: installed.label, alreadyInstalled: installed.alreadyInstalled, caCertificatesAdded: installed.caCertificatesAdded });
    process.stdout.write(
      installed.alreadyInstalled
        ? `The certificate is already on the token (id ${installed.id}).\n`
        : `Installed "${installed.label}" next to its key (id ${installed.id})${installed.caCertificatesAdded ? `, with ${installed.caCertificatesAdded} CA certificate(s)` : ''}.\n`,
    );
  } finally {
    service.close();
  }
}
