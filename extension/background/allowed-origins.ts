/** The user's decisions per origin (allow / deny), remembered in extension storage; revocable in the options page. */
const KEY = 'originDecisions';

export type OriginDecision = { allowed: boolean; decidedAt: string };

export async function originDecisions(): Promise<Record<string, OriginDecision>> {
  return ((await chrome.storage.local.get(KEY))[KEY] ?? {}) as Record<string, OriginDecision>;
}

/**
 * Origins an administrator pre-approved through managed storage (`allowedOrigins`: Firefox reads
 * `~/.mozilla/managed-storage/<add-on id>.json`, Chromium the 3rdparty extension policy).
 */
export async function managedOrigins(): Promise<string[]> {
  try {
    const managed = await chrome.storage.managed.get('allowedOrigins');
    return Array.isArray(managed.allowedOrigins) ? managed.allowedOrigins.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return []; // no policy set
  }
}

export async function decisionFor(origin: string): Promise<OriginDecision | undefined> {
  const own = (await originDecisions())[origin];
  if (own) return own;
  if ((await managedOrigins()).includes(origin)) return { allowed: true, decidedAt: 'policy' };
  return undefined;
}

export async function rememberDecision(origin: string, allowed: boolean): Promise<void> {
  const decisions = await originDecisions();
  decisions[origin] = { allowed, decidedAt: new Date().toISOString() };
  await chrome.storage.local.set({ [KEY]: decisions });
}

export async function forgetDecision(origin: string): Promise<void> {
  const decisions = await originDecisions();
  delete decisions[origin];
  await chrome.storage.local.set({ [KEY]: decisions });
}

/** Pages that may ask at all: https:, and http on localhost for development. */
export function isSecureOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'));
  } catch {
    return false;
  }
}
