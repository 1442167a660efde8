// Runs under the official Windows node.exe inside Wine (test/packaging/msi.test.ts) and does what a
// browser does to reach a native messaging host on Windows, with no knowledge of where it was
// installed:
//   1. the registry key: HKCU first, then HKLM, each in the 32-bit view, then the 64-bit one
//      (Chrome's order; Firefox reads the same hives) -> its default value, the manifest's path;
//   2. the manifest: its name, type "stdio", the extension allowed (allowed_origins for the Chromium
//      family, allowed_extensions for Firefox), and `path`, relative to the manifest's folder if not absolute;
//   3. starts that executable with the arguments the browser gives (Chrome: the extension's origin and
//      --parent-window; Firefox: the manifest's path and the add-on id) and speaks native messaging
//      (4-byte little-endian length + JSON) on its stdin/stdout: `status`, then `certificates`.
// Writes what it saw as JSON to the result file (pipes from Linux into a Wine process fail, so the
// test reads a file). Usage: node windows-browser-lookup.cjs <chrome|chromium|edge|firefox> <extension id> <result.json>
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, isAbsolute, join } = require('node:path');

const HOST_NAME = 'eu.castoken.host';
const KEYS = {
  chrome: 'SOFTWARE\\Google\\Chrome\\NativeMessagingHosts',
  chromium: 'SOFTWARE\\Chromium\\NativeMessagingHosts',
  edge: 'SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts',
  firefox: 'SOFTWARE\\Mozilla\\NativeMessagingHosts',
};

const [browser, extensionId, resultFile] = process.argv.slice(2);
const result = { browser, steps: [] };

function finish(error) {
  if (error) result.error = String(error && error.stack ? error.stack : error);
  writeFileSync(resultFile, JSON.stringify(result, null, 2));
  process.exit(error ? 1 : 0);
}

function defaultValue(key, view) {
  try {
    const out = execFileSync('reg', ['query', key, '/ve', view], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /REG_(?:EXPAND_)?SZ\s+(.*\S)\s*$/m.exec(out);
    return match ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

function findManifest() {
  for (const hive of ['HKCU', 'HKLM']) {
    for (const view of ['/reg:32', '/reg:64']) {
      const key = `${hive}\\${KEYS[browser]}\\${HOST_NAME}`;
      const value = defaultValue(key, view);
      result.steps.push({ key, view, value: value ?? null });
      if (value) return { key, view, manifestPath: value };
    }
  }
  throw new Error(`no registry key for ${HOST_NAME} (${browser})`);
}

function talk(executable, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    let buffered = Buffer.alloc(0);
    let stderr = '';
    const replies = [];
    const wanted = new Set(['status-1', 'certificates-1']);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no reply in 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32LE(0)) {
        const length = buffered.readUInt32LE(0);
        const reply = JSON.parse(buffered.subarray(4, 4 + length).toString('utf8'));
        buffered = buffered.subarray(4 + length);
        replies.push(reply);
        if ('ok' in reply) wanted.delete(reply.id);
        if (reply.id === 'status-1' && 'ok' in reply) send({ id: 'certificates-1', command: 'certificates' });
        if (wanted.size === 0) child.stdin.end();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, replies, stderr });
    });
    function send(message) {
      const body = Buffer.from(JSON.stringify(message), 'utf8');
      const header = Buffer.alloc(4);
      header.writeUInt32LE(body.length, 0);
      child.stdin.write(Buffer.concat([header, body]));
    }
    send({ id: 'status-1', command: 'status' });
  });
}

async function main() {
  const found = findManifest();
  Object.assign(result, found);
  const manifest = JSON.parse(readFileSync(found.manifestPath, 'utf8'));
  result.manifest = manifest;
  if (manifest.name !== HOST_NAME) throw new Error(`manifest name ${manifest.name}`);
  if (manifest.type !== 'stdio') throw new Error(`manifest type ${manifest.type}`);
  const origin = `chrome-extension://${extensionId}/`;
  const allowed = browser === 'firefox' ? (manifest.allowed_extensions || []).includes(extensionId) : (manifest.allowed_origins || []).includes(origin);
  if (!allowed) throw new Error(`${extensionId} is not allowed by ${found.manifestPath}`);
  result.executable = isAbsolute(manifest.path) ? manifest.path : join(dirname(found.manifestPath), manifest.path);
  const args = browser === 'firefox' ? [found.manifestPath, extensionId] : [origin, '--parent-window=0'];
  Object.assign(result, await talk(result.executable, args));
}

main().then(() => finish(), finish);
