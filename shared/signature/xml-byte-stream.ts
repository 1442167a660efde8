/**
 * XML bytes (UTF-8) read chunk by chunk into a saxes parser (namespaces on), with the parser's positions
 * mapped back to byte offsets: where the streamed XAdES signer cuts the file to put the signature in.
 * Kept apart from the canonicaliser so that what signs in the extension (a DOM) does not load saxes.
 */
import { SaxesParser } from 'saxes';
import { CasTokenError } from '../protocol/cas-token-error.js';

export const NOT_WELL_FORMED = 'This is not well-formed XML.';

/** Node's native count where there is one (a whole chunk's length is asked for each chunk read). */
const nativeByteLength = (globalThis as { Buffer?: { byteLength(text: string, encoding: 'utf8'): number } }).Buffer?.byteLength;

/** UTF-8 length of `text[from, to)` (well-formed UTF-16: a surrogate pair is 4 bytes). */
function utf8Length(text: string, from: number, to: number): number {
  if (nativeByteLength) return nativeByteLength(from === 0 && to === text.length ? text : text.slice(from, to), 'utf8');
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

interface DecodedChunk {
  /** Where it starts in the decoded text (UTF-16 code units, as the parser counts) and in the bytes. */
  charStart: number;
  byteStart: number;
  text: string;
}

/** Bytes decoded and given to the parser at a time. */
const DECODED_PIECE_BYTES = 64 * 1024;

/**
 * Reads UTF-8 XML bytes, chunk by chunk, into a saxes parser (namespaces on), and maps the parser's
 * positions back to byte offsets for the chunks read last (enough for any tag's own offsets).
 */
export class XmlByteStream {
  readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private recent: DecodedChunk[] = [];
  private chars = 0;
  private bytes = 0;
  private error: Error | undefined;
  /** Whether the bytes started with a UTF-8 byte-order mark. */
  bom = false;

  constructor() {
    this.parser.on('error', (error) => {
      this.error ??= error;
    });
  }

  /** Feeds bytes; throws INVALID_ARGUMENT when they are not well-formed XML in UTF-8. */
  write(bytes: Uint8Array): void {
    if (this.bytes === 0 && this.chars === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      this.bom = true;
      this.bytes = 3;
    }
    // In pieces: text decoded from a 1 MiB chunk at once is a string V8 makes in its large-object space
    // (fresh memory each time), ~7 times slower to decode than the same bytes 64 KiB at a time.
    for (let at = 0; at < bytes.length; at += DECODED_PIECE_BYTES) {
      let text: string;
      try {
        text = this.decoder.decode(bytes.subarray(at, at + DECODED_PIECE_BYTES), { stream: true });
      } catch {
        throw new CasTokenError('INVALID_ARGUMENT', 'This XML is not valid UTF-8.');
      }
      this.feed(text);
    }
  }

  close(): void {
    let text: string;
    try {
      text = this.decoder.decode();
    } catch {
      throw new CasTokenError('INVALID_ARGUMENT', 'This XML is not valid UTF-8.');
    }
    this.feed(text);
    this.parser.close();
    this.check();
  }

  private feed(text: string): void {
    if (!text) return;
    // The chunks read last, back to at least 64 Ki characters before this one: a tag's `<` is that close.
    this.recent.push({ charStart: this.chars, byteStart: this.bytes, text });
    while (this.recent.length > 2 && this.chars - this.recent[1]!.charStart >= 65536) this.recent.shift();
    this.chars += text.length;
    this.bytes += utf8Length(text, 0, text.length);
    this.parser.write(text);
    this.check();
  }

  private check(): void {
    if (this.error) {
      const error = this.error;
      this.error = undefined;
      throw error instanceof CasTokenError ? error : new CasTokenError('INVALID_ARGUMENT', NOT_WELL_FORMED);
    }
  }

  /** Stops the parse from an event handler with this error (thrown by the write in progress). */
  fail(error: Error): void {
    this.error ??= error;
  }

  /** The byte offset of a parser position (in the chunks read last). */
  byteOffset(position: number): number {
    for (const chunk of this.recent) {
      if (position >= chunk.charStart && position <= chunk.charStart + chunk.text.length) return chunk.byteStart + utf8Length(chunk.text, 0, position - chunk.charStart);
    }
    throw new CasTokenError('INTERNAL_ERROR', 'An XML position outside what was read.');
  }

  /** The byte offset of the `<` that starts the tag the parser is in or just read (`opentagstart`, `opentag`, `closetag`): O(chunk), for a few tags. */
  tagStartOffset(): number {
    const position = this.parser.position - 1;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const chunk = this.recent[i]!;
      const from = Math.min(position - chunk.charStart, chunk.text.length - 1);
      if (from < 0) continue;
      const at = chunk.text.lastIndexOf('<', from);
      if (at >= 0) return chunk.byteStart + utf8Length(chunk.text, 0, at);
    }
    throw new CasTokenError('INTERNAL_ERROR', 'An XML tag outside what was read.');
  }
}
