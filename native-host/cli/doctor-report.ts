/**
 * What `cas-token doctor` found, and how it says it to a clinic's IT person: sections of plain
 * sentences, a numbered list of what to do, and a block to paste into a message to support.
 *
 * The report holds no PIN (none is asked) and nothing from the certificates: tokens are described by
 * their label, maker, model, serial and PIN state, as the token itself announces them.
 */
import type { Browser } from '../install/browser-targets.js';
import type { ModuleInfo, TokenFlags } from '../../shared/protocol/token-types.js';

export interface Registration {
  /** `user`: this user's (`cas-token install`); `system`: every user's (the .deb, the MSI, the pkg). */
  scope: 'user' | 'system';
  /** The host manifest file. */
  manifest: string;
  /** Windows: the registry key that points at it. */
  registryKey?: string;
  /** Why the browser cannot use it; absent when it is fine. */
  problem?: string;
}

export interface BrowserReport {
  browser: Browser;
  name: string;
  /** The browser's program (or macOS app) when installed; null when not found. */
  program: string | null;
  /** A registration the browser can use exists. */
  registered: boolean;
  registrations: Registration[];
}

export type PinState = 'usable' | 'not initialised' | 'to be changed' | 'few tries left' | 'one try left' | 'locked';

export interface TokenReport {
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  module: string;
  pin: PinState;
  /** The PIN is typed on the reader's own keypad. */
  pinPad: boolean;
}

export interface DoctorReport {
  version: string;
  os: { platform: NodeJS.Platform; release: string; arch: string; description: string };
  node: string;
  host: { entry: string; present: boolean };
  browsers: BrowserReport[];
  modules: ModuleInfo[];
  /** Set when the modules could not even be listed. */
  modulesError?: string;
  tokens: TokenReport[];
  whatToDo: string[];
}

export function pinState(flags: TokenFlags): PinState {
  if (flags.userPinLocked) return 'locked';
  if (!flags.userPinInitialized) return 'not initialised';
  if (flags.userPinFinalTry) return 'one try left';
  if (flags.userPinCountLow) return 'few tries left';
  if (flags.userPinToBeChanged) return 'to be changed';
  return 'usable';
}

const PIN_SENTENCES: Record<PinState, string> = {
  usable: 'The PIN can be used.',
  'not initialised': 'The token has no PIN set yet.',
  'to be changed': "The PIN must be changed (in the token maker's tool) before it is used.",
  'few tries left': 'A wrong PIN was typed recently: few tries are left before the PIN locks.',
  'one try left': 'One more wrong PIN locks the token.',
  locked: 'The PIN is locked (too many wrong tries).',
};

function moduleName(module: ModuleInfo): string {
  return module.vendor ? `${module.path} (${module.vendor})` : module.path;
}

function registrationSentence(r: Registration): string {
  const where = r.registryKey ? `${r.manifest}, registered at ${r.registryKey}` : r.manifest;
  const scope = r.scope === 'system' ? 'for every user' : 'for this user';
  return r.problem ? `A registration ${scope} (${where}) cannot be used: ${r.problem}` : `CAS Token is registered ${scope}: ${where}.`;
}

function browserSentences(b: BrowserReport): string[] {
  if (b.registrations.length === 0) return [b.program ? `${b.name} is installed (${b.program}), but CAS Token is NOT registered for it.` : `${b.name} was not found on this computer.`];
  return [
    b.program ? `${b.name} is installed (${b.program}).` : `${b.name} was not found on this computer (its registration below is unused).`,
    ...b.registrations.map((r) => `  ${registrationSentence(r)}`),
  ];
}

/** An error message as the end of a sentence: exactly one full stop. */
const sentenceEnd = (message: string): string => message.replace(/[.\s]+$/, '') + '.';

function tokenLine(t: TokenReport): string {
  return `"${t.label}", made by ${t.manufacturer}, model ${t.model}, serial ${t.serial}${t.pinPad ? ', PIN typed on the reader' : ''}`;
}

const indent = (lines: string[]): string => lines.map((line) => `  ${line}`).join('\n');

/** The block to paste into a message to support: the facts, one per line, nothing secret. */
export function supportBlock(report: DoctorReport): string {
  const lines = [
    `cas-token doctor ${report.version}`,
    `os: ${report.os.description} (${report.os.platform} ${report.os.release} ${report.os.arch})`,
    `node: ${report.node}`,
    `host: ${report.host.entry} ${report.host.present ? 'present' : 'MISSING'}`,
    ...report.browsers.map((b) => {
      const registrations = b.registrations.map((r) => `${r.scope} ${r.manifest}${r.registryKey ? ` [${r.registryKey}]` : ''}${r.problem ? ` PROBLEM: ${r.problem}` : ' ok'}`);
      return `browser ${b.browser}: ${b.program ? `installed ${b.program}` : 'not found'}; registered: ${registrations.length ? registrations.join('; ') : 'no'}`;
    }),
    ...(report.modulesError ? [`modules: ERROR ${report.modulesError}`] : []),
    ...(report.modules.length
      ? report.modules.map(
          (m) =>
            `module: ${m.path} (${m.source}${m.vendor ? `, ${m.vendor}` : ''}) ${m.loaded ? `loaded${m.libraryDescription ? ` "${m.libraryDescription}"` : ''}${m.manufacturer ? ` by ${m.manufacturer}` : ''}` : `NOT LOADED: ${m.error ?? ''}`}`,
        )
      : ['module: none found']),
    ...(report.tokens.length ? report.tokens.map((t) => `token: ${tokenLine(t)}; PIN ${t.pin}; module ${t.module}`) : ['token: none inserted']),
    ...report.whatToDo.map((item, i) => `to do ${i + 1}: ${item}`),
  ];
  return ['----- CAS Token doctor report: begin -----', ...lines, '----- CAS Token doctor report: end -----'].join('\n');
}

/** The whole report as people read it. */
export function formatDoctorReport(report: DoctorReport): string {
  const sections: [string, string[]][] = [
    [
      'This computer',
      [
        `${report.os.description}, ${report.os.arch}.`,
        report.host.present
          ? `The CAS Token program is ${report.host.entry} (version ${report.version}, run by Node.js ${report.node}).`
          : `The CAS Token program is MISSING: ${report.host.entry} does not exist.`,
      ],
    ],
    ['Browsers', report.browsers.flatMap(browserSentences)],
    [
      'Token drivers (PKCS#11 modules)',
      report.modulesError
        ? [`The drivers could not be listed: ${sentenceEnd(report.modulesError)}`]
        : report.modules.length
          ? report.modules.map((m) => (m.loaded ? `${moduleName(m)} works.` : `${moduleName(m)} could not be loaded: ${sentenceEnd(m.error ?? 'no reason given')}`))
          : ['No token driver was found.'],
    ],
    ['Tokens', report.tokens.length ? report.tokens.map((t) => `${tokenLine(t)}. ${PIN_SENTENCES[t.pin]}`) : ['No token is inserted (or its driver is not working).']],
    [
      'What to do',
      report.whatToDo.length ? report.whatToDo.map((item, i) => `${i + 1}. ${item}`) : ['Nothing: CAS Token is ready to use. Restart the browser if it was open during the installation.'],
    ],
    ['What to send to support', ['Copy the lines below, from "begin" to "end", into your message. They hold no PIN and nothing from the certificates.', '', ...supportBlock(report).split('\n')]],
  ];
  return [`CAS Token doctor, version ${report.version}`, ...sections.map(([title, lines]) => `${title}\n${indent(lines)}`)].join('\n\n') + '\n';
}
