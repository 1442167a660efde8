/**
 * What the PIN window says about a document a page sent: never the page's name as it came. The name
 * is cleaned of bidi overrides (`Reteta_\u202Efdp.xml` would read `Reteta_lmx.pdf`), control and
 * zero-width characters, its whitespace collapsed (195 no-break spaces hid the real extension) and
 * long names shortened in the middle, so the end stays visible; the type comes from the bytes; the
 * SHA-256 lets the user compare with what the site shows.
 */
import type { PromptDocument } from '../prompt-windows.js';
import { bytesToHex as hex } from '../../../shared/encoding/hex.js';
import { asBufferSource } from '../../../shared/encoding/buffer-source.js';

/** Bidi embeddings, overrides, isolates and marks; zero-width and invisible formatting characters. */
// eslint-disable-next-line no-misleading-character-class -- U+034F (a combining mark) is listed on purpose, to be removed
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u00ad\u034f\u180e]/gu;
/** C0 and C1 controls (tabs and new lines included: a file name has none). */
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/gu;
/** Any run of whitespace, the no-break and typographic spaces included. */
const SPACES = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

export const DISPLAY_NAME_MAX = 60;

/** The name as the PIN window shows it. */
export function displayName(name: string, max = DISPLAY_NAME_MAX): string {
  const cleaned = name.normalize('NFC').replace(INVISIBLE, '').replace(CONTROLS, ' ').replace(SPACES, ' ').trim();
  const characters = [...cleaned];
  if (characters.length === 0) return '?';
  if (characters.length <= max) return cleaned;
  const tail = Math.floor((max - 1) / 2);
  const head = max - 1 - tail;
  return `${characters.slice(0, head).join('')}…${characters.slice(-tail).join('')}`;
}

/** What the bytes are, whatever the name says. */
export function contentType(bytes: Uint8Array): PromptDocument['type'] {
  if (bytes.length === 0) return 'empty';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'pdf';
  const text = head.replace(/^\ufeff|^\u00ef\u00bb\u00bf/, '').trimStart();
  if (text.startsWith('<?xml') || /^<[A-Za-z_][\w.:-]*[\s>/]/.test(text) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'xml';
  return looksLikeText(bytes.subarray(0, 4096)) ? 'text' : 'binary';
}

function looksLikeText(sample: Uint8Array): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(sample.length === 4096 ? trimPartialUtf8(sample) : sample);
    // eslint-disable-next-line no-control-regex -- control characters (but tab and new lines) mean binary
    return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  } catch {
    return false;
  }
}

/** Drops a UTF-8 sequence cut at the end of a sample. */
function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const byte = bytes[end - i]!;
    if ((byte & 0xc0) === 0x80) continue;
    if ((byte & 0xc0) === 0xc0) end -= i;
    break;
  }
  return bytes.subarray(0, end);
}

const EXTENSION_TYPES: Record<string, PromptDocument['type'][]> = {
  pdf: ['pdf'],
  xml: ['xml'],
  txt: ['text', 'empty'],
  csv: ['text', 'empty'],
};

/** The name's extension claims a type the content is not (a `.pdf` that is XML). */
export function typeMismatch(name: string, type: PromptDocument['type']): boolean {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(displayName(name, Number.MAX_SAFE_INTEGER))?.[1]?.toLowerCase();
  const expected = extension ? EXTENSION_TYPES[extension] : undefined;
  if (expected) return !expected.includes(type);
  // Any other extension: only a PDF or XML hiding behind it is worth saying.
  return false;
}

/** The PIN window's row for a document (without its format and refusal, which the caller adds). */
export async function shownDocument(name: string, data: Uint8Array): Promise<Pick<PromptDocument, 'name' | 'size' | 'type' | 'typeMismatch' | 'sha256'>> {
  const type = contentType(data);
  const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', asBufferSource(data))));
  return { name: displayName(name), size: data.length, type, ...(typeMismatch(name, type) ? { typeMismatch: true } : {}), sha256 };
}
