import { NativeHostPort } from './native-host-port.js';

/** The background's one connection to the native host. */
export const nativeHost = new NativeHostPort();
