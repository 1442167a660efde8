/**
 * Exclusive XML Canonicalization 1.0 without comments (https://www.w3.org/TR/xml-exc-c14n/) of a whole
 * document read as a stream of events (saxes), written out piece by piece: never a DOM, so a 200 MB
 * document costs its largest text node, not tens of times its size. Subtrees the reference's filter
 * leaves out (every ds:Signature, or every UBL sig:UBLDocumentSignatures) are left out with everything
 * in them, as the XPath filter `not(ancestor-or-self::…)` and the enveloped transform do.
 *
 * What the rules come to for a document node-set:
 * - the XML declaration, the DOCTYPE, comments and whitespace outside the root go; a processing
 *   instruction before the root is followed by `\n`, one after it preceded by `\n`;
 * - an element is `<name` + the namespace declarations it visibly uses (its own prefix, its attributes'
 *   prefixes) unless the nearest output ancestor rendered the same, sorted by prefix (default first) +
 *   its attributes sorted by namespace URI then local name + `>` … `</name>` (empty ones too);
 * - text (CDATA included) escapes `&`, `<`, `>` and CR; attribute values `&`, `<`, `"`, TAB, LF, CR.
 */
import type { SaxesParser } from 'saxes';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** An element's start tag as saxes gives it (namespaces resolved), or as read from a DOM. */
export interface CanonicalTag {
  /** The qualified name, as written. */
  name: string;
  prefix: string;
  local: string;
  /** '' for no namespace. */
  uri: string;
  attributes: Record<string, { name: string; prefix: string; local: string; uri: string; value: string }>;
}

/** Which elements the reference leaves out, whole. */
export type ExcludedElement = (namespace: string, localName: string) => boolean;

