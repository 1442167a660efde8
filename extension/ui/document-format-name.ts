import { DOCUMENT_FORMATS } from '../../shared/protocol/page-messages.js';
import type { DocumentFormat } from '../../shared/protocol/page-messages.js';

const PROPER_NAME: Record<DocumentFormat, string> = { pades: 'PAdES', cades: 'CAdES', xades: 'XAdES' };

/** A signature format's proper name as the ETSI standards and users' documents write it ("pades" → "PAdES"). */
export function documentFormatName(format: string): string {
  return (DOCUMENT_FORMATS as readonly string[]).includes(format) ? PROPER_NAME[format as DocumentFormat] : format;
}
