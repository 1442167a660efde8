/**
 * Expiry watch: whenever certificates are read (and once a day through an alarm), a certificate with a
 * private key that expires within 30 days (or has expired) puts a badge on the icon and raises ONE
 * notification per certificate saying when, and what to do: renew with the CA, then register the new
 * certificate at the CAS.
 */
import { expiryStatus } from '../../shared/certificate/validity-dates.js';
import type { TokenCertificate } from '../../shared/protocol/token-types.js';
import { pluralAt, t } from '../common/i18n.js';

const NOTIFIED_KEY = 'expiryNotified';

export async function watchExpiry(certificates: TokenCertificate[], now: Date = new Date()): Promise<void> {
  const expiring = certificates
    .filter((c) => c.hasPrivateKey !== 'no' && !c.details.isCA)
    .map((c) => ({ certificate: c, status: expiryStatus(c.details.notAfter, now) }))
    .filter(({ status }) => status.state !== 'valid');
  await chrome.action.setBadgeText({ text: expiring.length ? String(Math.max(0, Math.min(...expiring.map((e) => e.status.daysLeft)))) : '' });
  if (expiring.length) await chrome.action.setBadgeBackgroundColor({ color: expiring.some((e) => e.status.state === 'expired') ? '#b3261e' : '#b26a00' });
  const stored = ((await chrome.storage.local.get(NOTIFIED_KEY))[NOTIFIED_KEY] ?? {}) as Record<string, string>;
  for (const { certificate, status } of expiring) {
    const key = certificate.details.fingerprintSha256;
    if (stored[key] === status.state) continue;
    stored[key] = status.state;
    const name = certificate.details.subjectCommonName ?? certificate.details.subject;
    const date = new Date(certificate.details.notAfter).toLocaleDateString();
    await chrome.notifications.create(`expiry-${key}`, {
      type: 'basic',
      iconUrl: chrome.runtime.getURL('extension/ui/icon-128.png'),
      title: status.state === 'expired' ? t('expiredTitle') : t('expiringTitle'),
      message: status.state === 'expired' ? t('expiredMessage', [name, date]) : pluralAt('expiringMessage', [name, date, ''], 2, status.daysLeft),
      priority: 2,
    });
  }
  await chrome.storage.local.set({ [NOTIFIED_KEY]: stored });
}
