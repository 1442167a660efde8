/**
 * The streaming exclusive canonicaliser (large XML signed as XAdES without a DOM) must write exactly
 * what the DOM path canonicalises (xadesjs over @xmldom/xmldom) and what libxml2 does (`xmllint
 * --exc-c14n`, the canonicaliser xmlsec1 verifies with): the real documents in test/fixtures and
 * documents made to exercise namespaces, attribute order, entities, CDATA, comments, CRLF, a BOM, PIs.
 * (signXades feeds its DOM to the same canonicaliser: xadesjs's own writes a needless xmlns="" xmlsec1
 * rejects; its output is compared where it is right.) The bytes are fed in small chunks, so tags, references and UTF-8 sequences are split between them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as xadesjs from 'xadesjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { checkXmlForSigning } from '../../../shared/signature/xades.js';
import { XmlByteStream } from '../../../shared/signature/xml-byte-stream.js';
import { ExclusiveCanonicalizer, canonicalizeDocument } from '../../../shared/signature/xml-canonical-stream.js';

checkXmlForSigning('<ready/>'); // sets xadesjs up as signXades does: xmldom, the crypto engine

const work = mkdtempSync(join(tmpdir(), 'cas-token-c14n-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function streamed(bytes: Uint8Array, chunkSize: number, excluded?: (uri: string, local: string) => boolean): string {
  let out = '';
  const stream = new XmlByteStream();
  new ExclusiveCanonicalizer((text) => (out += text), excluded).attach(stream.parser);
  for (let at = 0; at < bytes.length; at += chunkSize) stream.write(bytes.subarray(at, at + chunkSize));
  stream.close();
  return out;
}

/** The DOM path's canonical form: signXades's parse (xadesjs over xmldom), the nodes fed to the same canonicaliser. */
function viaDom(bytes: Uint8Array): string {
  let out = '';
  canonicalizeDocument(xadesjs.Parse(new TextDecoder().decode(bytes)), new ExclusiveCanonicalizer((text) => (out += text)));
  return out;
}

function viaXadesjs(bytes: Uint8Array): string {
  const document = xadesjs.Parse(new TextDecoder().decode(bytes));
  // The transform signXades canonicalises the document with.
  const c14n = (new xadesjs.SignedXml() as unknown as { ResolveTransform(name: string): { LoadInnerXml(node: Element): void; GetOutput(): unknown } }).ResolveTransform('exc-c14n');
  c14n.LoadInnerXml(document as unknown as Element);
  return c14n.GetOutput() as string;
}

/**
 * libxml2's exclusive C14N, less the comments: xmllint only writes the "with comments" form. In a
 * canonical form `<!--` starts a comment and nothing else (text and attributes escape `<`); one outside
 * the root has a line end of its own.
 */
function viaLibxml2(name: string, bytes: Uint8Array): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  const run = spawnSync('xmllint', ['--nonet', '--exc-c14n', path], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const canonical = run.stdout;
  const comment = '<!--(?:(?!-->)[^])*-->';
  const item = `(?:${comment}|<\\?(?:(?!\\?>)[^])*\\?>)`;
  const rootStart = /^(?:(?:<!--(?:(?!-->)[^])*-->|<\?(?:(?!\?>)[^])*\?>)\n)*/.exec(canonical)![0].length;
  const rootEnd = canonical.search(new RegExp(`(?:\\n${item})*$`));
  return (
    canonical.slice(0, rootStart).replace(new RegExp(`${comment}\\n`, 'g'), '') +
    canonical.slice(rootStart, rootEnd).replace(new RegExp(comment, 'g'), '') +
    canonical.slice(rootEnd).replace(new RegExp(`\\n${comment}`, 'g'), '')
  );
}

const fixtures = join(import.meta.dirname, '../../fixtures/documents');
const utf8 = (text: string) => new TextEncoder().encode(text);

