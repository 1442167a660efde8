/**
 * Bytes as WebCrypto takes them (a view over an ArrayBuffer): the same view when it is one — WebCrypto
 * copies what it hashes anyway, so a copy here would be a second one (a batch of 300 PDFs is 75 MB) —
 * and a copy only when the bytes are over a SharedArrayBuffer.
 */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
