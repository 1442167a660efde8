/**
 * The `cas-token` command. Every subcommand uses the same services as the native host.
 * Errors end as one clear line on stderr and a non-zero exit, never a stack trace.
 * Run by bin/cas-token.js (a checkout) and by the single executable (`cas-token-host --cli …`).
 */
import { parseArgs } from 'node:util';
import { packageVersion } from '../package-version.js';
import { UsageError, describeFailure } from './cli-output.js';
import type { CliInvocation } from './cli-invocation.js';
import { messages } from './cli-messages.js';

const USAGE_COMMANDS = `  cas-token modules [--module PATH] [--json]            PKCS#11 modules found (or given)
  cas-token tokens  [--module PATH] [--token LABEL] [--json]
  cas-token certs   [--module PATH] [--token LABEL] [--json]
  cas-token cert FILE [FILE…] [--json]                  details of certificates in PEM/DER/PKCS#7 files
  cas-token sign [--cert SERIAL_OR_ID] --in FILE [--in FILE…] [--out FILE|DIR]
                 [--format auto|pades|cades|xades|raw] [--attached] [--hash sha256|sha384|sha512|streebog256|streebog512]
                 [--certify 1|2|3] [--visible PAGE,X,Y,W,H|CORNER] [--lang ro|en|ru] [--module PATH] [--token LABEL] [--pin-env VAR]
                                                         GOST 2012 certificates: CAdES (Streebog) only; --attached puts the file inside
  cas-token verify FILE [FILE…] [--ca FILE|DIR]… [--content FILE] [--json]
                                                         check every signature of signed PDFs (PAdES), .p7s/.p7m/.sig (CAdES)
                                                         and signed XML (XAdES): valid / invalid / indeterminate, with reasons.
                                                         --ca: trusted CA certificates (PEM/DER/PKCS#7, bundles, folders; repeatable),
                                                         also "trustAnchors" in the config file; none: nothing is valid.
                                                         --content: the signed file of a detached signature (default: the
                                                         file beside it without the extension). Exit 0 all valid, 3 invalid,
                                                         4 indeterminate, 1 a file could not be verified (bad input)
  cas-token csr --out FILE.pem (--from-cert SERIAL | --subject "C=RO, O=…, CN=…")
                [--key-type rsa-2048|rsa-3072|ec-p256|ec-p384|gost2012-256|gost2012-512] [--paramset tc26-A|cryptopro-A|…]
                [--label LABEL] [--module PATH] [--token LABEL] [--pin-env VAR]
                                                         a new key pair on the token and its PKCS#10 request
  cas-token import-cert [--label LABEL] [--ca] [--module PATH] [--token LABEL] [--pin-env VAR] FILE
                                                         install the issued certificate (PEM/DER/PKCS#7) next to its key
  cas-token request [--cert SERIAL_OR_ID] --profile provider.json --out cerere.pdf [--template county-form.pdf]
                [--sign [--visible PAGE,X,Y,W,H|CORNER]] [--lang ro|en|ru] [--module PATH] [--token LABEL] [--pin-env VAR]
                                                         the CAS registration request (generated or the county's form filled)
  cas-token install   [--browser chrome|chromium|edge|firefox|all] [--user-data-dir DIR]
  cas-token uninstall [--browser …] [--user-data-dir DIR]
  cas-token doctor    [--user-data-dir DIR] [--json]    browsers, drivers, tokens, what to do, what to send to support
  cas-token host                                         the native messaging host (browsers start it)`;

/** The usage: the title and notes in the terminal's language, the command lines as they are typed. */
const usage = (): string => `${messages().usageTitle}\n\n${messages().usageWord}\n${USAGE_COMMANDS}\n\n${messages().usageNotes(process.platform === 'win32' ? ';' : ':')}`;

type Command = (invocation: CliInvocation) => Promise<void>;
/**
 * Each command's module is loaded when it runs: `help`, `--version` and a usage error load none of
 * them (PKCS#11, pdf-lib, fontkit, xadesjs… take seconds to import on a slow machine).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  modules: async () => (await import('./commands/token-listing.js')).modulesCommand,
  tokens: async () => (await import('./commands/token-listing.js')).tokensCommand,
  certs: async () => (await import('./commands/token-listing.js')).certsCommand,
  cert: async () => (await import('./commands/cert.js')).certCommand,
  sign: async () => (await import('./commands/sign.js')).signCommand,
  install: async () => (await import('./commands/install.js')).installCommand,
  uninstall: async () => (await import('./commands/install.js')).uninstallCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  host: async () => (await import('./commands/host.js')).hostCommand,
  csr: async () => (await import('./commands/renewal.js')).csrCommand,
  'import-cert': async () => (await import('./commands/renewal.js')).importCertCommand,
  request: async () => (await import('./commands/request.js')).requestCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(packageVersion() + '\n');
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(messages().unknownCommand(name));
    const invocation = parseInvocation(name, rest);
    if (invocation.flags.help) {
      process.stdout.write(usage() + '\n');
      return 0;
    }
    await (
      await command()
    )(invocation);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cas-token: ${error.message}\n${messages().usageHint}\n`);
      return 2;
    }
    process.stderr.write(describeFailure(error) + '\n');
    return 1;
  }
}

function parseInvocation(name: string, args: string[]): CliInvocation {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: name !== 'host', // browsers pass their own arguments to the host
      options: {
        json: { type: 'boolean' },
        module: { type: 'string', multiple: true },
        token: { type: 'string' },
        cert: { type: 'string' },
        'pin-env': { type: 'string' },
        format: { type: 'string' },
        hash: { type: 'string' },
        in: { type: 'string', multiple: true },
        out: { type: 'string' },
        browser: { type: 'string' },
        'user-data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        'key-type': { type: 'string' },
        paramset: { type: 'string' },
        'from-cert': { type: 'string' },
        subject: { type: 'string' },
        label: { type: 'string' },
        // import-cert --ca is a switch; verify --ca FILE|DIR names trust anchors (repeatable).
        ca: name === 'verify' ? { type: 'string', multiple: true } : { type: 'boolean' },
        content: { type: 'string' },
        profile: { type: 'string' },
        template: { type: 'string' },
        certify: { type: 'string' },
        sign: { type: 'boolean' },
        attached: { type: 'boolean' },
        visible: { type: 'string' },
        lang: { type: 'string' },
      },
    });
    return { positionals, flags: values as CliInvocation['flags'] };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
