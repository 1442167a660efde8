/**
 * What "Fill form" did, shown at the top of the popup: how many fields were filled and with what, and
 * which were left as they were and why, in the user's language.
 *
 * data-testid (with the caller's prefix): fill-result, fill-not-certificate (validity of another record left
 * empty), fill-skipped (one per field left as it was, data-why = the reason code).
 */
import type { FillSummary } from '../../background/actions/fill-form.js';
import type { SkippedField } from '../../content/fill/fill-page.js';
import { formatCount, plural, t } from '../../common/i18n.js';
import { WrappedValue } from './wrapped-value.js';

function skipReason(skipped: SkippedField): string {
  switch (skipped.code) {
    case 'disabled':
      return t('skipDisabled');
    case 'read-only':
      return t('skipReadOnly');
    case 'no-value':
      return t('skipNoValue');
    case 'no-option':
      return t('skipNoOption');
    case 'user-value':
      return t('skipUserValue');
    case 'too-long':
      return t('skipTooLong', [formatCount(skipped.maxLength ?? 0)]);
    case 'not-certificate-record':
      return t('skipNotCertificateRecord');
  }
}

export function FillResultView({ summary, prefix = '' }: { summary: FillSummary; prefix?: string }) {
  const filled = summary.reports.flatMap((r) => r.filled);
  const skipped = summary.reports.flatMap((r) => r.skipped);
  // Validity fields of the provider's, a contract's or a work point's own record were left empty: say why.
  const otherRecord = skipped.some((s) => s.code === 'not-certificate-record');
  return (
    <div class={`notice ${summary.filled ? 'good' : 'warn'}`} data-testid={`${prefix}fill-result`} role="status">
      {!(otherRecord && !summary.filled) && <p>{summary.filled ? plural('fieldsFilled', summary.filled) : t('noFieldsFound')}</p>}
      {otherRecord && <p data-testid={`${prefix}fill-not-certificate`}>{t('fillNotCertificateRecord')}</p>}
      {filled.length > 0 && (
        <ul>
          {filled.map((f, i) => (
            <li key={i}>
              {f.label}:{' '}
              <span class="mono value">
                <WrappedValue value={f.value} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {skipped.length > 0 && (
        <>
          <p class="skipped-title">{plural('fieldsSkipped', skipped.length)}</p>
          <ul>
            {skipped.map((s, i) => (
              <li key={i} data-testid={`${prefix}fill-skipped`} data-why={s.code}>
                {s.label}: {skipReason(s)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
