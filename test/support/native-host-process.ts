/**
 * Runs the built native host as the browser does (a child process speaking framed JSON on stdio) and
 * talks to it: send requests, await replies by id, collect progress, see how it exits.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { builtHostEntry } from '../../native-host/host-entry.js';
import { FrameDecoder, encodeFrame } from '../../native-host/host/native-message-framing.js';
import type { HostReply } from '../../shared/protocol/host-messages.js';

/** What the browsers run from a checkout: the bundled host (`cas-token install` points its launcher there). */
export const HOST_ENTRY = builtHostEntry();

/** The single executable the .deb ships (npm run build:sea / package:deb). */
export const SINGLE_EXECUTABLE = fileURLToPath(new URL('../../dist/sea/linux-x64/cas-token-host', import.meta.url));

/**
 * Which host the suite talks to: the bundle run by this Node (default) or, with
 * CAS_TOKEN_TEST_HOST=single-executable (the vitest project "single-executable"), the SEA, started
 * with a PATH that has no `node` on it, as on a user's machine.
 */
export const HOST_UNDER_TEST: 'bundle' | 'single-executable' = process.env.CAS_TOKEN_TEST_HOST === 'single-executable' ? 'single-executable' : 'bundle';

function hostCommand(args: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (HOST_UNDER_TEST === 'bundle') return { command: process.execPath, args: [HOST_ENTRY, ...args], env: {} };
  if (!existsSync(SINGLE_EXECUTABLE)) throw new Error(`${SINGLE_EXECUTABLE} is not built: npm run build:sea`);
  return { command: SINGLE_EXECUTABLE, args, env: { PATH: '/nonexistent' } };
}

export interface NativeHostProcess {
  child: ChildProcessWithoutNullStreams;
  replies: HostReply[];
  stderr(): string;
  /** Sends a request object as one frame. */
  send(message: unknown): void;
  /** Sends raw bytes (for abuse tests). */
  write(bytes: Uint8Array): void;
  /** The final reply (ok true/false) for an id, waiting up to `timeoutMs`. */
  reply(id: string, timeoutMs?: number): Promise<HostReply>;
  /** Sends and awaits the final reply. */
  request(message: { id: string } & Record<string, unknown>, timeoutMs?: number): Promise<HostReply>;
  /** Closes stdin and resolves with the exit code. */
  close(): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startNativeHost(env: NodeJS.ProcessEnv = {}, args: string[] = ['chrome-extension://test/']): NativeHostProcess {
  const launch = hostCommand(args);
  const child = spawn(launch.command, launch.args, { env: { ...process.env, ...launch.env, ...env }, stdio: 'pipe' });
  const decoder = new FrameDecoder();
  const replies: HostReply[] = [];
  const waiters = new Set<() => void>();
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  child.stdout.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'frame') replies.push(JSON.parse(Buffer.from(event.payload).toString('utf8')) as HostReply);
    }
    for (const wake of [...waiters]) wake();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      for (const wake of [...waiters]) wake();
      resolve(code);
    }),
  );
  const isFinal = (r: HostReply, id: string): boolean => r.id === id && 'ok' in r;
  const host: NativeHostProcess = {
    child,
    replies,
    stderr: () => errors,
    send: (message) => child.stdin.write(encodeFrame(message)),
    write: (bytes) => child.stdin.write(bytes),
    reply(id, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = replies.find((r) => isFinal(r, id));
          if (found) {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          if (child.exitCode !== null) {
            waiters.delete(wake);
            clearTimeout(timer);
            reject(new Error(`host exited (${child.exitCode}) before replying to ${id}: ${errors}`));
            return true;
          }
          return false;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no reply to ${id} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    request(message, timeoutMs) {
      host.send(message);
      return host.reply(message.id, timeoutMs);
    },
    close() {
      child.stdin.end();
      return exited;
    },
    exited,
  };
  return host;
}
