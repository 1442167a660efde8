/**
 * Protocol version between the extension and the native host (semver). Major must match;
 * the host answers `status` with its own, the extension checks it (the handshake).
 */
export const PROTOCOL_VERSION = '1.0.0';

export function protocolCompatible(a: string, b: string): boolean {
  return a.split('.')[0] === b.split('.')[0];
}

/** Name of the native messaging host, as registered with the browsers. */
export const NATIVE_HOST_NAME = 'eu.castoken.host';
