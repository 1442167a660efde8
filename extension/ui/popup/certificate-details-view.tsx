import type { CertificateDetails } from '../../../shared/certificate/certificate-details.js';
import { keyAlgorithmLabel } from '../../../shared/certificate/key-algorithm-label.js';
import { expiryStatus, formatFormDate } from '../../../shared/certificate/validity-dates.js';
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';

/** Copies one value; says "Copied" for a moment; its accessible name says which value. */
function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  async function copy(): Promise<void> {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return (
    <button class="copy" type="button" aria-label={t('copyValue', [label])} onClick={() => void copy()}>
      {copied ? t('copied') : t('copy')}
    </button>
  );
}

function Row({ label, value, testId }: { label: string; value: string | undefined; testId: string }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd class="mono" data-testid={testId}>
        {value}
      </dd>
      <dd>
        <CopyButton value={value} label={label} />
      </dd>
    </>
  );
}

/** The chosen certificate's details, each with a copy button, and a clear warning near expiry. */
export function CertificateDetailsView({ details }: { details: CertificateDetails }) {
  const expiry = expiryStatus(details.notAfter);
  const ids = details.identifiers;
  const date = (iso: string): string => formatFormDate(iso, 'DD.MM.YYYY');
  return (
    <section>
      {expiry.state === 'expired' && (
        <p class="notice bad" data-testid="expiry-warning">
          {t('certificateExpired', [date(details.notAfter)])}
        </p>
      )}
      {expiry.state === 'expiring' && (
        <p class="notice warn" data-testid="expiry-warning">
          {t('certificateExpiresSoon', [date(details.notAfter), String(expiry.daysLeft)])}
        </p>
      )}
      <dl class="details">
        <Row label={t('holder')} value={details.subjectCommonName ?? details.subject} testId="detail-holder" />
        <Row label={t('serialNumber')} value={details.serialNumber} testId="detail-serial" />
        <Row label={t('serialNumberWindows')} value={details.serialNumberWindows} testId="detail-serial-windows" />
        <Row label={t('serialNumberDecimal')} value={details.serialNumberDecimal} testId="detail-serial-decimal" />
        <Row label={t('issuer')} value={details.issuer} testId="detail-issuer" />
        <Row label={t('issuerRfc4514')} value={details.issuerRfc4514} testId="detail-issuer-rfc4514" />
        <Row label={t('validFrom')} value={date(details.notBefore)} testId="detail-valid-from" />
        <Row label={t('validTo')} value={date(details.notAfter)} testId="detail-valid-to" />
        <Row label={t('email')} value={details.email} testId="detail-email" />
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
    </section>
  );
}
