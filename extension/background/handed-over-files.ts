/**
 * Files the Sign files page hands to the service worker (Chromium): the page posts the chosen File
 * objects to its controller, the service worker keeps them under the page's id until the page's
 * `sign-files` port names that id. A File crosses as a reference to the file on disk (nothing is
 * copied) and reads here as fast as in the page — twice as fast as through a `blob:` URL, the way
 * Firefox's background page still gets them.
 *
 * Only the extension's own pages are listened to; a hand-over not claimed within a minute is dropped,
 * and at most a few are kept (the files themselves are references: this bounds what a page can pile up).
 */
import { signFilesHandOverSchema } from '../../shared/protocol/extension-messages.js';

interface HandOver {
  files?: File[];
  claim?: (files: File[] | undefined) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Unclaimed hand-overs are dropped after this long; a claim waits as long for its hand-over. */
const KEPT_MS = 60_000;
const MAX_KEPT = 8;
const handOvers = new Map<string, HandOver>();

function drop(id: string): void {
  const handOver = handOvers.get(id);
  if (!handOver) return;
  clearTimeout(handOver.timer);
  handOvers.delete(id);
  handOver.claim?.(undefined);
}

function entry(id: string): HandOver {
  let handOver = handOvers.get(id);
  if (!handOver) {
    if (handOvers.size >= MAX_KEPT) drop(handOvers.keys().next().value!);
    handOver = { timer: setTimeout(() => drop(id), KEPT_MS) };
    handOvers.set(id, handOver);
  }
  return handOver;
}

/** What is used here of the service worker's global scope (the project's TypeScript has no WebWorker library). */
export interface MessageScope {
  location: { origin: string };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Called once when the service worker starts (a `message` listener must be added then). */
export function listenForHandedOverFiles(scope: MessageScope): void {
  scope.addEventListener('message', (event) => {
    if (event.origin !== scope.location.origin) return; // another origin's page cannot reach it, but say so
    const parsed = signFilesHandOverSchema.safeParse(event.data);
    if (!parsed.success) return;
    const handOver = entry(parsed.data.id);
    if (handOver.files) return; // one hand-over per id
    if (handOver.claim) {
      clearTimeout(handOver.timer);
      handOvers.delete(parsed.data.id);
      handOver.claim(parsed.data.files);
    } else handOver.files = parsed.data.files;
  });
}

/** The files handed over under `id` (they may arrive just after the port's message); undefined: none came. */
export function claimHandedOverFiles(id: string): Promise<File[] | undefined> {
  const handOver = entry(id);
  if (handOver.files) {
    const { files } = handOver;
    drop(id);
    return Promise.resolve(files);
  }
  if (handOver.claim) return Promise.resolve(undefined); // claimed twice: the second gets nothing
  return new Promise((resolve) => (handOver.claim = resolve));
}
