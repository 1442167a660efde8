/**
 * pkcs11.node for Windows x64, cross-compiled on Debian with mingw-w64 from the pkcs11js sources in
 * node_modules. pkcs11js 2.x is a Node-API addon (plain C `node_api.h`, no NAN, no V8 headers), so
 * the headers and the import list come from the npm package node-api-headers — no Node.js Windows
 * headers or node.lib download. The Node-API functions are imported from "node.exe" through a
 * delay-load import library made by dlltool from node-api-headers' def/node_api.def; the hook in
 * delay-load-hook.c hands the running executable to that load, so the addon works inside
 * cas-token-host.exe (a Node single executable application) as well as in node.exe.
 * Everything is linked statically (libgcc, libstdc++, winpthread): the DLL needs only KERNEL32 and msvcrt.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MINGW_TRIPLET = 'x86_64-w64-mingw32';

/** The repository's root, from this file in scripts/packaging/windows (sources) or dist/node/scripts/… (built). */
export function repositoryRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes(`${join('dist', 'node', 'scripts')}`) ? join(here, '..', '..', '..', '..', '..') : join(here, '..', '..', '..');
}

/** Builds `<outDir>/pkcs11.node`; returns its path. */
export function crossCompilePkcs11Addon(outDir: string): string {
  const root = repositoryRoot();
  const pkcs11js = join(root, 'node_modules', 'pkcs11js');
  const napiHeaders = join(root, 'node_modules', 'node-api-headers');
  const hook = join(root, 'scripts', 'packaging', 'windows', 'delay-load-hook.c');
  mkdirSync(outDir, { recursive: true });
  const importLibrary = join(outDir, 'node_api_delay.a');
  execFileSync(`${MINGW_TRIPLET}-dlltool`, ['--input-def', join(napiHeaders, 'def', 'node_api.def'), '--dllname', 'node.exe', '--output-delaylib', importLibrary], { stdio: 'pipe' });
  const addon = join(outDir, 'pkcs11.node');
  execFileSync(
    `${MINGW_TRIPLET}-g++`,
    [
      '-shared',
      '-O2',
      '-std=c++17',
      '-s',
      // pkcs11js's own sources warn about its headers (dllimport on PKCS#11 prototypes, #endif labels).
      '-w',
      '-DNAPI_DISABLE_CPP_EXCEPTIONS',
      '-DBUILDING_NODE_EXTENSION',
      '-I',
      join(pkcs11js, 'includes'),
      '-I',
      join(napiHeaders, 'include'),
      '-o',
      addon,
      join(pkcs11js, 'src', 'dl.cpp'),
      join(pkcs11js, 'src', 'common.cpp'),
      join(pkcs11js, 'src', 'main.cpp'),
      '-x',
      'c',
      hook,
      '-x',
      'none',
      importLibrary,
      '-static',
      '-static-libgcc',
      '-static-libstdc++',
    ],
    { stdio: 'pipe' },
  );
  return addon;
}
