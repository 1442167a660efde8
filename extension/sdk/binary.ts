/** Bytes ↔ base64 for the page SDK (the extension moves binary data as base64). */
export type BinaryInput = Uint8Array | ArrayBuffer | Blob | string;

export async function toBase64(input: BinaryInput): Promise<string> {
  if (typeof input === 'string') return input; // already base64
  const bytes = input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input instanceof Uint8Array ? input : new Uint8Array(input);
  let text = '';
  const chunk = 0x8000;
  for (let offset = 0; offset < bytes.length; offset += chunk) text += String.fromCharCode(...bytes.subarray(offset, offset + chunk));
  return btoa(text);
}

export function fromBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
