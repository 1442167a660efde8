/**
 * A value shown so that it wraps where a reader expects: after ", " and after "=" in a distinguished
 * name, after "@" or "." never (a word or an address stays whole). Hex strings (fingerprints) have
 * no words and may wrap anywhere (the `hex` class).
 */
import { Fragment } from 'preact';

/** The value with a break opportunity (<wbr>) after each "=" (a space already is one after ","). */
export function WrappedValue({ value }: { value: string }) {
  const parts = value.split(/(?<==)/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
