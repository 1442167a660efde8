/**
 * Files signed from disk in a batch under one PIN, streamed: at most `concurrency` documents are read
 * at a time, and while a document waits for the token (one call for every digest, or — the CLI — a
 * digest feed that signs each as it comes) it holds only what it still needs — a PDF's appended
 * section (a few KB) and its digest, a detached CAdES's digest — not its bytes. So a month of invoices
 * costs a few documents of memory, whatever their number.
 *
 *  - PAdES: the file is read, the update prepared and hashed (original bytes + section, in parts),
 *    the output written as the original bytes followed by the section into `OUTPUT.partial`; after the
 *    signature, the CMS's hex is written in place at /Contents and the file renamed to OUTPUT.
 *  - CAdES detached and raw (SHA-2): the file is hashed in chunks as it is read; never held whole.
 *  - CAdES attached (SHA-2): hashed in chunks likewise; the output is the signature's DER before the
 *    content, the file's bytes copied in chunks, the DER after it, into `OUTPUT.partial` renamed once complete.
 *  - XAdES of XML over XADES_MAX_BYTES (SHA-2): streamed (shared/signature/xades-streamed.ts): read in
 *    chunks through a SAX parser, the canonical form hashed as it goes, the output written as the
 *    original bytes with the signature put in place, into `OUTPUT.partial` renamed once complete.
 *  - Smaller XAdES, and Streebog digests (GOST keys): the document in memory, as before.
 *
 * File calls are synchronous: a command-line batch has nothing else to do meanwhile, and each
 * asynchronous call is a round trip through libuv's thread pool (thousands of them in a month's batch).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync, writevSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { HashAlgorithm } from '../../shared/protocol/token-types.js';
import type { BatchSignerOptions } from '../../shared/signature/batch-signer.js';
import { createDetachedSignedData, signedDataAround } from '../../shared/signature/cms-signed-data.js';
import { signDocumentBatch } from '../../shared/signature/document-batch.js';
import { padesContents, preparePades } from '../../shared/signature/pades.js';
import type { DocMdpPermissions } from '../../shared/signature/pades.js';
import type { VisibleSignature } from '../../shared/signature/visible-signature.js';
import type { XmlByteSource } from '../../shared/signature/xades-streamed.js';
import { MAX_XADES_STREAMED_BYTES, XADES_MAX_BYTES } from '../../shared/protocol/limits.js';
import { digestOf, nodeHash } from '../../shared/signature/signer.js';
import type { Signer } from '../../shared/signature/signer.js';

export type FileFormat = 'pades' | 'cades' | 'xades' | 'raw';

export interface FileToSign {
  input: string;
  output: string;
  format: FileFormat;
  /** The output replaces a file the user named (said in the output line). */
  replaced?: boolean;
}

export interface FileSigningOptions {
  hashAlgorithm: HashAlgorithm;
  certify?: DocMdpPermissions;
  attached?: boolean;
  /** PDFs: a visible signature box (its font included) and the signer's name shown in it. */
  visible?: VisibleSignature;
  name?: string;
  /** Documents read and prepared at the same time (default 2). */
  concurrency?: number;
  /** Called once per file whose content is empty (0 bytes), before it is signed. */
  onEmpty?: (input: string) => void;
  /** Each file as it ends (`done` of all), signed or failed. */
  onSettled?: (index: number, result: PromiseSettledResult<FileToSign>, done: number) => void;
}

/** The signing certificate (and its CA chain) and the one token call for every digest of the batch. */
export type BatchSigning = Omit<BatchSignerOptions, 'expected'>;

/**
 * A place to work on one document, with the buffer its bytes are read into: reused from one document
 * to the next, so a batch allocates a couple of buffers, not one per file (which the garbage collector
 * would free only later: RSS would grow with the batch).
 */
interface Place {
  buffer: Buffer;
}

/** The whole file read into the place's buffer (grown when too small): a view valid until the place is released. */
function readInto(place: Place, path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw cannotRead(path);
  }
  try {
    const size = fstatSync(fd).size;
    if (place.buffer.length < size) place.buffer = Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const read = readSync(fd, place.buffer, at, size - at, at);
      if (read === 0) break;
      at += read;
    }
    return place.buffer.subarray(0, at);
  } catch {
    throw cannotRead(path);
  } finally {
    closeSync(fd);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw cannotRead(path);
  }
}

