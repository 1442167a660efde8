/**
 * A consent window the user closed without answering is remembered for a while: the same site asking
 * again during the back-off gets an answer at once and no new window (a site cannot reopen the
 * window twenty times in a row). The wait doubles with each dismissal in a row, from 30 s up to one
 * hour, and is forgotten once the user answers. Kept in session storage: it survives the service
 * worker's restarts, not the browser's.
 */
const KEY = 'consentDismissals';
const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 60 * 60_000;

type Dismissals = Record<string, { count: number; until: number }>;

/** Session storage where the browser has it (Chromium, Firefox 115+); memory otherwise. */
const memory: { value: Dismissals } = { value: {} };

async function load(): Promise<Dismissals> {
  try {
    return ((await chrome.storage.session.get(KEY))[KEY] ?? {}) as Dismissals;
  } catch {
    return memory.value;
  }
}

async function save(dismissals: Dismissals): Promise<void> {
  try {
    await chrome.storage.session.set({ [KEY]: dismissals });
  } catch {
    memory.value = dismissals;
  }
}

/** The back-off key: a site's consent and its digest consent are counted apart. */
export type ConsentScope = 'origin' | 'digests';

/** Milliseconds before `origin` may open this consent window again (0: it may now). */
export async function consentBackoffLeft(origin: string, scope: ConsentScope, now = Date.now()): Promise<number> {
  const entry = (await load())[`${scope} ${origin}`];
  return entry ? Math.max(0, entry.until - now) : 0;
}

export async function recordConsentDismissed(origin: string, scope: ConsentScope, now = Date.now()): Promise<void> {
  const dismissals = await load();
  const key = `${scope} ${origin}`;
  const count = (dismissals[key]?.count ?? 0) + 1;
  dismissals[key] = { count, until: now + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (count - 1)) };
  await save(dismissals);
}

export async function forgetConsentDismissals(origin: string, scope: ConsentScope): Promise<void> {
  const dismissals = await load();
  if (!dismissals[`${scope} ${origin}`]) return;
  delete dismissals[`${scope} ${origin}`];
  await save(dismissals);
}
