/**
 * A file input that speaks the user's language: the browser's own "Choose File / No file chosen"
 * follows the browser's UI language, not the extension's, so the native input is hidden behind a
 * button and the chosen file's name in our words. The input itself keeps its data-testid (tests and
 * keyboard users reach it as before).
 */
import { useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { t } from '../common/i18n.js';

export function FilePicker({ inputRef, testId, accept }: { inputRef: Ref<HTMLInputElement>; testId: string; accept: string }) {
  const [name, setName] = useState<string | undefined>();
  return (
    <span class="file-picker">
      <label class="button">
        <input ref={inputRef} type="file" class="visually-hidden" data-testid={testId} accept={accept} onChange={(e) => setName((e.target as HTMLInputElement).files?.[0]?.name)} />
        {t('fileChoose')}
      </label>{' '}
      <span class="file-name">{name ?? t('fileNoneChosen')}</span>
    </span>
  );
}
