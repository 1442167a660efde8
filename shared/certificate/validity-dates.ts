/** Certificate dates the way forms and people want them, in the user's time zone. */

/** `DD-MM-YYYY`: SIUI's own screens (`01-01-1998`, `zz-ll-aaaa`). */
export type FormDateStyle = 'DD.MM.YYYY' | 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'DD-MM-YYYY' | 'MM/DD/YYYY' | 'YYYY-MM-DDTHH:MM';

/** Calendar parts of an instant in a time zone. */
function partsIn(iso: string, timeZone?: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const formatter = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(formatter.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

export function formatFormDate(iso: string, style: FormDateStyle, timeZone?: string): string {
  const { year, month, day, hour, minute } = partsIn(iso, timeZone);
  switch (style) {
    case 'DD.MM.YYYY':
      return `${day}.${month}.${year}`;
    case 'DD-MM-YYYY':
      return `${day}-${month}-${year}`;
    case 'DD/MM/YYYY':
      return `${day}/${month}/${year}`;
    case 'MM/DD/YYYY':
      return `${month}/${day}/${year}`;
    case 'YYYY-MM-DDTHH:MM':
      return `${year}-${month}-${day}T${hour}:${minute}`;
    default:
      return `${year}-${month}-${day}`;
  }
}

export interface ExpiryStatus {
  state: 'valid' | 'expiring' | 'expired';
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
}

export const EXPIRY_WARNING_DAYS = 30;

export function expiryStatus(notAfter: string, now: Date = new Date()): ExpiryStatus {
  const milliseconds = new Date(notAfter).getTime() - now.getTime();
  const daysLeft = Math.floor(milliseconds / 86_400_000);
  if (milliseconds <= 0) return { state: 'expired', daysLeft };
  return { state: daysLeft <= EXPIRY_WARNING_DAYS ? 'expiring' : 'valid', daysLeft };
}
