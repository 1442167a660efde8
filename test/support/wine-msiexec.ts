/**
 * Wine's msiexec run with a verbose installer log (/l*v) and Wine's own error messages, so that a failed
 * install says why: the exit status alone does not (Linux keeps only the low 8 bits of the Windows exit
 * code, e.g. 1603 → 67; a process the wineserver kills ends with status 1 and, under WINEDEBUG=-all,
 * prints nothing).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { WinePrefix } from './wine-prefix.js';

export interface MsiexecRun {
  args: string[];
  status: number | null;
  /** Wine's error messages (WINEDEBUG err+all) and anything msiexec printed. */
  stderr: string;
  /** The installer log, '' when msiexec never wrote one. */
  log: string;
}

/** `wine msiexec <args> /l*v <logFile>`; the log is written by Windows Installer itself. */
export function runMsiexec(wine: WinePrefix, args: string[], logFile: string): MsiexecRun {
  const result = wine.run('msiexec', [...args, '/l*v', wine.windowsPath(logFile)], { timeoutMs: 180_000, wineErrors: true });
  return { args, status: result.status, stderr: result.stderr, log: readInstallerLog(logFile) };
}

/** Wine writes the log in 8-bit text, Windows in UTF-16 with a byte order mark: both read. */
function readInstallerLog(file: string): string {
  if (!existsSync(file)) return '';
  const bytes = readFileSync(file);
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
  return (utf16 ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8')).replace(/\r/g, '');
}

/**
 * True when Windows Installer never started the installation: the log has no "Action start" line, not
 * even the top-level INSTALL action's (the first thing an install, upgrade or removal does). Nothing
 * can have been changed then. Once an action has started, a failure is the package's or the install's.
 */
export function installationNeverStarted(run: MsiexecRun): boolean {
  return run.status !== 0 && !/^Action start /m.test(run.log);
}

/**
 * True when the log stops in the middle of the installation (no "Action ended …: INSTALL." line) with
 * exit status 1: msiexec was ended from outside. The wineserver ends the processes it kills (its forced
 * shutdown, `wineserver -k`) with exit code 1, and with WINEDEBUG=-all nothing is printed.
 */
function endedFromOutside(run: MsiexecRun): boolean {
  return run.status === 1 && /^Action start /m.test(run.log) && !/^Action ended [^:]+: INSTALL\./m.test(run.log);
}

/** The failure, for an assertion message or a warning: status, Wine's errors, the failed actions and the end of the installer log. */
export function describeMsiexecRun(run: MsiexecRun, logLines = 80): string {
  const lines = run.log.trimEnd().split('\n');
  const log = run.log ? lines.slice(-logLines).join('\n') : '(no installer log written)';
  const failedActions = lines.filter((line) => /^Action ended .*Return value 3\./.test(line));
  return [
    `msiexec ${run.args.join(' ')}: exit status ${run.status} (the low 8 bits of msiexec's exit code)`,
    ...(installationNeverStarted(run) ? ['Windows Installer started no action (no "Action start" in its log).'] : []),
    ...(endedFromOutside(run) ? ['The log stops mid-installation with status 1: msiexec was ended from outside (the wineserver ends the processes it kills with exit code 1).'] : []),
    `Wine's errors and msiexec's output:\n${run.stderr.trim() || '(none)'}`,
    ...(failedActions.length ? [`failed actions:\n${failedActions.join('\n')}`] : []),
    `installer log${lines.length > logLines ? ` (last ${logLines} of ${lines.length} lines)` : ''}:\n${log}`,
  ].join('\n');
}
