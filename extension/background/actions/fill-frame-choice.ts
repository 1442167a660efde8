/**
 * Which frames of a tab Fill form may fill. Each frame reports its own origin (`self.origin`, as the
 * frame's script sees it: an about:blank or srcdoc frame has its creator's origin, a sandboxed or
 * data: frame the opaque origin 'null'), never the URL it was loaded from. A frame is filled only when
 * that origin is one of the origins allowed for this fill; an opaque origin never is.
 */

/** What the probe (injected before anything is filled, carrying no certificate data) found in one frame. */
export interface FrameProbe {
  frameId: number;
  /** The frame's own origin, as it reported it. */
  origin: string;
  /** Certificate fields in the frame that Fill form would fill (found and not read-only or disabled). */
  fillable: number;
}

/** Which origins to fill: the top frame's (the page SDK, and the popup's first step), or an explicit list the user agreed to. */
export type FillOrigins = 'same-as-top' | readonly string[];

export const OPAQUE_ORIGIN = 'null';

/** The origins a fill may write into, given the top frame's reported origin. */
export function allowedOrigins(origins: FillOrigins, topOrigin: string | undefined): Set<string> {
  const wanted = origins === 'same-as-top' ? (topOrigin === undefined ? [] : [topOrigin]) : origins;
  return new Set(wanted.filter((origin) => origin !== OPAQUE_ORIGIN && origin !== ''));
}

/** The frames whose reported origin is allowed. */
export function framesToFill(probes: readonly FrameProbe[], allowed: ReadonlySet<string>): number[] {
  return probes.filter((probe) => allowed.has(probe.origin)).map((probe) => probe.frameId);
}

/**
 * Other origins whose frames have fields this fill left alone: what the popup asks the user about
 * ("Also fill the form in frames of: …?"). Opaque frames are never offered. In the order found.
 */
export function otherFillableOrigins(probes: readonly FrameProbe[], allowed: ReadonlySet<string>): string[] {
  const others = new Set<string>();
  for (const probe of probes) {
    if (probe.fillable > 0 && probe.origin !== OPAQUE_ORIGIN && !allowed.has(probe.origin)) others.add(probe.origin);
  }
  return [...others];
}
