/**
 * What the popup says when the CAS Token program (the native host) is not installed: where to download
 * it and, for the user's own OS (`runtime.getPlatformInfo`), one sentence on how to install it. macOS
 * has no installer yet and the notice says so instead of offering a download that would not help.
 *
 * data-testid: host-install-os (data-os = win | linux | mac | other), host-download (the link).
 */
import { useEffect, useState } from 'preact/hooks';
import { DOWNLOADS_URL } from '../../../shared/distribution/downloads-url.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import { t } from '../../common/i18n.js';
import type { MessageKey } from '../../common/i18n.js';

type InstallOs = 'win' | 'linux' | 'mac' | 'other';

const HOW_TO_INSTALL: Record<InstallOs, MessageKey> = {
  win: 'hostInstallWindows',
  linux: 'hostInstallLinux',
  mac: 'hostInstallMac',
  other: 'hostInstallOther',
};

async function installOs(): Promise<InstallOs> {
  try {
    const { os } = await chrome.runtime.getPlatformInfo();
    return os === 'win' || os === 'linux' || os === 'mac' ? os : 'other';
  } catch {
    return 'other';
  }
}

export function HostMissingView({ error }: { error: ErrorPayload }) {
  const [os, setOs] = useState<InstallOs | undefined>();
  useEffect(() => {
    void installOs().then(setOs);
  }, []);
  return (
    <div class="notice bad">
      <p>{t('hostMissing')}</p>
      {os && (
        <p data-testid="host-install-os" data-os={os}>
          {t(HOW_TO_INSTALL[os])}
        </p>
      )}
      {(os === 'win' || os === 'linux') && (
        <p>
          <a data-testid="host-download" href={DOWNLOADS_URL} target="_blank" rel="noopener noreferrer">
            {t('hostDownload')}
          </a>
        </p>
      )}
      <details class="error-detail">
        <summary>{t('errorDetails')}</summary>
        <span class="detail mono">{error.message}</span>
      </details>
    </div>
  );
}
