/**
 * One native messaging session over a pair of streams (stdin/stdout when the browser starts us).
 * Requests are handled concurrently (the token service serialises per token); replies carry the id.
 */
import type { Readable, Writable } from 'node:stream';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { HostReply } from '../../shared/protocol/host-messages.js';
import { MAX_HOST_MESSAGE_BYTES } from '../../shared/protocol/limits.js';
import type { HostContext } from './host-context.js';
import type { ParseOutcome } from './host-request-envelope.js';
import { receiveHostRequest } from './host-request-intake.js';
import { routeHostRequest } from './host-router.js';
import { FrameDecoder, encodeFrame } from './native-message-framing.js';

export interface HostSessionOptions {
  input: Readable;
  output: Writable;
  context: Omit<HostContext, 'progress'>;
  /** One line per event, for people reading the browser's log. Never gets message contents. */
  log: (line: string) => void;
}

/** Resolves when the input ends (the browser closed the port) and every pending reply is written. */
export function runHostSession({ input, output, context, log }: HostSessionOptions): Promise<'ended' | 'unreadable'> {
  const decoder = new FrameDecoder();
  const pending = new Set<Promise<void>>();

  // The frames sent in one turn of the event loop (a batch's last progress and its result, say) leave in
  // one write: each write to the browser's pipe wakes the reader, which costs more than the frame. The
  // write goes out once the turn's promise work is done (process.nextTick runs after the microtasks
  // queued now), not a loop phase later (setImmediate), which a single signature's reply waited for.
  let flushScheduled = false;
  /** Log lines about replies, written after the replies themselves (each is a write the reply need not wait for). */
  const linesAfterFlush: string[] = [];
  const send = (reply: HostReply): void => {
    let frame = encodeFrame(reply);
    if (frame.length - 4 > MAX_HOST_MESSAGE_BYTES) {
      const error = new CasTokenError('MESSAGE_TOO_LARGE', 'The reply is over the 1 MB native messaging limit; ask for fewer items at once.');
      frame = encodeFrame({ id: reply.id, ok: false, error: error.toPayload() });
    }
    if (!flushScheduled) {
      flushScheduled = true;
      output.cork();
      process.nextTick(() => {
        flushScheduled = false;
        output.uncork();
        for (const line of linesAfterFlush.splice(0)) log(line);
      });
    }
    output.write(frame);
  };

  /** Answers a request that failed validation, or starts handling a valid one. */
  const dispatch = (parsed: ParseOutcome): Promise<void> | undefined => {
    if (!parsed.ok) {
      send({ id: parsed.id, ok: false, error: parsed.error.toPayload() });
      return undefined;
    }
    const { command } = parsed.request;
    // Who asked a signing (the page's origin, as the browser gave it) and of what kind; never the digests, never the PIN.
    const asker = parsed.request.command === 'sign' && parsed.request.origin ? ` for ${parsed.request.origin}${parsed.request.content ? ` (${parsed.request.content})` : ''}` : '';
    const started = Date.now();
    const work = routeHostRequest(parsed.request, context, (reply) => {
      send(reply);
      if ('ok' in reply) linesAfterFlush.push(`${command}${asker} ${reply.ok ? 'ok' : reply.error.code} in ${Date.now() - started} ms`);
    }).finally(() => pending.delete(work));
    pending.add(work);
    return work;
  };

  // Requests are dispatched in arrival order: one whose validation waits for the schemas to load holds
  // back the ones after it until it is dispatched (then each is handled concurrently, as always).
  let waitingFor: Promise<unknown> | undefined;
  const accept = (outcome: ParseOutcome | Promise<ParseOutcome>): void => {
    if (!waitingFor && !(outcome instanceof Promise)) {
      dispatch(outcome);
      return;
    }
    const turn = (waitingFor ?? Promise.resolve()).then(() => outcome);
    waitingFor = turn;
    const handled = turn.then((parsed) => {
      if (waitingFor === turn) waitingFor = undefined;
      return dispatch(parsed);
    });
    pending.add(handled);
    void handled.finally(() => pending.delete(handled));
  };

  return new Promise((resolve) => {
    let finished = false;
    const finish = (how: 'ended' | 'unreadable'): void => {
      if (finished) return;
      finished = true;
      input.off('data', onData);
      void Promise.allSettled([...pending]).then(() => resolve(how));
    };
    const onData = (chunk: Buffer): void => {
      for (const event of decoder.push(chunk)) {
        if (event.kind === 'unreadable') {
          log(`frame length ${event.length} is not a native message; closing the session`);
          send({ id: '', ok: false, error: { code: 'INVALID_MESSAGE', message: 'Unreadable frame: the length prefix is not valid; closing.' } });
          finish('unreadable');
          return;
        }
        if (event.kind === 'too-large') {
          log(`frame of ${event.length} bytes skipped: over the limit`);
          send({ id: '', ok: false, error: { code: 'MESSAGE_TOO_LARGE', message: `A message of ${event.length} bytes is over the ${MAX_HOST_MESSAGE_BYTES}-byte limit.` } });
          continue;
        }
        accept(receiveHostRequest(event.payload));
      }
    };
    input.on('data', onData);
    input.once('end', () => {
      if (decoder.pendingBytes > 0) log(`input ended inside a frame (${decoder.pendingBytes} bytes unread)`);
      finish('ended');
    });
    input.once('error', (error) => {
      log(`input error: ${error.message}`);
      finish('ended');
    });
  });
}
