/** The text of an XML or text document as the PIN window shows it: by its byte-order mark or declared encoding, bounded. */

/** Characters shown at most (the rest is counted). */
export const TEXT_SHOWN_MAX = 512 * 1024;

function encodingOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^\s*<\?xml[^?]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1] ?? 'utf-8';
}

export function documentText(bytes: Uint8Array): { text: string; truncated: boolean } {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encodingOf(bytes));
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  // Decode a little more than is shown (UTF-16 takes two bytes a character), never the whole of a huge file.
  const text = decoder.decode(bytes.subarray(0, TEXT_SHOWN_MAX * 4));
  // Control and bidi characters are shown as visible marks, not obeyed.
  const visible = text.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
  return { text: visible.slice(0, TEXT_SHOWN_MAX), truncated: visible.length > TEXT_SHOWN_MAX || bytes.length > TEXT_SHOWN_MAX * 4 };
}
