/**
 * A value shown so that it wraps where a reader expects: at spaces and after "=" in a distinguished
 * name ("C=RO, O=…, CN=…"), never inside a word: a word with a hyphen ("VATRO-18288250",
 * "Ionescu-Mărășești") is kept whole. Hex strings (fingerprints) have no words and may wrap anywhere
 * (the `hex` class on the element around).
 */
import { Fragment } from 'preact';

/** Longer than this, a hyphenated word may break at its hyphen rather than stick out of the popup. */
const WHOLE_WORD_MAX = 32;

function Word({ word }: { word: string }) {
  const parts = word.split(/(?<==)/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part.includes('-') && part.length <= WHOLE_WORD_MAX ? <span class="nowrap">{part}</span> : part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}

export function WrappedValue({ value }: { value: string }) {
  return <>{value.split(/(\s+)/).map((piece, index) => (index % 2 === 1 ? piece : <Word key={index} word={piece} />))}</>;
}
