/**
 * Files picked or dropped together on the Verify page: a detached signature (`.p7s`, `.sig`) is paired
 * with the file it signs by name (`cerere.pdf.p7s` ↔ `cerere.pdf`, else `cerere.p7s` ↔ `cerere.*`
 * when only one file has that name). A file that is some signature's content is not verified on its own.
 */
export interface FilePair<F extends { name: string } = File> {
  signature: F;
  content?: F;
}

const DETACHED = /\.(p7s|sig)$/i;
const withoutExtension = (name: string): string => name.replace(/\.[^.]*$/, '');

export function pairSignatureFiles<F extends { name: string }>(files: F[]): FilePair<F>[] {
  const contentOf = new Map<F, F>();
  for (const file of files) {
    if (!DETACHED.test(file.name)) continue;
    const base = withoutExtension(file.name);
    const others = files.filter((other) => other !== file && !DETACHED.test(other.name));
    const exact = others.find((other) => other.name === base);
    const sameStem = others.filter((other) => withoutExtension(other.name) === base);
    const content = exact ?? (sameStem.length === 1 ? sameStem[0] : undefined);
    if (content) contentOf.set(file, content);
  }
  const contents = new Set(contentOf.values());
  return files.filter((file) => !contents.has(file)).map((file) => (contentOf.has(file) ? { signature: file, content: contentOf.get(file)! } : { signature: file }));
}
