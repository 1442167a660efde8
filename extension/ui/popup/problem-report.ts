/**
 * "Report a problem": the facts support needs, in the lines `cas-token doctor` pastes (its support
 * block), from what the extension already knows: its own version, the browser, the host's status
 * (version, platform, modules, tokens with their PIN state) and what the popup showed. Nothing secret:
 * no PIN is ever known here, and nothing from the certificates is included.
 */
import { pinState } from '../../../native-host/cli/doctor-report.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';

export interface ProblemFacts {
  extensionVersion: string;
  userAgent: string;
  /** The host's status, or why it could not be had. */
  status: StatusResult | { error: { code: string; message: string } };
  /** What the popup shows (`popup-state`) and the error it shows, if any. */
  shown: string;
  shownError?: { code: string; message: string };
}

export function problemReport(facts: ProblemFacts): string {
  const lines = [
    `cas-token extension ${facts.extensionVersion}`,
    `browser: ${facts.userAgent}`,
    `popup: ${facts.shown}${facts.shownError ? ` ${facts.shownError.code}: ${facts.shownError.message}` : ''}`,
  ];
  if ('error' in facts.status) {
    lines.push(`host: NOT REACHED ${facts.status.error.code}: ${facts.status.error.message}`);
  } else {
    const status = facts.status;
    lines.push(`host: ${status.version} (protocol ${status.protocolVersion}, ${status.platform})`);
    lines.push(
      ...(status.modules.length
        ? status.modules.map(
            (m) =>
              `module: ${m.path} (${m.source}${m.vendor ? `, ${m.vendor}` : ''}) ${m.loaded ? `loaded${m.libraryDescription ? ` "${m.libraryDescription}"` : ''}${m.manufacturer ? ` by ${m.manufacturer}` : ''}` : `NOT LOADED: ${m.error ?? ''}`}`,
          )
        : ['module: none found']),
    );
    lines.push(
      ...(status.tokens.length
        ? status.tokens.map(
            (t) =>
              `token: "${t.label}", made by ${t.manufacturer}, model ${t.model}, serial ${t.serial}${t.flags.protectedAuthenticationPath ? ', PIN typed on the reader' : ''}; PIN ${pinState(t.flags)}; module ${t.module}`,
          )
        : ['token: none inserted']),
    );
  }
  return ['----- CAS Token problem report: begin -----', ...lines, '----- CAS Token problem report: end -----'].join('\n');
}
