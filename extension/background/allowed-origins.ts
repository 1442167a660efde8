/** The user's decisions per origin (allow / deny), remembered in extension storage; revocable in the options page. */
const KEY = 'originDecisions';

/**
 * `digests`: the separate permission to have bare digests signed (`sign` / `signHashes`), whose content
 * the extension cannot show; asked in its own consent window after the site was allowed.
 */
export type OriginDecision = { allowed: boolean; decidedAt: string; digests?: { allowed: boolean; decidedAt: string } };

/** Who granted bare-digest signing: the user in the digest consent window, or an administrator's policy. */
export type DigestPermission = { allowed: boolean; by: 'user' | 'policy' };

export async function originDecisions(): Promise<Record<string, OriginDecision>> {
  return ((await chrome.storage.local.get(KEY))[KEY] ?? {}) as Record<string, OriginDecision>;
}

/**
 * Origins an administrator pre-approved through managed storage (`allowedOrigins`: Firefox reads
 * `~/.mozilla/managed-storage/<add-on id>.json`, Chromium the 3rdparty extension policy).
 */
export async function managedOrigins(key: 'allowedOrigins' | 'digestSigningOrigins' = 'allowedOrigins'): Promise<string[]> {
  try {
    const managed = await chrome.storage.managed.get(key);
    const list = managed[key] as unknown;
    return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
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

/** Bare-digest signing for an origin: an administrator's `digestSigningOrigins` first, then the user's decision. */
export async function digestPermissionFor(origin: string): Promise<DigestPermission | undefined> {
  if ((await managedOrigins('digestSigningOrigins')).includes(origin)) return { allowed: true, by: 'policy' };
  const own = (await originDecisions())[origin]?.digests;
  return own ? { allowed: own.allowed, by: 'user' } : undefined;
}

export async function rememberDigestDecision(origin: string, allowed: boolean): Promise<void> {
  const decisions = await originDecisions();
  const current = decisions[origin];
  if (!current?.allowed) return; // only an allowed site has a digest permission
  decisions[origin] = { ...current, digests: { allowed, decidedAt: new Date().toISOString() } };
  await chrome.storage.local.set({ [KEY]: decisions });
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