const cannotRead = (input: string): CasTokenError => new CasTokenError('INVALID_ARGUMENT', `Cannot read ${input}.`);

function readWhole(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw cannotRead(path);
  }
}

/** A file opened for reading, or the error that names it. */
function openForReading(path: string): number {
  try {
    return openSync(path, 'r');
  } catch {
    throw cannotRead(path);
  }
}

/** A file's bytes in 1 MiB chunks (one buffer, reused: use each chunk before asking for the next). */
function* fileChunks(path: string): Generator<Buffer> {
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  const fd = openForReading(path);
  try {
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      yield chunk.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

/** SHA-2 of a file read in 1 MiB chunks, and its size. */
function hashFile(path: string, hashAlgorithm: HashAlgorithm): { digest: Uint8Array; size: number } {
  const hash = nodeHash(hashAlgorithm)!;
  let size = 0;
  try {
    for (const chunk of fileChunks(path)) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (error) {
    throw error instanceof CasTokenError ? error : cannotRead(path);
  }
  return { digest: new Uint8Array(hash.digest()), size };
}

/** A file read in 1 MiB chunks, as many times as asked, and in ranges. */
function fileSource(path: string): XmlByteSource {
  const withFile = <T>(use: (fd: number) => T): T => {
    const fd = openForReading(path);
    try {
      return use(fd);
    } finally {
      closeSync(fd);
    }
  };
  return {
    chunks: () => fileChunks(path),
    range: (from, to) =>
      withFile((fd) => {
        const bytes = Buffer.alloc(Math.max(0, to - from));
        return bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, from));
      }),
  };
}

/** Bytes [from, to) of one file appended to another (in 1 MiB chunks). */
function copyRange(fromFd: number, toFd: number, from: number, to: number): void {
  const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, Math.max(1, to - from)));
  for (let at = from; at < to;) {
    const read = readSync(fromFd, chunk, 0, Math.min(chunk.length, to - at), at);
    if (read === 0) break;
    writeSync(toFd, chunk, 0, read);
    at += read;
  }
}

/** XAdES of a large XML, streamed: the signature computed from chunks, the output the original bytes with it in place. */
async function signLargeXmlFile(file: FileToSign, size: number, signer: Signer, options: FileSigningOptions): Promise<void> {
  if (size > MAX_XADES_STREAMED_BYTES) {
    throw new CasTokenError('FILE_TOO_LARGE', `XML documents over ${MAX_XADES_STREAMED_BYTES / 1024 / 1024} MB cannot be signed as XAdES; sign it as CAdES (.p7s) instead.`);
  }
  // The XML code (SAX parser, canonicaliser) is loaded for XML only: a PDF batch does not compile it.
  const { signXadesStreamed } = await import('../../shared/signature/xades-streamed.js');
  const signed = await signXadesStreamed(fileSource(file.input), signer, { hashAlgorithm: options.hashAlgorithm });
  writeAroundInput(file, (input, output) => {
    copyRange(input, output, 0, signed.cutStart);
    writevSync(output, [signed.before, signed.signature, signed.after]);
    copyRange(input, output, signed.cutEnd, size);
  });
}

/**
 * The output written from the input file by `write` into `OUTPUT.partial`, renamed to OUTPUT once
 * complete: nothing half-written is left under the final name (nor at all, on failure).
 */
