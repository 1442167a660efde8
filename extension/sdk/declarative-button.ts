/**
 * The declarative "sign with token" button. Any element with `data-cas-token-sign` signs on click:
 *
 *   <button data-cas-token-sign="hash" data-hash="BASE64" data-hash-algorithm="SHA-256">Sign</button>
 *   <button data-cas-token-sign="file" data-input="#invoice" data-format="pades">Sign the file</button>
 *   <button data-cas-token-sign="url" data-url="/reports/march.pdf">Sign the report</button>
 *
 * Optional: `data-certificate` (serial number or id), `data-format`, `data-name` (for url).
 * The element then dispatches (bubbling) `cas-token-signed` with `detail` = the result (for file with
 * several files: an array of batch items), or `cas-token-error` with `detail` = { code, message, userMessage }.
 * While it works the element has `aria-busy="true"` and is disabled.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { HASH_ALGORITHMS } from '../../shared/protocol/token-types.js';
import type { HashAlgorithm } from '../../shared/protocol/token-types.js';
import type { DocumentFormat } from '../../shared/protocol/page-messages.js';
import { sign, signDocument, signDocuments } from './cas-token.js';

export const SIGN_ATTRIBUTE = 'data-cas-token-sign';

function invalid(message: string): CasTokenError {
  return new CasTokenError('INVALID_ARGUMENT', message);
}

function formatOf(element: HTMLElement): DocumentFormat | undefined {
  const format = element.dataset.format;
  if (format === undefined || format === '') return undefined;
  if (format !== 'pades' && format !== 'cades' && format !== 'xades') throw invalid(`data-format must be pades, cades or xades, not "${format}".`);
  return format;
}

async function performSign(element: HTMLElement): Promise<unknown> {
  const kind = element.getAttribute(SIGN_ATTRIBUTE);
  const certificate = element.dataset.certificate || undefined;
  const format = formatOf(element);
  const withCertificate = certificate ? { certificate } : {};
  const withFormat = format ? { format } : {};
  if (kind === 'hash') {
    const hash = element.dataset.hash;
    const algorithm = (element.dataset.hashAlgorithm ?? 'SHA-256') as HashAlgorithm;
    if (!hash) throw invalid('data-hash (base64) is required for data-cas-token-sign="hash".');
    if (!HASH_ALGORITHMS.includes(algorithm)) throw invalid(`data-hash-algorithm must be one of ${HASH_ALGORITHMS.join(', ')}.`);
    return sign({ hash, hashAlgorithm: algorithm, ...withCertificate });
  }
  if (kind === 'file') {
    const selector = element.dataset.input;
    const input = selector ? document.querySelector<HTMLInputElement>(selector) : null;
    if (!input || input.type !== 'file') throw invalid('data-input must select an <input type="file">.');
    const files = [...(input.files ?? [])];
    if (files.length === 0) throw invalid('Choose a file to sign first.');
    if (files.length === 1) return signDocument({ data: files[0]!, name: files[0]!.name, ...withFormat, ...withCertificate });
    return signDocuments(
      files.map((file) => ({ data: file, name: file.name, ...withFormat })),
      withCertificate,
    );
  }
  if (kind === 'url') {
    const url = new URL(element.dataset.url ?? '', window.location.href);
    if (url.origin !== window.location.origin) throw invalid('data-url must be on the same origin as the page.');
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw invalid(`Cannot fetch ${url.pathname}: HTTP ${response.status}.`);
    const name = element.dataset.name || decodeURIComponent(url.pathname.split('/').pop() || 'document');
    return signDocument({ data: await response.blob(), name, ...withFormat, ...withCertificate });
  }
  throw invalid(`data-cas-token-sign must be "hash", "file" or "url", not "${kind ?? ''}".`);
}

async function onClick(event: MouseEvent): Promise<void> {
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>(`[${SIGN_ATTRIBUTE}]`) : null;
  if (!target || target.getAttribute('aria-busy') === 'true') return;
  event.preventDefault();
  target.setAttribute('aria-busy', 'true');
  const wasDisabled = (target as HTMLButtonElement).disabled;
  (target as HTMLButtonElement).disabled = true;
  try {
    const detail = await performSign(target);
    target.dispatchEvent(new CustomEvent('cas-token-signed', { bubbles: true, detail }));
  } catch (error) {
    const failure = error instanceof CasTokenError ? error : new CasTokenError('INTERNAL_ERROR', String(error));
    target.dispatchEvent(
      new CustomEvent('cas-token-error', { bubbles: true, detail: { code: failure.code, message: failure.message, userMessage: failure.userMessage, attemptsLeft: failure.attemptsLeft } }),
    );
  } finally {
    target.removeAttribute('aria-busy');
    (target as HTMLButtonElement).disabled = wasDisabled;
  }
}

let installed = false;

/** Wires every current and future `[data-cas-token-sign]` element (one delegated listener). Idempotent. */
export function installDeclarativeButtons(root: Document = document): void {
  if (installed) return;
  installed = true;
  root.addEventListener('click', (event) => void onClick(event));
}
