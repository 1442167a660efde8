/**
 * Fill form and Undo for any certificate source, shared by the popup (a token certificate or a
 * certificate file) and the Verify page (a signer's certificate): the same background action
 * (`fill-form`, which picks the frames by their own origins), the same result list, the same question
 * about other sites' frames, the same undo.
 *
 * data-testid, each with the caller's prefix (the popup's token part has none, so its ids are
 * `fill-result`…; a certificate file's are `file-fill-result`…): fill-result, other-frames
 * (data-origins), fill-other-frames, undo-result, fill-error.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../shared/protocol/cas-token-error.js';
import type { FillSummary } from '../background/actions/fill-form.js';
import { askBackground } from '../common/ask-background.js';
import type { FillSource } from '../../shared/protocol/extension-messages.js';
import { ErrorNotice } from './error-text.js';
import { plural, t } from '../common/i18n.js';
import { FillResultView } from './popup/fill-result-view.js';

/** `source`: what the last fill used (the other frames get the same). */
export interface FillState {
  busy: boolean;
  summary?: FillSummary;
  source?: FillSource;
  error?: ErrorPayload;
  restored?: number;
}

/** The tab to fill: the one the page was opened for (`?tab=`), else the active tab of this window. */
export async function targetTab(explicit: number | undefined): Promise<number | undefined> {
  if (explicit !== undefined && !Number.isNaN(explicit)) return explicit;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

export interface FormFill {
  fill: FillState;
  fillForm(source: FillSource): Promise<void>;
  /** The user agreed to fill the frames of the other sites named: those origins only, on the same page. */
  fillOtherFrames(source: FillSource, first: FillSummary): Promise<void>;
  undo(): Promise<void>;
}

/** `tab()` answers which tab to fill when the user clicks (undefined: no tab, said as an error). */
export function useFormFill(tab: () => Promise<number | undefined>): FormFill {
  const [fill, setFill] = useState<FillState>({ busy: false });
  const tabOrFail = async (): Promise<number> => {
    const tabId = await tab();
    if (tabId === undefined) throw new CasTokenError('INVALID_ARGUMENT', t('noTab'));
    return tabId;
  };
  return {
    fill,
    async fillForm(source) {
      setFill({ busy: true });
      try {
        const summary = await askBackground<FillSummary>({ type: 'fill-form', tabId: await tabOrFail(), certificate: source });
        setFill({ busy: false, summary, source });
      } catch (error) {
        setFill({ busy: false, error: CasTokenError.toSafePayload(error) });
      }
    },
    async fillOtherFrames(source, first) {
      setFill({ busy: true, summary: first, source });
      try {
        const more = await askBackground<FillSummary>({ type: 'fill-form', tabId: await tabOrFail(), certificate: source, origins: first.otherOrigins, topOrigin: first.topOrigin });
        setFill({ busy: false, source, summary: { filled: first.filled + more.filled, reports: [...first.reports, ...more.reports], topOrigin: first.topOrigin, otherOrigins: [] } });
      } catch (error) {
        setFill({ busy: false, source, summary: { ...first, otherOrigins: [] }, error: CasTokenError.toSafePayload(error) });
      }
    },
    async undo() {
      setFill((current) => ({ ...current, busy: true }));
      try {
        const { restored } = await askBackground<{ restored: number }>({ type: 'undo-fill', tabId: await tabOrFail() });
        setFill({ busy: false, restored });
      } catch (error) {
        setFill((current) => ({ ...current, busy: false, error: CasTokenError.toSafePayload(error) }));
      }
    },
  };
}

/** What the last fill did (at the top of its page, in view): the fields filled and left, other sites to ask about, undo's count, an error. */
export function FillOutcome({ fill, prefix = '', onFillOtherFrames }: { fill: FillState; prefix?: string; onFillOtherFrames(source: FillSource, first: FillSummary): void }) {
  const result = useRef<HTMLDivElement>(null);
  // A result out of sight is no result: bring it into view.
  useEffect(() => result.current?.scrollIntoView?.({ block: 'nearest' }), [fill.summary]);
  return (
    <div class="results" ref={result} data-testid={`${prefix}popup-results`}>
      {fill.summary && <FillResultView summary={fill.summary} prefix={prefix} />}
      {fill.summary && fill.source && fill.summary.otherOrigins.length > 0 && (
        <div class="notice warn" data-testid={`${prefix}other-frames`} data-origins={fill.summary.otherOrigins.join(' ')} role="alert">
          <p>{t('fillOtherFramesQuestion', [fill.summary.otherOrigins.join(', ')])}</p>
          <button type="button" data-testid={`${prefix}fill-other-frames`} disabled={fill.busy} onClick={() => onFillOtherFrames(fill.source!, fill.summary!)}>
            {t('fillOtherFrames')}
          </button>
        </div>
      )}
      {fill.restored !== undefined && !fill.summary && (
        <p class="notice" data-testid={`${prefix}undo-result`} role="status">
          {plural('fieldsRestored', fill.restored)}
        </p>
      )}
      {fill.error && <ErrorNotice error={fill.error} testId={`${prefix}fill-error`} />}
    </div>
  );
}
