import { useState } from 'preact/hooks';
import { t } from '../../common/i18n.js';

/** Copies one value; says "Copied" for a moment; its accessible name says which value. */
export function CopyButton({ value, label }: { value: string; label: string }) {
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
