/** The corner of the page a visible signature box goes in, as a select (Sign files, the registration request). */
import { t } from '../common/i18n.js';
import type { MessageKey } from '../common/i18n.js';
import type { SignatureCorner } from '../../shared/signature/visible-signature.js';

const CORNERS: [SignatureCorner, MessageKey][] = [
  ['bottom-right', 'signFilesCornerBottomRight'],
  ['bottom-left', 'signFilesCornerBottomLeft'],
  ['top-right', 'signFilesCornerTopRight'],
  ['top-left', 'signFilesCornerTopLeft'],
];

export function CornerSelect({ value, onChange, disabled = false, testId }: { value: SignatureCorner; onChange: (corner: SignatureCorner) => void; disabled?: boolean; testId: string }) {
  return (
    <select data-testid={testId} value={value} disabled={disabled} onChange={(event) => onChange((event.target as HTMLSelectElement).value as SignatureCorner)}>
      {CORNERS.map(([corner, key]) => (
        <option key={corner} value={corner}>
          {t(key)}
        </option>
      ))}
    </select>
  );
}
