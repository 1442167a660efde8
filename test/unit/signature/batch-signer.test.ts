/**
 * One PIN for a batch: the batch signer collects the digests of builders running at once, calls
 * `signDigests` once (one token login), and gives each builder the signature of ITS digest. Signatures
 * here are real RSA PKCS#1 v1.5 signatures by a software key; each is checked by recovering the digest
 * it signs with the certificate's public key.
 */
import { createHash, publicDecrypt, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { createBatchSigner } from '../../../shared/signature/batch-signer.js';
import type { DigestFeed } from '../../../shared/signature/batch-signer.js';
import { signDigestInSoftware } from '../../support/software-signer.js';
import { createTestPki } from '../../support/test-pki.js';
import type { TestPki } from '../../support/test-pki.js';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.dispose());

interface Recorder {
  calls: { digests: Uint8Array[]; hashAlgorithm: HashAlgorithm }[];
  signDigests(digests: Uint8Array[], hashAlgorithm: HashAlgorithm): Promise<Uint8Array[]>;
}

/** The token's side of a batch: records each call (one call = one login) and signs for real. */
function tokenLike(): Recorder {
  const calls: Recorder['calls'] = [];
  return {
    calls,
    async signDigests(digests, hashAlgorithm) {
      calls.push({ digests, hashAlgorithm });
      return digests.map((digest) => signDigestInSoftware(pki.rsa, digest, hashAlgorithm, 'rsa-pkcs1'));
    },
  };
}

/** The digest an RSA PKCS#1 v1.5 signature signs, recovered with the signing certificate's public key. */
function signedDigestOf(signature: Uint8Array): Buffer {
  const digestInfo = publicDecrypt(new X509Certificate(pki.rsa.certificateDer).publicKey, signature);
  const parsed = new pkijs.DigestInfo({ schema: asn1js.fromBER(new Uint8Array(digestInfo)).result });
  return Buffer.from(parsed.digest.valueBlock.valueHexView);
}

const digestOf = (label: string, algorithm = 'sha256'): Uint8Array => new Uint8Array(createHash(algorithm).update(label).digest());
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

