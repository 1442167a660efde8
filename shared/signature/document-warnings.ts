/**
 * What to warn about before a document is signed, though it can be: shown beside the document in the
 * PIN window and printed by the CLI. A warning never stops the signing; a refusal is an error instead.
 *
 * - `EMPTY_DOCUMENT`: the file has 0 bytes. CAdES signs it all the same (a detached signature over
 *   nothing is valid), but the signer most likely picked the wrong file or a download that failed.
 */
export type DocumentWarning = 'EMPTY_DOCUMENT';

export function documentWarnings(data: Uint8Array): DocumentWarning[] {
  return data.length === 0 ? ['EMPTY_DOCUMENT'] : [];
}
