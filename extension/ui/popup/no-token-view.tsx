/**
 * No token inserted: asks to insert it, and watches — while this view is shown, the host's token list
 * is read every TOKEN_POLL_MS and the popup moves on by itself once a token is there (Try again too).
 *
 * data-testid: no-token-watching.
 */
import { useEffect } from 'preact/hooks';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import { askBackground } from '../../common/ask-background.js';
import { t } from '../../common/i18n.js';

export const TOKEN_POLL_MS = 1500;

export function NoTokenView({ onTokenFound, onTryAgain }: { onTokenFound(): void; onTryAgain(): void }) {
  useEffect(() => {
    let stopped = false;
    let asking = false;
    const poll = setInterval(() => {
      if (asking) return;
      asking = true;
      askBackground<StatusResult>({ type: 'status' }).then(
        (status) => {
          asking = false;
          if (!stopped && status.tokens.length > 0) onTokenFound();
        },
        () => {
          asking = false;
        },
      );
    }, TOKEN_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(poll);
    };
  }, []);
  return (
    <div class="notice warn">
      <p>{t('noToken')}</p>
      <p class="detail" data-testid="no-token-watching">
        {t('noTokenWatching')}
      </p>
      <button type="button" onClick={onTryAgain}>
        {t('tryAgain')}
      </button>
    </div>
  );
}