const made: [string, Uint8Array][] = [
  [
    'namespaces: default, redeclared, undeclared, unused, on attributes',
    utf8(
      '<r:root xmlns:r="urn:r" xmlns="urn:default" xmlns:unused="urn:unused" xmlns:a="urn:a"><child a:x="1" b="2" xmlns:b="urn:b"><inner xmlns="" xmlns:a="urn:a"/>' +
        '<b:e xmlns:b="urn:b2" a:y="y" b:z="z"/><r:same xmlns:r="urn:r"/><plain xmlns="urn:other"><deeper/></plain></child></r:root>',
    ),
  ],
  [
    'attribute order by namespace URI then local name, values with whitespace and references',
    utf8('<root xmlns:z="urn:a" xmlns:a="urn:z" z:b="1" a:a="2" c="3" b="4" d="tab\there&#9;line\nbreak&#10;cr&#13;quote&quot;&apos;&lt;&gt;&amp;"/>'),
  ],
  ['text escapes, character references, CDATA with markup, > and ]]', utf8('<r>a &amp; b &lt; c &gt; d &#x20AC; &#13; e\r\nf<![CDATA[<x> & ]] ]]>]&gt;</r>')],
  [
    'comments and PIs inside and outside the root, a DOCTYPE, CRLF line ends, a BOM',
    new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...utf8(
        '<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- before -->\r\n<?before-pi data  here ?>\r\n<!DOCTYPE r SYSTEM "r.dtd">\r\n<r>\r\n  <!-- inside --><?inside?>\r\n  <a\r\n   b="c"\r\n  >x</a>\r\n</r>\r\n<!-- after -->\r\n<?after-pi?>\r\n',
      ),
    ]),
  ],
  // xadesjs's own exclusive C14N writes xmlns="" here (the root does not render its default namespace): not what libxml2 does.
  ['an undeclared default namespace under a prefixed root', utf8('<r:r xmlns:r="urn:r" xmlns="urn:d"><a xmlns=""><b xmlns="urn:d"/></a><d/></r:r>')],
  ['xml: attributes, diacritics and a character outside the BMP', utf8('<r xml:lang="ro" xml:space="preserve"><p xml:lang="ru">Ştefan ţară здоровье 𝄞</p></r>')],
];

describe('the streaming exclusive canonicaliser', () => {
  const documents: [string, Uint8Array][] = [...readdirSync(fixtures).map((name) => [name, new Uint8Array(readFileSync(join(fixtures, name)))] as [string, Uint8Array]), ...made];

  it.each(documents)('%s: the same canonical form as libxml2 from the stream, whatever the chunk size, and from the DOM', (name, bytes) => {
    const expected = viaLibxml2(name.replace(/\W+/g, '-') + '.xml', bytes);
    expect(viaDom(bytes)).toBe(expected);
    if (!name.startsWith('an undeclared')) expect(viaXadesjs(bytes)).toBe(expected);
    for (const chunkSize of [1, 7, 4096, bytes.length]) expect(streamed(bytes, chunkSize)).toBe(expected);
  });

  it('leaves out the excluded elements with everything in them, keeping the text around them', () => {
    const xml = utf8('<r xmlns:ds="http://www.w3.org/2000/09/xmldsig#"> <a/> <ds:Signature Id="s"><ds:SignedInfo><x/></ds:SignedInfo></ds:Signature> <b/></r>');
    expect(streamed(xml, 5, (uri, local) => uri === 'http://www.w3.org/2000/09/xmldsig#' && local === 'Signature')).toBe('<r> <a></a>  <b></b></r>');
  });

  it.each([
    ['not well-formed', '<r><a></r>'],
    ['two roots', '<r/><s/>'],
    ['an undeclared entity', '<r>&nbsp;</r>'],
    ['nothing', ''],
  ])('refuses %s with INVALID_ARGUMENT', (_, xml) => {
    let error: unknown;
    try {
      streamed(utf8(xml), 3);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CasTokenError);
    expect((error as CasTokenError).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses bytes that are not UTF-8 with INVALID_ARGUMENT', () => {
    expect(() => streamed(new Uint8Array([0x3c, 0x72, 0x3e, 0xff, 0x3c, 0x2f, 0x72, 0x3e]), 4)).toThrow(/not valid UTF-8/);
  });

  it('maps parser positions to byte offsets across multi-byte characters and chunks', () => {
    const bytes = utf8('<r>ţ𝄞ă<a>é</a></r>');
    const stream = new XmlByteStream();
    const seen: [string, number, number][] = [];
    stream.parser.on('opentag', (tag) => seen.push([`open ${tag.name}`, stream.byteOffset(stream.parser.position), -1]));
    stream.parser.on('closetag', (tag) => seen.push([`close ${tag.name}`, stream.tagStartOffset(), stream.byteOffset(stream.parser.position)]));
    for (let at = 0; at < bytes.length; at += 3) stream.write(bytes.subarray(at, at + 3));
    stream.close();
    const text = new TextDecoder().decode(bytes);
    const byteAt = (needle: string) => utf8(text.slice(0, text.indexOf(needle))).length;
    expect(seen).toEqual([
      ['open r', 3, -1],
      ['open a', byteAt('<a>') + 3, -1],
      ['close a', byteAt('</a>'), byteAt('</a>') + 4],
      ['close r', byteAt('</r>'), bytes.length],
    ]);
  });
});
