// Cold start of the native host: spawn → the reply to a first `status` request, the bundled .cjs run by
// this Node against the single executable, interleaved so both see the same machine load.
//   node scripts/packaging/cold-start.js [runs=30] [dist/sea/linux-x64/cas-token-host]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './node-runtime.js';

function frame(message) {
  const payload = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length);
  return Buffer.concat([header, payload]);
}

/** Milliseconds from spawn to the complete first reply. */
function firstStatus(command, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      env: { PATH: '/usr/bin:/bin', CAS_TOKEN_MODULES: '/nonexistent/libpkcs11.so' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let received = Buffer.alloc(0);
    child.stdout.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readUInt32LE(0)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const reply = JSON.parse(received.subarray(4, 4 + received.readUInt32LE(0)).toString('utf8'));
        child.stdin.end();
        child.once('exit', () => (reply.ok ? resolve(ms) : reject(new Error(JSON.stringify(reply)))));
      }
    });
    child.once('error', reject);
    child.stdin.write(frame({ id: '1', command: 'status' }));
  });
}

const runs = Number(process.argv[2] ?? 30);
const sea = process.argv[3] ?? join(repositoryRoot, 'dist', 'sea', 'linux-x64', 'cas-token-host');
const candidates = {
  [`bundle (.cjs, Node ${process.version})`]: [process.execPath, [join(repositoryRoot, 'dist', 'host', 'cas-token-host.cjs'), 'chrome-extension://x/']],
  'single executable': [sea, ['chrome-extension://x/']],
};
const times = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, [command, args]] of Object.entries(candidates)) times[name].push(await firstStatus(command, args));
}
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
for (const [name, list] of Object.entries(times)) {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} median ${quantile(sorted, 0.5).toFixed(0)} ms  p10 ${quantile(sorted, 0.1).toFixed(0)} ms  p90 ${quantile(sorted, 0.9).toFixed(0)} ms  (${runs} runs)`);
}
