/** Bytes → hex in any JavaScript runtime: lower case, two digits a byte, optionally separated. */
export function bytesToHex(bytes: Uint8Array | ArrayBuffer, separator = ''): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join(separator);
}
