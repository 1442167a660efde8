/**
 * The popup's footer: the version, and "Report a problem", which copies the facts support needs
 * (problem-report.ts: what `cas-token doctor` would paste, nothing secret) and says so. No help link:
 * the project has no site to send users to (each popup state says itself what to do).
 *
 * data-testid: popup-version, report-problem, report-result, report-text.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import { askBackground } from '../../common/ask-background.js';
import { t } from '../../common/i18n.js';
import { problemReport } from './problem-report.js';

export function extensionVersion(): string {
  return chrome.runtime.getManifest?.().version ?? '';
}

export function PopupFooter({ shown, shownError }: { shown: string; shownError?: { code: string; message: string } }) {
  const [report, setReport] = useState<{ text: string; copied: boolean } | undefined>();
  const shownReport = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // After this frame's layout (the popup may still grow above it): the result in view.
    const frame = requestAnimationFrame(() => shownReport.current?.scrollIntoView({ block: 'nearest' }));
    return () => cancelAnimationFrame(frame);
  }, [report]);
  async function reportProblem(): Promise<void> {
    const status = await askBackground<StatusResult>({ type: 'status' }).catch((error: unknown) => ({ error: CasTokenError.toSafePayload(error) }));
    const text = problemReport({ extensionVersion: extensionVersion(), userAgent: navigator.userAgent, status, shown, ...(shownError ? { shownError } : {}) });
    const copied = await navigator.clipboard.writeText(text).then(
      () => true,
      () => false,
    );
    setReport({ text, copied });
  }
  return (
    <footer class="popup-footer">
      {report && (
        <div ref={shownReport} class={`notice ${report.copied ? 'good' : 'warn'}`} data-testid="report-result" role="status">
          <p>{report.copied ? t('reportCopied') : t('reportCopyFailed')}</p>
          {!report.copied && <textarea class="mono" data-testid="report-text" readOnly rows={6} value={report.text} />}
        </div>
      )}
      <nav>
        <button type="button" class="link" data-testid="report-problem" onClick={() => void reportProblem()}>
          {t('reportProblem')}
        </button>
        <span class="version" data-testid="popup-version">
          {t('footerVersion', [extensionVersion()])}
        </span>
      </nav>
    </footer>
  );
}
