/**
 * The demo CAS site's server side: it checks the signatures its page receives with independent tools
 * (OpenSSL for hashes and CAdES, pdfsig for PAdES, xmlsec1 for XAdES), as a real CAS back office would.
 * POST /api/check-signature  { kind: 'hash'|'cades'|'pades'|'xades', data?, signature?, certificate?, hashAlgorithm? } (base64)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function readBody(request: IncomingMessage, limit = 80 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface CheckRequest {
  kind: 'hash' | 'cades' | 'pades' | 'xades';
  data?: string;
  signature?: string;
  certificate?: string;
  hashAlgorithm?: string;
}

async function check(request: CheckRequest, caFile: string | undefined): Promise<{ valid: boolean; tool: string; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cas-demo-check-'));
  const file = (name: string, base64?: string): Promise<string> => writeFile(join(dir, name), Buffer.from(base64 ?? '', 'base64')).then(() => join(dir, name));
  const outcome = async (tool: string, command: string, args: string[], ok: (out: string) => boolean) => {
    const result = await run(command, args, { encoding: 'utf8' }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { stdout?: string; stderr?: string }) => ({ code: 1, out: (e.stdout ?? '') + (e.stderr ?? '') }),
    );
    return { valid: result.code === 0 && ok(result.out), tool, output: result.out.trim().slice(0, 2000) };
  };
  try {
    if (request.kind === 'hash') {
      const cert = await file('cert.der', request.certificate);
      const pub = join(dir, 'pub.pem');
      await writeFile(pub, (await run('openssl', ['x509', '-inform', 'DER', '-in', cert, '-pubkey', '-noout'], { encoding: 'utf8' })).stdout);
      const digest = await file('digest.bin', request.data);
      const signature = await file('sig.bin', request.signature);
      const md = (request.hashAlgorithm ?? 'SHA-256').toLowerCase().replace('-', '');
      return await outcome('openssl pkeyutl', 'openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-in', digest, '-sigfile', signature, '-pkeyopt', `digest:${md}`], (o) =>
        /Signature Verified Successfully/.test(o),
      );
    }
    if (request.kind === 'cades') {
      const content = await file('content.bin', request.data);
      const p7s = await file('content.p7s', request.signature);
      const trust = caFile ? ['-CAfile', caFile] : ['-noverify'];
      return await outcome('openssl cms', 'openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content, ...trust, '-out', '/dev/null'], (o) =>
        /Verification successful/.test(o),
      );
    }
    if (request.kind === 'pades') {
      const pdf = await file('signed.pdf', request.data);
      return await outcome('pdfsig', 'pdfsig', [pdf], (o) => /Signature is Valid/.test(o) && !/Signature is Invalid/.test(o));
    }
    const xml = await file('signed.xml', request.data);
    const trust = caFile ? ['--trusted-pem', caFile] : ['--insecure'];
    return await outcome('xmlsec1', 'xmlsec1', ['--verify', ...trust, '--id-attr:Id', 'SignedProperties', xml], (o) => /^OK/m.test(o));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The route; `caFile` is the CA the demo trusts (the demo token's CA), if known. */
export function signatureCheckRoute(caFile?: string) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (request.method !== 'POST' || request.url !== '/api/check-signature') return false;
    try {
      const body = JSON.parse(await readBody(request)) as CheckRequest;
      const result = await check(body, caFile);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result));
    } catch (error) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ valid: false, tool: 'none', output: (error as Error).message }));
    }
    return true;
  };
}