describe('createBatchSigner', () => {
  it('signs the digests of builders running at once in ONE call, each builder getting its own signature', async () => {
    const token = tokenLike();
    const signer = createBatchSigner({ certificate: pki.rsa.certificateDer, expected: 12, signDigests: token.signDigests });
    const digests = Array.from({ length: 12 }, (_, i) => digestOf(`document ${i}`));
    // Builders finish hashing in any order.
    const signatures = await Promise.all(
      digests.map(async (digest, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
        return signer.signDigest(digest, 'SHA-256');
      }),
    );
    expect(token.calls).toHaveLength(1);
    expect(token.calls[0]!.digests).toHaveLength(12);
    signatures.forEach((signature, i) => expect(signedDigestOf(signature).equals(Buffer.from(digests[i]!))).toBe(true));
  });

  it('waits for every expected builder, and a builder that failed before asking withdraws', async () => {
    const token = tokenLike();
    const signer = createBatchSigner({ certificate: pki.rsa.certificateDer, expected: 3, signDigests: token.signDigests });
    const first = signer.signDigest(digestOf('a'), 'SHA-256');
    const second = signer.signDigest(digestOf('b'), 'SHA-256');
    await settle();
    expect(token.calls).toHaveLength(0); // the third document is still being read: no PIN prompt yet
    signer.withdraw(); // …and it turned out not to be a PDF
    const [a, b] = await Promise.all([first, second]);
    expect(token.calls).toHaveLength(1);
    expect(signedDigestOf(a).equals(Buffer.from(digestOf('a')))).toBe(true);
    expect(signedDigestOf(b).equals(Buffer.from(digestOf('b')))).toBe(true);
  });

  it('hands each builder its signature as the token delivers it, before the call ends; a token pulled out later keeps the delivered ones', async () => {
    let pulledOut: (error: unknown) => void = () => undefined;
    const signer = createBatchSigner({
      certificate: pki.rsa.certificateDer,
      expected: 4,
      signDigests: (digests, hashAlgorithm, deliver) =>
        new Promise((_resolve, reject) => {
          // The first two made, then the token is removed.
          deliver(
            0,
            digests.slice(0, 2).map((digest) => signDigestInSoftware(pki.rsa, digest, hashAlgorithm, 'rsa-pkcs1')),
          );
          pulledOut = reject;
        }),
    });
    const digests = [0, 1, 2, 3].map((i) => digestOf(`factura-${i}`));
    const results = digests.map((digest) => signer.signDigest(digest, 'SHA-256'));
    const early = await Promise.all(results.slice(0, 2));
    early.forEach((signature, i) => expect(signedDigestOf(signature).equals(Buffer.from(digests[i]!))).toBe(true));
    pulledOut(new CasTokenError('NO_TOKEN', 'The token was removed'));
    const late = await Promise.allSettled(results.slice(2));
    expect(late.map((r) => r.status === 'rejected' && (r.reason as CasTokenError).code)).toEqual(['NO_TOKEN', 'NO_TOKEN']);
    expect((await Promise.allSettled(results.slice(0, 2))).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('a batch where every document withdrew never reaches the token', async () => {
    const token = tokenLike();
    const signer = createBatchSigner({ certificate: pki.rsa.certificateDer, expected: 2, signDigests: token.signDigests });
    signer.withdraw();
    signer.withdraw();
    await settle();
    expect(token.calls).toHaveLength(0);
  });

  it('when the token refuses (wrong PIN), every waiting builder rejects with that error', async () => {
    let calls = 0;
    const wrongPin = new CasTokenError('PIN_INCORRECT', 'Wrong PIN', { attemptsLeft: 2 });
    const signer = createBatchSigner({
      certificate: pki.rsa.certificateDer,
      expected: 4,
      signDigests: async () => {
        calls += 1;
        throw wrongPin;
      },
    });
    const results = await Promise.allSettled([0, 1, 2, 3].map((i) => signer.signDigest(digestOf(`d${i}`), 'SHA-256')));
    expect(calls).toBe(1);
    for (const result of results) expect(result).toEqual({ status: 'rejected', reason: wrongPin });
  });

  it('a signDigests that throws at once still rejects every builder (none is left waiting)', async () => {
    const signer = createBatchSigner({
      certificate: pki.rsa.certificateDer,
      expected: 2,
      signDigests: () => {
        throw new CasTokenError('NO_TOKEN', 'The token was removed');
      },
    });
    const results = await Promise.allSettled([signer.signDigest(digestOf('x'), 'SHA-256'), signer.signDigest(digestOf('y'), 'SHA-256')]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as CasTokenError).code)).toEqual(['NO_TOKEN', 'NO_TOKEN']);
  });

  it('a token answer with the wrong number of signatures fails every builder instead of mixing them up', async () => {
    const signer = createBatchSigner({
      certificate: pki.rsa.certificateDer,
      expected: 2,
      signDigests: async (digests, hashAlgorithm) => [signDigestInSoftware(pki.rsa, digests[0]!, hashAlgorithm, 'rsa-pkcs1')],
    });
    const results = await Promise.allSettled([signer.signDigest(digestOf('x'), 'SHA-256'), signer.signDigest(digestOf('y'), 'SHA-256')]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as CasTokenError).code)).toEqual(['INTERNAL_ERROR', 'INTERNAL_ERROR']);
  });

  it('digests of different hash algorithms go in one call per algorithm', async () => {
    const token = tokenLike();
    const signer = createBatchSigner({ certificate: pki.rsa.certificateDer, expected: 3, signDigests: token.signDigests });
    const [a, b, c] = await Promise.all([signer.signDigest(digestOf('a'), 'SHA-256'), signer.signDigest(digestOf('b', 'sha384'), 'SHA-384'), signer.signDigest(digestOf('c'), 'SHA-256')]);
    expect(token.calls.map((call) => [call.hashAlgorithm, call.digests.length]).sort()).toEqual([
      ['SHA-256', 2],
      ['SHA-384', 1],
    ]);
    expect(signedDigestOf(a!).equals(Buffer.from(digestOf('a')))).toBe(true);
    expect(signedDigestOf(b!).equals(Buffer.from(digestOf('b', 'sha384')))).toBe(true);
    expect(signedDigestOf(c!).equals(Buffer.from(digestOf('c')))).toBe(true);
  });

  it('a builder asking beyond the expected count is still signed (in a call of its own)', async () => {
    const token = tokenLike();
    const signer = createBatchSigner({ certificate: pki.rsa.certificateDer, expected: 1, signDigests: token.signDigests });
    await signer.signDigest(digestOf('expected'), 'SHA-256');
    const extra = await signer.signDigest(digestOf('extra'), 'SHA-256');
    expect(token.calls).toHaveLength(2);
    expect(signedDigestOf(extra).equals(Buffer.from(digestOf('extra')))).toBe(true);
  });

  it('forOneDocument: a document failing before it asks is no longer waited for; one failing after asking still counts', async () => {
    const token = tokenLike();
    const batch = createBatchSigner({ certificate: pki.rsa.certificateDer, expected: 3, signDigests: token.signDigests });
    const digest = new Uint8Array(createHash('sha256').update('Factura 1').digest());
    const results = await Promise.allSettled([
      batch.forOneDocument(async () => {
        throw new CasTokenError('DOCUMENT_LOCKED', 'certified with no changes allowed');
      }),
      batch.forOneDocument((signer) => signer.signDigest(digest, 'SHA-256')),
      batch.forOneDocument(async (signer) => {
        await signer.signDigest(digest, 'SHA-256');
        throw new CasTokenError('INTERNAL_ERROR', 'failed while embedding the signature');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(token.calls).toHaveLength(1); // one login for the two that asked, nobody left hanging
    expect(token.calls[0]!.digests).toHaveLength(2);
  });
});

describe('createBatchSigner with a digest feed (the cas-token command: the PIN is had before the first document is read)', () => {
  /** The token's side of a feed: one call, signs each digest as it comes (in software), records when. */
  function feedToken(): { calls: number; seen: string[]; signDigestFeed: NonNullable<Parameters<typeof createBatchSigner>[0]['signDigestFeed']> } {
    const token = {
      calls: 0,
      seen: [] as string[],
      async signDigestFeed(feed: DigestFeed, hashAlgorithm: HashAlgorithm, deliver: (index: number, signature: Uint8Array) => void): Promise<void> {
        token.calls += 1;
        for (let digest = await feed.next(), index = 0; digest !== undefined; digest = await feed.next(), index++) {
          token.seen.push(Buffer.from(digest).toString('hex'));
          deliver(index, signDigestInSoftware(pki.rsa, digest, hashAlgorithm, 'rsa-pkcs1'));
        }
      },
    };
    return token;
  }

  it('signs each document as soon as it asks, in ONE call, while later documents are still being read', async () => {
    const token = feedToken();
    const signer = createBatchSigner({ certificate: pki.rsa.certificateDer, expected: 3, signDigestFeed: token.signDigestFeed });
    const first = await signer.signDigest(digestOf('factura-1'), 'SHA-256'); // signed before the others have even asked
    expect(signedDigestOf(first).equals(Buffer.from(digestOf('factura-1')))).toBe(true);
    const [second, third] = await Promise.all([signer.signDigest(digestOf('factura-2'), 'SHA-256'), signer.signDigest(digestOf('factura-3'), 'SHA-256')]);
    expect(signedDigestOf(second).equals(Buffer.from(digestOf('factura-2')))).toBe(true);
    expect(signedDigestOf(third).equals(Buffer.from(digestOf('factura-3')))).toBe(true);
    expect(token.calls).toBe(1);
    expect(token.seen).toHaveLength(3);
  });

  it('ends when every document has asked or withdrawn; a withdrawn document does not hold the others', async () => {
    const token = feedToken();
    let ended = false;
    const signer = createBatchSigner({
      certificate: pki.rsa.certificateDer,
      expected: 3,
      signDigestFeed: (feed, hash, deliver) => token.signDigestFeed(feed, hash, deliver).then(() => void (ended = true)),
    });
    const a = signer.signDigest(digestOf('a'), 'SHA-256');
    await a;
    await settle();
    expect(ended).toBe(false); // two documents may still ask
    signer.withdraw(); // one turned out not to be a PDF
    const b = await signer.signDigest(digestOf('b'), 'SHA-256');
    expect(signedDigestOf(b).equals(Buffer.from(digestOf('b')))).toBe(true);
    await settle();
    expect(ended).toBe(true);
    await expect(signer.signDigest(digestOf('late'), 'SHA-256')).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
  });

  it('a refusal (wrong PIN) is every document’s, those waiting and those asking later; the PIN is tried once', async () => {
    let calls = 0;
    const wrongPin = new CasTokenError('PIN_INCORRECT', 'Wrong PIN', { attemptsLeft: 2 });
    const signer = createBatchSigner({
      certificate: pki.rsa.certificateDer,
      expected: 3,
      signDigestFeed: async (feed) => {
        calls += 1;
        await feed.next();
        throw wrongPin;
      },
    });
    const early = await Promise.allSettled([signer.signDigest(digestOf('x'), 'SHA-256'), signer.signDigest(digestOf('y'), 'SHA-256')]);
    const late = await Promise.allSettled([signer.signDigest(digestOf('z'), 'SHA-256')]);
    expect(calls).toBe(1);
    for (const result of [...early, ...late]) expect(result).toEqual({ status: 'rejected', reason: wrongPin });
  });

  it('a digest the token gave nothing for fails its document; another hash algorithm in the same batch is refused', async () => {
    const signer = createBatchSigner({
      certificate: pki.rsa.certificateDer,
      expected: 3,
      signDigestFeed: async (feed, hashAlgorithm, deliver) => {
        const digest = await feed.next();
        deliver(0, signDigestInSoftware(pki.rsa, digest!, hashAlgorithm, 'rsa-pkcs1'));
        await feed.next(); // taken, never signed
        while ((await feed.next()) !== undefined);
      },
    });
    const signed = signer.signDigest(digestOf('one'), 'SHA-256');
    const dropped = signer.signDigest(digestOf('two'), 'SHA-256');
    await expect(signer.signDigest(digestOf('three', 'sha384'), 'SHA-384')).rejects.toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringContaining('one hash algorithm') });
    // The refused document counts as having asked: the feed does not wait for it.
    expect(signedDigestOf(await signed).equals(Buffer.from(digestOf('one')))).toBe(true);
    await expect(dropped).rejects.toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringContaining('no signature') });
  });
});
