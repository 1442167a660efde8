/**
 * Options: the sites the user allowed (or refused) to use the token, and to have bare digests signed
 * (content the extension cannot show), each revocable (revoking forgets both).
 * data-testid: origin-row (data-origin), revoke.
 */
import { useEffect, useState } from 'preact/hooks';
import { forgetDecision, originDecisions } from '../../background/allowed-origins.js';
import type { OriginDecision } from '../../background/allowed-origins.js';
import { t } from '../../common/i18n.js';

export function Options() {
  const [decisions, setDecisions] = useState<Record<string, OriginDecision> | undefined>();
  const load = (): void => void originDecisions().then(setDecisions);
  useEffect(load, []);
  const entries = Object.entries(decisions ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <main style="max-width: 720px">
      <h1>{t('optionsTitle')}</h1>
      <p>{t('optionsExplanation')}</p>
      {decisions && entries.length === 0 && <p class="notice">{t('noSites')}</p>}
      {entries.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th>{t('site')}</th>
              <th>{t('decision')}</th>
              <th>{t('digestDecision')}</th>
              <th>{t('since')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map(([origin, decision]) => (
              <tr key={origin} data-testid="origin-row" data-origin={origin}>
                <td class="mono">{origin}</td>
                <td>{decision.allowed ? t('allowed') : t('denied')}</td>
                <td data-testid="digest-decision">{decision.digests ? (decision.digests.allowed ? t('allowed') : t('denied')) : '—'}</td>
                <td>{new Date(decision.decidedAt).toLocaleString()}</td>
                <td>
                  <button type="button" data-testid="revoke" onClick={() => void forgetDecision(origin).then(load)}>
                    {t('revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