const escapeText = (text: string): string => (/[&<>\r]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;') : text);

const escapeAttribute = (value: string): string =>
  /[&<"\t\n\r]/.test(value) ? value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;') : value;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Receives a parser's events and writes the canonical form to `write`. Attach it with
 * `canonicalizer.attach(parser)`, or call the `on…` methods from one's own handlers.
 */
export class ExclusiveCanonicalizer {
  /** Namespaces (prefix → URI, '' the default) rendered by each open output element, innermost last. */
  private readonly rendered: Map<string, string>[] = [new Map()];
  private depth = 0;
  /** Depth of the outermost left-out element while inside one, else 0. */
  private excludedAt = 0;
  private rootDone = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly excluded: ExcludedElement = () => false,
  ) {}

  onOpenTag(tag: CanonicalTag): void {
    this.depth++;
    if (this.excludedAt > 0) return;
    if (this.excluded(tag.uri, tag.local)) {
      this.excludedAt = this.depth;
      return;
    }
    const inherited = this.rendered[this.rendered.length - 1]!;
    const attributes: CanonicalTag['attributes'][string][] = [];
    let prefixedAttributes = false;
    for (const name in tag.attributes) {
      const attribute = tag.attributes[name]!;
      if (attribute.uri === XMLNS_NS || attribute.name === 'xmlns') continue;
      attributes.push(attribute);
      if (attribute.prefix && attribute.prefix !== 'xml') prefixedAttributes = true;
    }
    // The namespaces it visibly uses: its own prefix's, its attributes' (most elements: its own only).
    let own: Map<string, string> | undefined;
    let declarations = '';
    const declare = (prefix: string, uri: string): void => {
      if ((inherited.get(prefix) ?? '') === uri) return;
      (own ??= new Map()).set(prefix, uri);
      declarations += prefix ? ` xmlns:${prefix}="${escapeAttribute(uri)}"` : ` xmlns="${escapeAttribute(uri)}"`;
    };
    if (!prefixedAttributes) declare(tag.prefix, tag.uri);
    else {
      const used = new Map<string, string>([[tag.prefix, tag.uri]]);
      for (const attribute of attributes) if (attribute.prefix && attribute.prefix !== 'xml') used.set(attribute.prefix, attribute.uri);
      for (const prefix of [...used.keys()].sort(byCodeUnits)) declare(prefix, used.get(prefix)!);
    }
    if (attributes.length > 1) attributes.sort((a, b) => byCodeUnits(a.uri, b.uri) || byCodeUnits(a.local, b.local));
    let markup = `<${tag.name}${declarations}`;
    for (const attribute of attributes) markup += ` ${attribute.name}="${escapeAttribute(attribute.value)}"`;
    this.write(`${markup}>`);
    this.rendered.push(own ? new Map([...inherited, ...own]) : inherited);
  }

  onCloseTag(tag: Pick<CanonicalTag, 'name'>): void {
    const depth = this.depth--;
    if (this.excludedAt > 0) {
      if (this.excludedAt === depth) this.excludedAt = 0;
      return;
    }
    this.rendered.pop();
    this.write(`</${tag.name}>`);
    if (this.depth === 0) this.rootDone = true;
  }

  /** Text or a CDATA section's content. Outside the root it is whitespace, which canonical XML drops. */
  onText(text: string): void {
    if (this.depth > 0 && this.excludedAt === 0) this.write(escapeText(text));
  }

  onProcessingInstruction(target: string, body: string): void {
    if (this.excludedAt > 0) return;
    const pi = body ? `<?${target} ${body}?>` : `<?${target}?>`;
    if (this.depth > 0) this.write(pi);
    else this.write(this.rootDone ? `\n${pi}` : `${pi}\n`);
  }

  attach(parser: SaxesParser<{ xmlns: true }>): void {
    parser.on('opentag', (tag) => this.onOpenTag(tag as CanonicalTag));
    parser.on('closetag', (tag) => this.onCloseTag(tag));
    parser.on('text', (text) => this.onText(text));
    parser.on('cdata', (text) => this.onText(text));
    parser.on('processinginstruction', ({ target, body }) => this.onProcessingInstruction(target, body));
  }
}

const XMLNS_ATTRIBUTE = /^xmlns(:|$)/;

/**
 * Feeds a DOM document's nodes to a canonicalizer, in document order: the same canonical form from a
 * parsed document (signXades, small files) as from the stream (large ones). Comments are skipped, text
 * and CDATA are text; the document's own text (outside the root) does not count.
 */
export function canonicalizeDocument(document: Document, canonicalizer: ExclusiveCanonicalizer): void {
  const visit = (node: Node): void => {
    if (node.nodeType === 1) {
      const element = node as Element;
      const attributes: CanonicalTag['attributes'] = {};
      for (let i = 0; i < element.attributes.length; i++) {
        const attribute = element.attributes[i]!;
        if (XMLNS_ATTRIBUTE.test(attribute.name)) continue;
        attributes[attribute.name] = { name: attribute.name, prefix: attribute.prefix ?? '', local: attribute.localName ?? attribute.name, uri: attribute.namespaceURI ?? '', value: attribute.value };
      }
      const tag = { name: element.tagName, prefix: element.prefix ?? '', local: element.localName ?? element.tagName, uri: element.namespaceURI ?? '', attributes };
      canonicalizer.onOpenTag(tag);
      for (let child = element.firstChild; child; child = child.nextSibling) visit(child);
      canonicalizer.onCloseTag(tag);
    } else if (node.nodeType === 3 || node.nodeType === 4) canonicalizer.onText((node as CharacterData).data);
    // xmldom keeps the XML declaration as a processing instruction `xml`: it is not one.
    else if (node.nodeType === 7 && (node as ProcessingInstruction).target.toLowerCase() !== 'xml') {
      canonicalizer.onProcessingInstruction((node as ProcessingInstruction).target, (node as ProcessingInstruction).data);
    }
  };
  for (let child = document.firstChild; child; child = child.nextSibling) visit(child);
}
