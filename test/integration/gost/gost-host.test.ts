/**
 * The page SDK's `sign` / `signHashes` with `hashAlgorithm: 'GOST3411-2012-256' | 'GOST3411-2012-512'`,
 * from where the extension hands them on: the page message schema accepts them (32 / 64 bytes), and the
 * built native host, on the GOST test token, signs a Streebog digest that OpenSSL computed; `openssl dgst
 * -engine gost -verify` checks the signature over the document itself. (The browser part of the path,
 * page → content bridge → background, is the same for every hash algorithm and is covered by the e2e suite.)
 */
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedRequestResult, HostReply, SignResult } from '../../../shared/protocol/host-messages.js';
import { pageDocumentSchema, pageParamsSchemas } from '../../../shared/protocol/page-messages.js';
import { signedFileName } from '../../../shared/protocol/signed-file-names.js';
import { startNativeHost } from '../../support/native-host-process.js';
import type { NativeHostProcess } from '../../support/native-host-process.js';
import { GOST_TEST_PIN, openssl, opensslVerdict, useGostTestToken } from '../../support/gost-token.js';
import type { GostEndEntity, GostPki } from '../../support/gost-token.js';

const gost = useGostTestToken('cas-token-gost-host-');
let dir: string;
let pki: GostPki;
let host: NativeHostProcess;
const users: Record<'g256' | 'g512', GostEndEntity> = {} as never;

function result<T>(reply: HostReply): T {
  if (!('ok' in reply) || !reply.ok) throw new Error(`expected success, got ${JSON.stringify(reply)}`);
  return reply.result as T;
}

beforeAll(() => {
  ({ dir, pki } = gost);
  const token = gost.token;
  users.g256 = pki.issue('host256', 'gost2012_256', '0x0100');
  users.g512 = pki.issue('host512', 'gost2012_512', '0x0200');
  token.addUser('01', users.g256, 'host 256');
  token.addKeyPair('02', users.g512.keyPemPath);
  token.addCertificate('02', users.g512.certificateDer, 'host 512');
  host = startNativeHost({ ...token.env, CAS_TOKEN_MODULES: token.modulePath });
});

afterAll(async () => {
  await host?.close();
});

describe('GOST digests from a page', () => {
  it('the page schema takes GOST3411-2012-256/512 with 32/64-byte hashes and refuses other lengths', () => {
    const hash32 = Buffer.alloc(32, 7).toString('base64');
    const hash64 = Buffer.alloc(64, 7).toString('base64');
    expect(pageParamsSchemas.sign.safeParse({ hash: hash32, hashAlgorithm: 'GOST3411-2012-256' }).success).toBe(true);
    expect(pageParamsSchemas.signHashes.safeParse({ hashes: [hash64, hash64], hashAlgorithm: 'GOST3411-2012-512' }).success).toBe(true);
    expect(pageParamsSchemas.sign.safeParse({ hash: hash32, hashAlgorithm: 'GOST3411-2012-512' }).success).toBe(false);
    expect(pageParamsSchemas.sign.safeParse({ hash: hash32, hashAlgorithm: 'GOST3411-2012' }).success).toBe(false);
  });

  it('a page may ask for attached CAdES (.sig) in signDocument(s)', () => {
    const document = { name: 'reestr.xml', data: Buffer.from('<r/>').toString('base64'), format: 'cades', attached: true };
    expect(pageDocumentSchema.safeParse(document).success).toBe(true);
    expect(pageParamsSchemas.signDocuments.safeParse({ documents: [document], hashAlgorithm: 'GOST3411-2012-256' }).success).toBe(true);
    expect(signedFileName('reestr.xml', 'cades', true)).toBe('reestr.xml.sig');
    expect(signedFileName('reestr.xml', 'cades')).toBe('reestr.xml.p7s');
  });

  for (const [user, hashAlgorithm, md] of [
    ['g256', 'GOST3411-2012-256', 'md_gost12_256'],
    ['g512', 'GOST3411-2012-512', 'md_gost12_512'],
  ] as const) {
    it(`the native host signs ${hashAlgorithm} digests that openssl dgst -engine gost -verify accepts over the documents`, async () => {
      const documents = [randomBytes(5000), randomBytes(17)].map((bytes, index) => {
        const path = join(dir, `${user}-document-${index}`);
        writeFileSync(path, bytes);
        return path;
      });
      const digests = documents.map((path) => Buffer.from(openssl(['dgst', '-engine', 'gost', `-${md}`, '-binary', path])).toString('base64'));
      const signed = result<SignResult>(
        await host.request({ id: `sign-${user}`, command: 'sign', certificate: { serialNumber: users[user].serialNumber }, hashAlgorithm, digests, pin: GOST_TEST_PIN }),
      );
      expect(signed.algorithm).toMatchObject({ scheme: 'gost', hashAlgorithm });
      const publicKey = join(dir, `${user}.pub.pem`);
      openssl(['x509', '-engine', 'gost', '-in', users[user].certificatePemPath, '-noout', '-pubkey', '-out', publicKey]);
      signed.signatures.forEach((signature, index) => {
        const signatureFile = `${documents[index]}.sig`;
        writeFileSync(signatureFile, Buffer.from(signature, 'base64'));
        const verdict = opensslVerdict(['dgst', '-engine', 'gost', `-${md}`, '-verify', publicKey, '-signature', signatureFile, documents[index]!]);
        expect(verdict.output).toMatch(/Verified OK/);
        // The other document's signature does not fit this one.
        writeFileSync(signatureFile, Buffer.from(signed.signatures[1 - index]!, 'base64'));
        expect(opensslVerdict(['dgst', '-engine', 'gost', `-${md}`, '-verify', publicKey, '-signature', signatureFile, documents[index]!]).ok).toBe(false);
      });
    });
  }

  it('refuses a SHA-256 digest for a GOST key with INVALID_ARGUMENT', async () => {
    const reply = await host.request({
      id: 'sha',
      command: 'sign',
      certificate: { serialNumber: users.g256.serialNumber },
      hashAlgorithm: 'SHA-256',
      digests: [Buffer.alloc(32).toString('base64')],
      pin: GOST_TEST_PIN,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('generateRequest (the Renew page) makes a GOST request on the chosen parameter set that openssl req -verify accepts', async () => {
    const made = result<GeneratedRequestResult>(
      await host.request({
        id: 'renew',
        command: 'generateRequest',
        keyType: 'gost2012-256',
        gostParamset: 'cryptopro-A',
        subject: { fromCertificate: { serialNumber: users.g256.serialNumber } },
        pin: GOST_TEST_PIN,
      }),
    );
    const path = join(dir, 'renew.pem');
    writeFileSync(path, made.request);
    const verdict = opensslVerdict(['req', '-engine', 'gost', '-in', path, '-noout', '-verify', '-text']);
    expect(verdict.output).toMatch(/self-signature verify OK/); // (openssl 3.0 exits 0 either way)
    expect(verdict.output).toMatch(/id-GostR3410-2001-CryptoPro-A-ParamSet/);
    expect(verdict.output).toContain('CN = host256');
  });
});
