/**
 * What "Fill form" did, shown at the top of the popup: how many fields were filled and with what, and
 * which were left as they were and why, in the user's language.
 *
 * data-testid: fill-result, fill-skipped (one per field left as it was, data-why = the reason code).
 */
import type { FillSummary } from '../../background/actions/fill-form.js';
import type { SkippedField } from '../../content/fill/fill-page.js';
import { formatCount, plural, t } from '../i18n.js';
import { WrappedValue } from './wrapped-value.js';

function skipReason(skipped: SkippedField): string {
  switch (skipped.why) {
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
  }
}

export function FillResultView({ summary }: { summary: FillSummary }) {
  const filled = summary.reports.flatMap((r) => r.filled);
  const skipped = summary.reports.flatMap((r) => r.skipped);
  return (
    <div class={`notice ${summary.filled ? 'good' : 'warn'}`} data-testid="fill-result" role="status">
      <p>{summary.filled ? plural('fieldsFilled', summary.filled) : t('noFieldsFound')}</p>
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
              <li key={i} data-testid="fill-skipped" data-why={s.why}>
                {s.label}: {skipReason(s)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
