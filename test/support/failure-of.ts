import { expect } from 'vitest';
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';

/** The CasTokenError a promise must reject with (the test fails if it resolves or throws anything else). */
export async function failureOf(promise: Promise<unknown>): Promise<CasTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CasTokenError);
  return error as CasTokenError;
}
