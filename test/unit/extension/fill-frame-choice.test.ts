/**
 * Which frames Fill form may write the certificate into, from what each frame reported about itself:
 * the page's own origin only (an opaque frame never), and the other sites' origins only when named.
 */
import { describe, expect, it } from 'vitest';
import { allowedOrigins, framesToFill, otherFillableOrigins } from '../../../extension/background/actions/fill-frame-choice.js';
import type { FrameProbe } from '../../../extension/background/actions/fill-frame-choice.js';

const PAGE = 'https://cas.example.ro';
const probes: FrameProbe[] = [
  { frameId: 0, origin: PAGE, fillable: 2 },
  { frameId: 3, origin: PAGE, fillable: 1 }, // a same-origin iframe, or an about:blank one the page wrote
  { frameId: 4, origin: 'https://forms.example.net', fillable: 4 },
  { frameId: 5, origin: 'https://ads.example.com', fillable: 0 }, // no certificate fields: not worth asking about
  { frameId: 6, origin: 'null', fillable: 4 }, // sandboxed or data: frame
  { frameId: 7, origin: 'https://forms.example.net', fillable: 1 },
];

describe('the frames Fill form fills', () => {
  it('the page SDK and the first step of the popup: the top frame origin only', () => {
    const allowed = allowedOrigins('same-as-top', PAGE);
    expect(framesToFill(probes, allowed)).toEqual([0, 3]);
    expect(otherFillableOrigins(probes, allowed)).toEqual(['https://forms.example.net']);
  });

  it('the origins the user agreed to, and only those', () => {
    const allowed = allowedOrigins(['https://forms.example.net'], PAGE);
    expect(framesToFill(probes, allowed)).toEqual([4, 7]);
    expect(otherFillableOrigins(probes, allowed)).toEqual([PAGE]);
  });

  it('never an opaque frame, even when asked for by name; nothing when the top frame is opaque', () => {
    expect(framesToFill(probes, allowedOrigins(['null', ''], PAGE))).toEqual([]);
    const opaqueTop: FrameProbe[] = [
      { frameId: 0, origin: 'null', fillable: 3 },
      { frameId: 1, origin: 'null', fillable: 3 },
    ];
    const allowed = allowedOrigins('same-as-top', 'null');
    expect(framesToFill(opaqueTop, allowed)).toEqual([]);
    expect(otherFillableOrigins(opaqueTop, allowed)).toEqual([]);
  });
});
