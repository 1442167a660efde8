import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getAsset } from 'node:sea';
import { isSingleExecutable } from './single-executable.js';

/**
 * DejaVu Sans (regular and bold) from the dejavu-fonts-ttf package: it draws ă â î ș ț and Cyrillic.
 * The single executable carries both files as assets under their file names (scripts/packaging/build-sea.js).
 */
export function registrationFonts(): { regular: Uint8Array; bold: Uint8Array } {
  const file = isSingleExecutable()
    ? (name: string): Uint8Array => new Uint8Array(getAsset(name))
    : (name: string): Uint8Array => new Uint8Array(readFileSync(createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`)));
  return { regular: file('DejaVuSans.ttf'), bold: file('DejaVuSans-Bold.ttf') };
}

/** The font files the single executable must carry. */
export const REGISTRATION_FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
