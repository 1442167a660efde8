import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import { t } from '../../common/i18n.js';

/** No PKCS#11 module loads: the drivers to install, the host's hint and why each module failed. */
export function NoModuleView({ hint, modules }: { hint: string; modules: StatusResult['modules'] }) {
  return (
    <div class="notice warn">
      <p>{t('noModule')}</p>
      <ul>
        <li>{t('driverSafeNet')}</li>
        <li>{t('driverBit4id')}</li>
        <li>{t('driverRutoken')}</li>
        <li>{t('driverOpenSc')}</li>
      </ul>
      {(hint || modules.length > 0) && (
        <details class="error-detail">
          <summary>{t('errorDetails')}</summary>
          {hint && <p class="detail">{hint}</p>}
          {modules.map((m) => (
            <p class="detail mono" key={m.path}>
              {m.path}: {m.error}
            </p>
          ))}
        </details>
      )}
    </div>
  );
}
