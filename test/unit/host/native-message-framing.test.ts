import { describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_INCOMING_FRAME_BYTES, MAX_SKIPPABLE_FRAME_BYTES, encodeFrame } from '../../../native-host/host/native-message-framing.js';

const frameOf = (text: string): Buffer => encodeFrame(JSON.parse(text));

describe('native messaging framing', () => {
  it('reads frames split across chunks at every byte boundary', () => {
    const stream = Buffer.concat([frameOf('{"id":"a","command":"status"}'), frameOf('{"id":"b","command":"tokens"}')]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder();
      const events = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(events.map((e) => (e.kind === 'frame' ? JSON.parse(Buffer.from(e.payload).toString()).id : e.kind))).toEqual(['a', 'b']);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('skips a frame over the limit, reports it, and reads the next one', () => {
    const decoder = new FrameDecoder();
    const big = Buffer.alloc(4 + MAX_INCOMING_FRAME_BYTES + 10, 0x41);
    big.writeUInt32LE(MAX_INCOMING_FRAME_BYTES + 10, 0);
    const events = decoder.push(Buffer.concat([big, frameOf('{"id":"next"}')]));
    expect(events[0]).toEqual({ kind: 'too-large', length: MAX_INCOMING_FRAME_BYTES + 10 });
    expect(events[1]?.kind).toBe('frame');
    expect(events).toHaveLength(2);
  });

  it('declares an absurd length unreadable instead of waiting for gigabytes', () => {
    const decoder = new FrameDecoder();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(MAX_SKIPPABLE_FRAME_BYTES + 1, 0);
    expect(decoder.push(header)).toEqual([{ kind: 'unreadable', length: MAX_SKIPPABLE_FRAME_BYTES + 1 }]);
  });

  it('counts the bytes of a frame cut off by the end of the stream', () => {
    const decoder = new FrameDecoder();
    const frame = frameOf('{"id":"x"}');
    decoder.push(frame.subarray(0, 7));
    expect(decoder.pendingBytes).toBe(7);
  });

  it('encodes the length as 4 bytes little-endian of the UTF-8 bytes', () => {
    const frame = encodeFrame({ label: 'Ștefan' });
    expect(frame.readUInt32LE(0)).toBe(Buffer.byteLength('{"label":"Ștefan"}', 'utf8'));
    expect(frame.subarray(4).toString('utf8')).toBe('{"label":"Ștefan"}');
  });
});
