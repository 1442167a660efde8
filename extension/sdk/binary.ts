/** Bytes ↔ base64 for the page SDK (the extension moves binary data as base64). */
import { base64ToBytes, bytesToBase64 } from '../../shared/encoding/base64.js';

export type BinaryInput = Uint8Array | ArrayBuffer | Blob | string;

export async function toBase64(input: BinaryInput): Promise<string> {
  if (typeof input === 'string') return input; // already base64
  return bytesToBase64(input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input instanceof Uint8Array ? input : new Uint8Array(input));
}

/** The bytes an input holds (a string is base64), known without converting it. */
export function byteLengthOf(input: BinaryInput): number {
  if (typeof input === 'string') return Math.floor((input.length * 3) / 4);
  return input instanceof Blob ? input.size : input.byteLength;
}

export { base64ToBytes as fromBase64 };
