import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import { nativeHost } from '../host-connection.js';
import { watchExpiry } from '../expiry-watch.js';

export async function certificatesAction(): Promise<TokenCertificate[]> {
  const certificates = await nativeHost.request('certificates', {});
  void watchExpiry(certificates);
  return certificates;
}
