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
export const MAX_PAGE_REQUESTS_IN_FLIGHT = 100;

/**
 * One page request (page SDK → content bridge → background) crosses the browser's runtime messaging as
 * JSON, which Chromium caps at 64 MiB per message, and documents travel there as base64 (4/3 of their
 * size). So a request carries at most 40 MiB of documents in all (53.3 MiB of base64), leaving room for
 * names and digests, and the extension's memory for building the signed files. The SDK checks the bytes
 * before it converts anything; the bridge checks what a page posts (the SDK can be bypassed).
 */
export const MAX_PAGE_REQUEST_BYTES = 40 * 1024 * 1024;
/** The same limit in characters of the request's strings: the documents' base64, plus 2 MiB for names, digests and the rest. */
export const MAX_PAGE_REQUEST_CHARS = Math.ceil(MAX_PAGE_REQUEST_BYTES / 3) * 4 + 2 * 1024 * 1024;
/** Values (strings, numbers, objects, array items) in one page request: 1,000 digests or 100 documents need far fewer. */
export const MAX_PAGE_REQUEST_VALUES = 20_000;

/** A digest in base64 as a page sends it (SHA-512 and Streebog-512: 88 characters). */
export const MAX_PAGE_DIGEST_BASE64_CHARS = 200;
/** A digest in base64 as the host accepts it (its length is checked against the hash algorithm later). */
export const MAX_HOST_DIGEST_BASE64_CHARS = 8192;
/** A certificate chosen by a page: its serial number or CKA_ID, hex. */
export const MAX_CERTIFICATE_CHOICE_HEX_CHARS = 128;
/** A certificate selector (CKA_ID or serial number, hex) as the host accepts it. */
export const MAX_SELECTOR_HEX_CHARS = 512;
/** A certificate file as the CA delivered it (PEM, DER or PKCS#7), base64, to install on the token. */
export const MAX_IMPORTED_CERTIFICATE_CHARS = 256 * 1024;
/** A registration-request template (fillable PDF) the Renew page sends the background, base64. */
export const MAX_REQUEST_TEMPLATE_CHARS = 10 * 1024 * 1024;
/** A subject typed in the SIUI form (`C=RO, O=…, CN=…`). */
export const MAX_TYPED_SUBJECT_LENGTH = 1024;
/** Files the Sign files page signs in one batch (one token call: at most MAX_DIGESTS_PER_REQUEST digests). */
export const MAX_SIGN_FILES_DOCUMENTS = MAX_DIGESTS_PER_REQUEST;
/**
 * Documents the extension's batch reads and prepares at a time (the Sign files page's others wait on
 * the user's disk): as many as fit in DOCUMENTS_READ_AHEAD_BYTES by the largest one's size, between
 * these two counts. Reads and hashes run off the service worker's thread, which mostly waits on them:
 * small files are read many at a time, large ones a couple.
 */
export const DOCUMENTS_READ_AHEAD = { least: 2, most: 16 } as const;
export const DOCUMENTS_READ_AHEAD_BYTES = 64 * 1024 * 1024;

/** How many documents of at most `largestBytes` each the extension reads and prepares at a time. */
export function documentsReadAhead(largestBytes: number): number {
  const fit = Math.floor(DOCUMENTS_READ_AHEAD_BYTES / Math.max(1, largestBytes));
  return Math.min(DOCUMENTS_READ_AHEAD.most, Math.max(DOCUMENTS_READ_AHEAD.least, fit));
}
/** The PIN window fetches a shown document in pieces of this many bytes. */
export const PROMPT_DOCUMENT_CHUNK_BYTES = 4 * 1024 * 1024;
/** Documents a PIN window may ask pieces of (its index in the prompt's list). */
export const MAX_PROMPT_DOCUMENT_INDEX = 1000;
/**
 * The largest file `verifyFile` / `cas-token verify` reads (a signed file or the content of a detached
 * signature): 100 MiB. Larger files are refused (FILE_TOO_LARGE) from their size alone, before any byte
 * is read, so nothing hangs on a 200 MB file.
 */
export const MAX_VERIFY_FILE_BYTES = 100 * 1024 * 1024;
/**
 * The largest XML signed as XAdES from memory (a DOM: tens of times the file's size). The command line
 * signs larger files streamed, without a DOM (xades-streamed.ts, up to MAX_XADES_STREAMED_BYTES);
 * elsewhere (the extension) larger documents are refused: sign them as CAdES (a detached .p7s). Here, not
 * in xades.ts, so that choosing the path does not load the XML libraries.
 */
export const XADES_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The largest XML the command line signs as XAdES, streamed (XML over XADES_MAX_BYTES is never held as a
 * DOM: its memory is its largest text node and a few chunks). A text node must fit in one JavaScript
 * string (at most 2^29 - 24 UTF-16 units), so 500 MiB; larger files: FILE_TOO_LARGE, sign them as CAdES.
 */
export const MAX_XADES_STREAMED_BYTES = 500 * 1024 * 1024;
