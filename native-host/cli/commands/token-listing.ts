/** `cas-token modules`, `cas-token tokens`, `cas-token certs`: what the host sees, for people or as JSON. */
import type { TokenFlags } from '../../../shared/protocol/token-types.js';
import { createTokenService } from '../../token-service-factory.js';
import { printJson, printTable } from '../cli-output.js';
import type { CliInvocation } from '../cli-invocation.js';
import { messages } from '../cli-messages.js';
import { isUsableQualifiedSigning } from '../../signing/token-certificate-lookup.js';

function tokenSelector(flags: CliInvocation['flags']) {
  return flags.token !== undefined ? { label: flags.token } : undefined;
}

export async function modulesCommand({ flags }: CliInvocation): Promise<void> {
  const service = createTokenService(flags.module);
  try {
    const modules = await service.listModules();
    if (flags.json) return printJson(modules);
    if (modules.length === 0) {
      process.stdout.write('No PKCS#11 module found.\n');
      return;
    }
    printTable(
      ['Module', 'Token family', 'Source', 'Loaded'],
      modules.map((m) => [m.path, m.vendor ?? '', m.source, m.loaded ? 'yes' : `no: ${m.error ?? ''}`]),
    );
  } finally {
    service.close();
  }
}

export function describeTokenFlags(flags: TokenFlags): string {
  const notes: string[] = [];
  if (flags.userPinLocked) notes.push('PIN LOCKED');
  else if (flags.userPinFinalTry) notes.push('PIN: final try');
  else if (flags.userPinCountLow) notes.push('PIN: tries low');
  if (flags.protectedAuthenticationPath) notes.push('PIN pad');
  if (flags.loginRequired) notes.push('login required');
  if (flags.userPinToBeChanged) notes.push('PIN must be changed');
  if (!flags.userPinInitialized) notes.push('PIN not initialised');
  return notes.join(', ');
}

export async function tokensCommand({ flags }: CliInvocation): Promise<void> {
  const service = createTokenService(flags.module);
  try {
    const tokens = await service.listTokens(tokenSelector(flags));
    if (flags.json) return printJson(tokens);
    if (tokens.length === 0) {
      process.stdout.write('No token inserted.\n');
      return;
    }
    printTable(
      ['Label', 'Manufacturer', 'Model', 'Serial', 'Flags', 'Module'],
      tokens.map((t) => [t.label, t.manufacturer, t.model, t.serial, describeTokenFlags(t.flags), t.module]),
    );
  } finally {
    service.close();
  }
}

export async function certsCommand({ flags }: CliInvocation): Promise<void> {
  const service = createTokenService(flags.module);
  try {
    // Qualified signing certificates usable now first (the one `sign` takes without --cert), the token's order otherwise.
    const listed = await service.listCertificates(tokenSelector(flags));
    const certificates = [...listed.filter((c) => isUsableQualifiedSigning(c)), ...listed.filter((c) => !isUsableQualifiedSigning(c))];
    if (flags.json) {
      return printJson(
        certificates.map((c) => ({
          ...c.details,
          id: c.id,
          label: c.label,
          token: c.token.label,
          tokenSerial: c.token.serial,
          module: c.token.module,
          hasPrivateKey: c.hasPrivateKey,
        })),
      );
    }
    const m = messages();
    if (certificates.length === 0) {
      process.stdout.write(m.noCertificates + '\n');
      return;
    }
    printTable(
      m.certificateHeaders,
      certificates.map((c) => [
        c.token.label,
        c.id,
        c.details.serialNumber,
        c.details.subjectCommonName ?? c.details.subject,
        c.details.notAfter.slice(0, 10),
        c.hasPrivateKey,
        c.details.qualifiedSigning ? m.yes : m.no,
      ]),
    );
  } finally {
    service.close();
  }
}
