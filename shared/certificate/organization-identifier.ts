/**
 * The Romanian CUI from an organizationIdentifier: `VATRO-18288250`, `NTRRO-…`, `RO18288250` or bare
 * digits `4267230` → `18288250` / `4267230`. Other countries' identifiers (`LEIXG-…`, `NTRUA-…`) give none.
 */
export function cuiFromOrganizationIdentifier(value: string): string | undefined {
  const trimmed = value.trim().toUpperCase();
  const match = /^(?:(?:VAT|NTR)RO-?|RO)?(\d{2,10})$/.exec(trimmed);
  return match?.[1];
}
