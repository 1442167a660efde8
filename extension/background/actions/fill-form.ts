/**
 * Fill form: injects the filler into every frame of the tab (only now, never resident; it carries no
 * certificate data), asks each frame for its own origin and how many certificate fields it has, and
 * then sends the certificate's values only to the frames of the allowed origins, each of which checks
 * its origin again before filling. The reply sums what the frames filled and names the other origins
 * whose frames have fields, so that the popup can ask the user about them.
 *
 * A page's data never flows into another origin's frame: the page SDK fills only frames of the page's
 * own origin; the popup fills the top frame's origin first and other origins only after the user has
 * seen them and agreed. Both the probe and the fill run in the extension's isolated world, where a
 * page cannot fake `self.origin`. The saved provider profile goes along only on the user's own click
 * in the popup (`withProviderProfile`), never on a page SDK request, under the same origin rules.
 */
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { fillValuesFromDetails } from '../../content/fill/fill-values.js';
import type { FillReport } from '../../content/fill/fill-page.js';
import type { FillValues } from '../../content/fill/fill-values.js';
import type { CasTokenFillApi } from '../../content/fill/inject.js';
import type { CertificateValues, FillSource } from '../../../shared/protocol/extension-messages.js';
import { nativeHost } from '../host-connection.js';
import { loadProviderProfile, providerFillValues } from '../provider-profile-store.js';
import { allowedOrigins, framesToFill, otherFillableOrigins } from './fill-frame-choice.js';
import type { FillOrigins, FrameProbe } from './fill-frame-choice.js';

export const FILL_SCRIPT = 'content/fill.js';

export interface FillOptions {
  /** Default 'same-as-top': the frames of the top frame's origin. */
  origins?: FillOrigins;
  /** Fill only while the tab's top frame still has this origin (the popup's second step: the page the user saw). */
  topOrigin?: string;
  timeZone?: string;
  /** The saved provider profile's values too (the popup: the user's own click), for the form's provider section. */
  withProviderProfile?: boolean;
}

export interface FillSummary {
  filled: number;
  reports: FillReport[];
  /** The top frame's own origin when the fill ran. */
  topOrigin: string;
  /** Origins of frames with fields that this fill left alone (never an opaque one): the popup asks about them. */
  otherOrigins: string[];
}

type FillScope = typeof globalThis & { casTokenFill?: CasTokenFillApi };

/**
 * The values to fill: a token certificate is looked up on the token again; a certificate that is not
 * on a token (a file the user picked, a signer on the Verify page) comes as its values from the
 * extension page that read it (the router answers only this extension's pages). Either way the frames
 * that receive them are chosen below by their own origins, as for any fill.
 */
async function detailsOf(source: FillSource): Promise<CertificateValues> {
  if ('values' in source) return source.values;
  const certificates = await nativeHost.request('certificates', {});
  const chosen = certificates.find((c) => c.id === source.id && c.token.serial === source.tokenSerial);
  if (!chosen) throw new CasTokenError('CERTIFICATE_NOT_FOUND', 'The chosen certificate is no longer on the token: insert the token and choose again.');
  return chosen.details;
}

export async function fillFormAction(tabId: number, certificate: FillSource, options: FillOptions = {}): Promise<FillSummary> {
  const values = fillValuesFromDetails(await detailsOf(certificate), options.timeZone);
  if (options.withProviderProfile) {
    const provider = providerFillValues(await loadProviderProfile());
    if (provider) values.provider = provider;
  }
  let probes: FrameProbe[];
  try {
    await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, files: [FILL_SCRIPT] });
    const found = await chrome.scripting.executeScript({
      target: { tabId, allFrames: true },
      func: () => {
        const api = (globalThis as FillScope).casTokenFill;
        return { origin: self.origin, fillable: api ? api.detect().filter((field) => !field.blocked).length : 0 };
      },
    });
    probes = found.flatMap((r) => (r.result && typeof r.result.origin === 'string' ? [{ frameId: r.frameId, origin: r.result.origin, fillable: Number(r.result.fillable) || 0 }] : []));
  } catch (error) {
    throw new CasTokenError('INVALID_ARGUMENT', `This page cannot be filled (${(error as Error).message}).`);
  }
  const topOrigin = probes.find((probe) => probe.frameId === 0)?.origin;
  if (topOrigin === undefined) throw new CasTokenError('INVALID_ARGUMENT', 'This page cannot be filled (its top frame did not answer).');
  if (options.topOrigin !== undefined && options.topOrigin !== topOrigin) {
    throw new CasTokenError('INVALID_ARGUMENT', `The tab now shows ${topOrigin}, not ${options.topOrigin}: nothing was filled. Click Fill form again.`);
  }
  const allowed = allowedOrigins(options.origins ?? 'same-as-top', topOrigin);
  const frameIds = framesToFill(probes, allowed);
  const reports: FillReport[] = [];
  if (frameIds.length > 0) {
    const results = await chrome.scripting
      .executeScript({
        target: { tabId, frameIds },
        // A frame that navigated since the probe has another origin now: it checks and fills nothing.
        func: (fillValues: FillValues, origins: string[]) => (origins.includes(self.origin) ? ((globalThis as FillScope).casTokenFill?.fill(fillValues) ?? null) : null),
        args: [values, [...allowed]],
      })
      .catch((error: Error) => {
        throw new CasTokenError('INVALID_ARGUMENT', `The page changed while it was being filled (${error.message}): click Fill form again.`);
      });
    for (const r of results) if (r.result) reports.push(r.result as FillReport);
  }
  return { filled: reports.reduce((sum, r) => sum + r.filled.length, 0), reports, topOrigin, otherOrigins: otherFillableOrigins(probes, allowed) };
}