function writeAroundInput(file: FileToSign, write: (input: number, output: number) => void): void {
  const partial = `${file.output}.partial`;
  try {
    const input = openForReading(file.input);
    try {
      const output = openSync(partial, 'w');
      try {
        write(input, output);
      } finally {
        closeSync(output);
      }
    } finally {
      closeSync(input);
    }
    renameSync(partial, file.output);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Attached CAdES of a file read in chunks: the content's bytes are copied from the file between the signature's DER before and after them. */
async function signAttachedCadesFile(file: FileToSign, signer: Signer, options: FileSigningOptions, released: () => void): Promise<void> {
  const { hashAlgorithm } = options;
  const { digest, size } = hashFile(file.input, hashAlgorithm);
  if (size === 0) options.onEmpty?.(file.input);
  released();
  const { before, after } = await signedDataAround(digest, size, signer, { hashAlgorithm, signingTime: new Date() });
  writeAroundInput(file, (input, output) => {
    writeSync(output, before);
    copyRange(input, output, 0, size);
    writeSync(output, after);
    // Shorter than it was hashed: it changed meanwhile, and the signature would not match what is inside.
    if (fstatSync(output).size !== before.length + size + after.length) throw new CasTokenError('INVALID_ARGUMENT', `${file.input} changed while it was signed.`);
  });
}

/** FlateDecode by node's zlib: a PDF's object and cross-reference streams read ~4× faster than by pdf-lib (pdf-stream-bytes.ts). */
const nativeInflate = (deflated: Uint8Array): Uint8Array => inflateSync(deflated);

async function signPadesFile(file: FileToSign, signer: Signer, options: FileSigningOptions, place: Place, released: () => void): Promise<void> {
  const partial = `${file.output}.partial`;
  let prepared;
  try {
    // The file's bytes, in the place's buffer: used until the output is written, then the place goes to the next file.
    const pdf = readInto(place, file.input);
    if (pdf.length === 0) options.onEmpty?.(file.input);
    prepared = await preparePades(pdf, signer, {
      hashAlgorithm: options.hashAlgorithm,
      inflate: nativeInflate,
      ...(options.certify ? { certify: options.certify } : {}),
      ...(options.visible ? { visible: options.visible, ...(options.name !== undefined ? { name: options.name } : {}) } : {}),
    });
    const fd = openSync(partial, 'w');
    try {
      writevSync(fd, [pdf, prepared.section]);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  released();
  try {
    const contents = await padesContents(prepared, signer);
    const fd = openSync(partial, 'r+');
    try {
      writeSync(fd, contents, 0, contents.length, prepared.contentsAt + 1);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file.output);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Signs every file under one login (one `signDigests` call with every digest, or a `signDigestFeed`), each file's
 * failure its own: the results are in the order of `files`. The batch is `signDocumentBatch`'s, the
 * one the extension's Sign files page runs too.
 */
export async function signFiles(files: FileToSign[], signing: BatchSigning, options: FileSigningOptions): Promise<PromiseSettledResult<FileToSign>[]> {
  const { hashAlgorithm } = options;
  const places: Place[] = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, () => ({ buffer: Buffer.alloc(0) }));
  let lastTurn = Promise.resolve();
  const nextTurn = (): Promise<void> => (lastTurn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve))));
  return signDocumentBatch<FileToSign, Place>({
    ...signing,
    count: files.length,
    places,
    sign: async (index, signer, place, release) => {
      // Each file on a turn of the event loop of its own: its preparation is synchronous work (and
      // promises, which do not yield), and the token's last signature is handed back, and the next one
      // started, only between turns — two files in one turn would leave the token idle half the time.
      await nextTurn();
      const file = files[index]!;
      const streamable = nodeHash(hashAlgorithm) !== undefined;
      if (file.format === 'pades') {
        await signPadesFile(file, signer, options, place, release);
      } else if (streamable && file.format === 'xades' && fileSize(file.input) > XADES_MAX_BYTES) {
        await signLargeXmlFile(file, fileSize(file.input), signer, options);
      } else if (streamable && file.format === 'cades' && options.attached) {
        await signAttachedCadesFile(file, signer, options, release);
      } else if (streamable && (file.format === 'raw' || file.format === 'cades')) {
        const { digest, size } = hashFile(file.input, hashAlgorithm);
        if (size === 0) options.onEmpty?.(file.input);
        release();
        const signed = file.format === 'raw' ? await signer.signDigest(digest, hashAlgorithm) : await createDetachedSignedData(digest, signer, { hashAlgorithm, signingTime: new Date() });
        writeFileSync(file.output, signed);
      } else {
        const whole = readWhole(file.input);
        const data = new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength); // a view, not a second copy
        if (data.length === 0) options.onEmpty?.(file.input);
        const signed =
          file.format === 'raw'
            ? await signer.signDigest(await digestOf(data, hashAlgorithm), hashAlgorithm)
            : await (await import('../../shared/signature/index.js')).signDocument(file.format, data, signer, { hashAlgorithm, ...(options.attached ? { attached: true } : {}) });
        writeFileSync(file.output, signed);
      }
      return file;
    },
    ...(options.onSettled ? { onSettled: options.onSettled } : {}),
  });
}
