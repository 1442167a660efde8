/** What a page action gets besides the origin and its parameters (validated already): see page-requests.ts. */
import type { PageAction, PageParams, PageResults } from '../../shared/protocol/page-messages.js';

export interface RequestContext {
  progress(done: number, total: number, stage?: string): void;
  tabId: number | undefined;
  /** Aborts when the page's port disconnects (tab closed, navigated): its prompts leave the queue. */
  signal: AbortSignal;
  /** `tabId origin`: who may have one prompt waiting at a time. */
  owner: string;
  /** The page asked with the user's transient activation (as the bridge read it from the browser). */
  userGesture: boolean;
}

/** One page action (background/actions/page-*.ts): the origin is the port sender's, the parameters passed `pageParamsSchemas`. */
export type PageActionHandler<A extends PageAction> = (origin: string, params: PageParams[A], context: RequestContext) => Promise<PageResults[A]>;
