/** Size limits that both sides enforce. */

/** Chrome caps host→browser messages at 1 MB; we stay far below. Browser→host is capped at 4 GB by Chrome, by us here. */
export const MAX_HOST_MESSAGE_BYTES = 1024 * 1024;
/** Digests per sign request (1,000 RSA-4096 signatures in base64 ≈ 700 KB, under the 1 MB reply cap). */
export const MAX_DIGESTS_PER_REQUEST = 1000;
export const MAX_ID_LENGTH = 64;
export const MAX_PIN_LENGTH = 64;
export const MAX_PATH_LENGTH = 4096;
export const MAX_LABEL_LENGTH = 256;
/** An origin (scheme, host, port) as a page request carries it to the host's log. */
export const MAX_ORIGIN_LENGTH = 2048;
/** Requests one page may have in flight at once through the content bridge (more: REQUEST_PENDING at once). */
export const MAX_PAGE_REQUESTS_IN_FLIGHT = 32;
