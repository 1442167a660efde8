import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** DejaVu Sans (regular and bold) from the dejavu-fonts-ttf package: it draws ă â î ș ț and Cyrillic. */
export function registrationFonts(): { regular: Uint8Array; bold: Uint8Array } {
  const require = createRequire(import.meta.url);
  const file = (name: string): Uint8Array => new Uint8Array(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`)));
  return { regular: file('DejaVuSans.ttf'), bold: file('DejaVuSans-Bold.ttf') };
}
