/**
 * A fresh Wine prefix (a private "C: drive" and registry, 64-bit, Windows 10) for testing the Windows
 * installers on Debian, and the few things the tests do in it: run Windows programs, query and export
 * the registry, list the files of drive C. Wine stands in for Windows here: its msiexec, registry and
 * reg.exe are reimplementations, close to Windows for what an MSI of files and registry values does,
 * not Windows itself.
 *
 * Two Wine facts shape this: its first start (wineboot) is slow, so a test makes one prefix and
 * reuses it; and a pipe from Linux into a Wine process fails (Node's stdio gives EBADF), so Windows
 * Node scripts write their results to files and talk to other Windows processes from inside Wine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, relative } from 'node:path';

export interface WinePrefix {
  dir: string;
  /** drive_c on Linux. */
  driveC: string;
  /** The environment Wine programs run with. */
  env: NodeJS.ProcessEnv;
  /**
   * Runs `wine <program> <args>`; stdout and stderr collected (only for console programs that write to pipes safely).
   * `wineErrors` lets Wine write its own error messages (WINEDEBUG err+all) to stderr, for a run whose failure must say why.
   */
  run(program: string, args: string[], options?: { timeoutMs?: number; output?: 'pipe' | 'ignore'; wineErrors?: boolean }): { status: number | null; stdout: string; stderr: string };
  /** `reg query <key> /ve`: the key's default value, or undefined when the key does not exist. */
  defaultValue(key: string): string | undefined;
  keyExists(key: string): boolean;
  /** `reg query <key> /v <name>`: a named value. */
  value(key: string, name: string): string | undefined;
  /** The text of `reg export <root>` (HKLM or HKCU), for before/after comparisons. */
  exportRegistry(root: 'HKLM' | 'HKCU'): string;
  /** Every file and folder below drive C, relative, sorted. */
  listDriveC(): string[];
  /** Windows path of a Linux path (Wine maps / to Z:). */
  windowsPath(linuxPath: string): string;
  /** The Linux path of C:\users\<user>\AppData\Roaming. */
  appData(): string;
  /**
   * Waits until every Wine process of this prefix has ended (an installer's helper processes included) and
   * the wineserver has exited, so the next program starts a Wine session of its own; throws, naming what
   * still runs, when that does not happen within two minutes.
   */
  settle(): void;
  dispose(): void;
}

export function createWinePrefix(dir: string): WinePrefix {
  mkdirSync(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WINEPREFIX: dir,
    WINEARCH: 'win64',
    WINEDEBUG: '-all',
    // No Mono / Gecko download prompts: nothing here needs .NET or an HTML engine.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    DISPLAY: '',
  };
  const wine = (args: string[], timeoutMs = 120_000, output: 'pipe' | 'ignore' = 'pipe', wineErrors = false) => {
    // "-all,err+all": Wine's errors only (the Debian wine wrapper's wine32 hint stays off for a WINEDEBUG starting with -all).
    const runEnv = wineErrors ? { ...env, WINEDEBUG: '-all,err+all' } : env;
    const result = spawnSync('wine', args, { env: runEnv, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', output, output], maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw result.error;
    return { status: result.status, stdout: (result.stdout ?? '').replace(/\r/g, ''), stderr: (result.stderr ?? '').replace(/\r/g, '') };
  };
  const boot = spawnSync('wineboot', ['--init'], { env, encoding: 'utf8', timeout: 180_000 });
  if (boot.status !== 0) throw new Error(`wineboot failed: ${boot.stderr}`);
  // Node 22 refuses to start on the Windows version Wine reports by default.
  const version = wine(['winecfg', '/v', 'win10']);
  if (version.status !== 0) throw new Error(`winecfg /v win10 failed: ${version.stderr}`);
  const waitForServer = (): void => {
    const waited = spawnSync('wineserver', ['-w'], { env, timeout: 120_000 });
    if (waited.status === 0) return;
    const running = spawnSync('ps', ['-eo', 'pid,etimes,args'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((line) => /wine|\.exe\b/i.test(line));
    throw new Error(`the Wine processes of ${dir} did not end within 2 minutes (wineserver -w: ${waited.error?.message ?? `status ${waited.status}`}):\n${running.join('\n')}`);
  };
  // The prefix is made (wineboot), set up (winecfg) and its first session ended before anything else runs.
  waitForServer();

  const driveC = join(dir, 'drive_c');
  const query = (args: string[]): string | undefined => {
    const result = wine(['reg', 'query', ...args]);
    return result.status === 0 ? result.stdout : undefined;
  };
  const prefix: WinePrefix = {
    dir,
    driveC,
    env,
    run: (program, args, options = {}) => wine([program, ...args], options.timeoutMs, options.output, options.wineErrors),
    defaultValue(key) {
      const out = query([key, '/ve']);
      return out ? /REG_(?:EXPAND_)?SZ\s+(.*\S)\s*$/m.exec(out)?.[1] : undefined;
    },
    keyExists: (key) => query([key]) !== undefined,
    value(key, name) {
      const out = query([key, '/v', name]);
      if (!out) return undefined;
      const line = out.split('\n').find((l) => l.trim().startsWith(`${name} `));
      return line ? /REG_\w+\s+(.*)$/.exec(line.trim())?.[1]?.trim() : undefined;
    },
    exportRegistry(root) {
      const file = join(dir, `export-${root}.reg`);
      const result = wine(['reg', 'export', root, prefix.windowsPath(file), '/y']);
      if (result.status !== 0) throw new Error(`reg export ${root} failed: ${result.stderr}`);
      const text = spawnSync('iconv', ['-f', 'UTF-16LE', '-t', 'UTF-8', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout;
      rmSync(file, { force: true });
      return text.replace(/\r/g, '');
    },
    listDriveC() {
      const found: string[] = [];
      const walk = (folder: string): void => {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          const path = join(folder, entry.name);
          found.push(relative(driveC, path));
          if (entry.isDirectory() && !entry.isSymbolicLink()) walk(path);
        }
      };
      walk(driveC);
      return found.sort();
    },
    windowsPath: (linuxPath) => `Z:${linuxPath.replace(/\//g, '\\')}`,
    appData: () => join(driveC, 'users', userInfo().username, 'AppData', 'Roaming'),
    settle: waitForServer,
    dispose() {
      // The server ended before its prefix is removed (it writes the registry files there as it exits).
      spawnSync('wineserver', ['-k'], { env, timeout: 30_000 });
      spawnSync('wineserver', ['-w'], { env, timeout: 30_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return prefix;
}
