/** How the `cas-token` command talks to people: aligned tables, one-line errors, JSON on request. */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { translatedHint } from './cli-hints.js';
import { cliLanguage, messages } from './cli-messages.js';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** A table with a header row; columns sized to their widest cell. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write([line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n');
}

/** Label/value pairs, labels aligned. */
export function printFields(fields: [string, string | undefined][]): void {
  const shown = fields.filter((field): field is [string, string] => field[1] !== undefined && field[1] !== '');
  const width = Math.max(...shown.map(([label]) => label.length));
  process.stdout.write(shown.map(([label, value]) => `${(label + ':').padEnd(width + 1)} ${value}`).join('\n') + '\n');
}

/**
 * A failure as one clear line (plus a hint line when there is one); never a stack trace. In Romanian
 * or Russian the sentence in that language comes first, the technical detail and the code beneath it,
 * then the hint in that language (cli-hints.ts).
 */
export function describeFailure(error: unknown): string {
  const m = messages();
  if (error instanceof CasTokenError) {
    const summary = m.errors[error.code];
    let line = `cas-token: ${summary ? `${summary}\n  ` : ''}${error.message} [${error.code}]`;
    if (error.code === 'PIN_INCORRECT' && error.attemptsLeft !== undefined) line += m.attemptsLeft(error.attemptsLeft);
    if (error.hint) line += `\n${translatedHint(error.hint, cliLanguage())}`;
    return line;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `cas-token: ${message.split('\n')[0]}`;
}

export class UsageError extends Error {}
