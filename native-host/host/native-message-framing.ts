/**
 * Native messaging framing: 4-byte little-endian length, then that many bytes of UTF-8 JSON.
 * The reader never trusts a length: an over-long frame is skipped (and reported), an absurd one
 * (the stream is clearly not native messaging) ends the session cleanly.
 */
import { MAX_HOST_MESSAGE_BYTES } from '../../shared/protocol/limits.js';

/** Frames up to this size are read whole; bigger ones are answered MESSAGE_TOO_LARGE. */
export const MAX_INCOMING_FRAME_BYTES = MAX_HOST_MESSAGE_BYTES;
/** Beyond this the length prefix is garbage: skipping would mean waiting for gigabytes. */
export const MAX_SKIPPABLE_FRAME_BYTES = 64 * 1024 * 1024;

export type FrameEvent = { kind: 'frame'; payload: Uint8Array } | { kind: 'too-large'; length: number } | { kind: 'unreadable'; length: number };

/** Incremental decoder: push chunks, get events. Keeps at most one frame in memory. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  private skipping = 0;

  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    let data = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    for (;;) {
      if (this.skipping > 0) {
        const skipped = Math.min(this.skipping, data.length);
        this.skipping -= skipped;
        data = data.subarray(skipped);
        if (this.skipping > 0) break;
      }
      if (data.length < 4) break;
      const length = data.readUInt32LE(0);
      if (length > MAX_SKIPPABLE_FRAME_BYTES) {
        events.push({ kind: 'unreadable', length });
        data = Buffer.alloc(0);
        break;
      }
      if (length > MAX_INCOMING_FRAME_BYTES) {
        events.push({ kind: 'too-large', length });
        this.skipping = length;
        data = data.subarray(4);
        continue;
      }
      if (data.length < 4 + length) break;
      events.push({ kind: 'frame', payload: data.subarray(4, 4 + length) });
      data = data.subarray(4 + length);
    }
    this.buffered = Buffer.from(data);
    return events;
  }

  /** Bytes of an unfinished frame when the stream ended (0 = ended cleanly between frames). */
  get pendingBytes(): number {
    return this.buffered.length + this.skipping;
  }
}

export function encodeFrame(message: unknown): Buffer {
  const json = JSON.stringify(message);
  const frame = Buffer.allocUnsafe(4 + Buffer.byteLength(json, 'utf8'));
  frame.writeUInt32LE(frame.length - 4, 0);
  frame.write(json, 4, 'utf8');
  return frame;
}
