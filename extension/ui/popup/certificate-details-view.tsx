/**
 * The chosen certificate's details, each with a copy button, and a clear warning near expiry. What a
 * CAS form asks for comes first (holder, serial, issuer, validity, e-mail); the other forms of the
 * serial and issuer, the fingerprints, the holder's identifiers and the key are folded under
 * "Technical details". Values wrap at their separators, never inside a word.
 */
import type { CertificateDetails } from '../../../shared/certificate/certificate-details.js';
import { keyAlgorithmLabel } from '../../../shared/certificate/key-algorithm-label.js';
import { expiryStatus, formatFormDate } from '../../../shared/certificate/validity-dates.js';
import { pluralAt, t } from '../../common/i18n.js';
import { CopyButton } from './copy-button.js';
import { WrappedValue } from './wrapped-value.js';

function Row({ label, value, testId, hex }: { label: string; value: string | undefined; testId: string; hex?: boolean }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd class={hex ? 'mono hex' : 'mono'} data-testid={testId}>
        <WrappedValue value={value} />
      </dd>
      <dd>
        <CopyButton value={value} label={label} />
      </dd>
    </>
  );
}

export function CertificateDetailsView({ details }: { details: CertificateDetails }) {
  const expiry = expiryStatus(details.notAfter);
  const ids = details.identifiers;
  const date = (iso: string): string => formatFormDate(iso, 'DD.MM.YYYY');
  return (
    <section class="certificate-details">
      {expiry.state === 'expired' && (
        <p class="notice bad" data-testid="expiry-warning">
          {t('certificateExpired', [date(details.notAfter)])}
        </p>
      )}
      {expiry.state === 'expiring' && (
        <p class="notice warn" data-testid="expiry-warning">
          {pluralAt('certificateExpiresSoon', [date(details.notAfter), ''], 1, expiry.daysLeft)}
        </p>
      )}
      <dl class="details" data-testid="details-main">
        <Row label={t('holder')} value={details.subjectCommonName ?? details.subject} testId="detail-holder" />
        <Row label={t('serialNumber')} value={details.serialNumber} testId="detail-serial" hex />
        <Row label={t('issuer')} value={details.issuer} testId="detail-issuer" />
        <Row label={t('validFrom')} value={date(details.notBefore)} testId="detail-valid-from" />
        <Row label={t('validTo')} value={date(details.notAfter)} testId="detail-valid-to" />
        <Row label={t('email')} value={details.email} testId="detail-email" />
      </dl>
      <details class="technical" data-testid="technical-details">
        <summary>{t('technicalDetails')}</summary>
        <dl class="details">
          <Row label={t('serialNumberWindows')} value={details.serialNumberWindows} testId="detail-serial-windows" />
          <Row label={t('serialNumberDecimal')} value={details.serialNumberDecimal} testId="detail-serial-decimal" hex />
          <Row label={t('issuerRfc4514')} value={details.issuerRfc4514} testId="detail-issuer-rfc4514" />
          <Row label={t('fingerprintSha256')} value={details.fingerprintSha256} testId="detail-fingerprint-sha256" hex />
          <Row label={t('fingerprintSha1')} value={details.fingerprintSha1} testId="detail-fingerprint-sha1" hex />
          <Row label="CUI" value={ids.cui} testId="detail-cui" />
          <Row label={t('organizationIdentifier')} value={ids.organizationIdentifier} testId="detail-organization-identifier" />
          <Row label={t('subjectSerialNumber')} value={ids.subjectSerialNumbers.join(', ')} testId="detail-subject-serial" />
          <Row label="ИНН" value={ids.inn} testId="detail-inn" />
          <Row label="ИНН ЮЛ" value={ids.innle} testId="detail-innle" />
          <Row label="ОГРН" value={ids.ogrn} testId="detail-ogrn" />
          <Row label="ОГРНИП" value={ids.ogrnip} testId="detail-ogrnip" />
          <Row label="СНИЛС" value={ids.snils} testId="detail-snils" />
          <Row label={t('keyAlgorithm')} value={keyAlgorithmLabel(details.publicKey)} testId="detail-key" />
        </dl>
      </details>
    </section>
  );
}
