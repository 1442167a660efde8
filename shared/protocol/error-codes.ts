/**
 * Stable error codes shared by the page SDK, the extension and the native host.
 * A code never changes meaning; new situations get new codes.
 */
export const ERROR_CODES = [
  // reaching the pieces
  'EXTENSION_UNAVAILABLE', // the page SDK got no acknowledgement: extension not installed or not enabled
  'HOST_UNAVAILABLE', // the native host is not installed, could not start, or died
  'VERSION_MISMATCH', // extension and host speak incompatible protocol versions
  // the page's rights
  'ORIGIN_NOT_ALLOWED', // the user has not allowed (or has denied) this origin
  'INSECURE_CONTEXT', // the page is not https: (nor http://localhost)
  'USER_CANCELLED', // the user closed or cancelled a consent / PIN window
  // tokens and modules
  'NO_MODULE', // no PKCS#11 module found or configured
  'MODULE_LOAD_FAILED', // a PKCS#11 module file exists but cannot be loaded / initialised
  'NO_TOKEN', // no token present in any slot (or the requested one is absent / was removed)
  'TOKEN_FAILED', // the token or its driver failed in the middle of the work (CKR_DEVICE_ERROR, …): reinsert it
  'TOKEN_BUSY', // the token is doing something else and the wait timed out
  'CERTIFICATE_NOT_FOUND', // no certificate with that serial / id on the token
  'KEY_NOT_FOUND', // the certificate has no matching private key on the token
  'MECHANISM_NOT_SUPPORTED', // the token cannot sign with the requested algorithm
  'FORMAT_NOT_SUPPORTED', // this signature format cannot be made with the certificate's key algorithm (PAdES / XAdES with GOST)
  // PIN
  'PIN_REQUIRED', // the operation needs a PIN and none was given
  'PIN_INCORRECT', // wrong PIN; `attemptsLeft` when the token tells
  'PIN_LOCKED', // the user PIN is locked (too many wrong tries)
  'PIN_INVALID', // the PIN has an invalid length or characters
  // messages
  'INVALID_MESSAGE', // a frame or message that is not valid JSON / not valid against the schema
  'MESSAGE_TOO_LARGE', // over the size limits
  'UNKNOWN_COMMAND', // a command / action nobody knows
  'DOCUMENT_LOCKED', // the document does not allow another signature (a PDF certified with no changes allowed)
  'DOCUMENT_DAMAGED', // the document's structure is damaged (e.g. a PDF whose cross-reference table is wrong): not signed
  'SIGNATURE_PLACEMENT_INVALID', // a visible signature box that is not on the page, too small, or not written as page,x,y,w,h / a corner
  'FILE_TOO_LARGE', // a file to verify is larger than MAX_VERIFY_FILE_BYTES, or an XML to sign as XAdES than MAX_XADES_STREAMED_BYTES: refused before it is read
  'NO_SIGNATURE_FOUND', // a file given to verify holds no signature we can read (not a PDF/CMS/XML signature, or a PDF without one)
  'SIGNED_FILE_DAMAGED', // a file given to verify is damaged or cut short (a truncated PDF, XML that is not well-formed): its signatures cannot be read
  'DIGEST_SIGNING_NOT_ALLOWED', // signing bare digests needs its own permission for the origin (and policy for a qualified key)
  'CERTIFICATE_NOT_SUITABLE', // the certificate's key usage does not fit what is asked (an authentication key for a signature)
  'REQUEST_PENDING', // this page already has a request waiting for the user: answer it first
  'INVALID_ARGUMENT', // a well-formed message with a bad argument (bad digest length, bad base64, …)
  'TIMEOUT', // no answer in time
  'INTERNAL_ERROR', // anything unexpected; the message says what, without secrets
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
