/** The token's PIN field and the step's submit button, as each step of the Renew page that uses the token ends. */
import type { RefObject } from 'preact';
import { t } from '../../common/i18n.js';

export function PinAndSubmit(props: { pinRef: RefObject<HTMLInputElement | null>; pinTestId: string; submitTestId: string; submitLabel: string; busy: boolean }) {
  return (
    <>
      <label class="field">
        {t('pinLabel')}
        <input ref={props.pinRef} type="password" autoComplete="off" data-testid={props.pinTestId} />
      </label>
      <button type="submit" class="primary" data-testid={props.submitTestId} disabled={props.busy}>
        {props.submitLabel}
      </button>
    </>
  );
}
