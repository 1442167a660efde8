/** Every user-facing string exists in Romanian, English and Russian; the manifest key gives the id the host allows. */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, CHROMIUM_EXTENSION_KEY, FIREFOX_EXTENSION_ID } from '../../../shared/protocol/extension-ids.js';

const root = new URL('../../../', import.meta.url).pathname;
const locale = (lang: string): Record<string, { message: string }> => JSON.parse(readFileSync(join(root, 'public/_locales', lang, 'messages.json'), 'utf8'));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('locales', () => {
  const en = locale('en');
  it('ro and ru have exactly the keys en has, none empty', () => {
    for (const lang of ['ro', 'ru']) {
      const other = locale(lang);
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const [key, { message }] of Object.entries(other)) expect({ key, empty: message.trim() === '' }).toEqual({ key, empty: false });
    }
  });

  it('every key the extension uses exists', () => {
    const used = new Set<string>();
    for (const file of sources(join(root, 'extension'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([A-Za-z0-9]+)'/g)) used.add(match[1]!);
      for (const match of readFileSync(file, 'utf8').matchAll(/'(expiredMessage)'/g)) used.add(match[1]!);
    }
    const manifest = readFileSync(join(root, 'manifest.json'), 'utf8');
    for (const match of manifest.matchAll(/__MSG_([A-Za-z0-9]+)__/g)) used.add(match[1]!);
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((key) => !(key in en))).toEqual([]);
  });

  it('every message is used by the extension (no string left untranslated-and-unseen)', () => {
    const code =
      sources(join(root, 'extension'))
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n') + readFileSync(join(root, 'manifest.json'), 'utf8');
    const unused = Object.keys(en).filter((key) => !code.includes(`'${key}'`) && !code.includes(`__MSG_${key}__`));
    expect(unused).toEqual([]);
  });

  it('each translation takes the same substitutions ($1, $2…) as the English message', () => {
    const placeholders = (message: string): string[] => [...new Set(message.match(/\$\d/g) ?? [])].sort();
    for (const lang of ['ro', 'ru']) {
      const other = locale(lang);
      for (const [key, { message }] of Object.entries(en)) expect({ lang, key, placeholders: placeholders(other[key]?.message ?? '') }).toEqual({ lang, key, placeholders: placeholders(message) });
    }
  });

  it('Romanian uses comma-below ș ț, not the cedilla forms', () => {
    expect(JSON.stringify(locale('ro'))).not.toMatch(/[şţŞŢ]/);
    expect(JSON.stringify(locale('ro'))).toMatch(/[șț]/);
  });
});

describe('extension identity', () => {
  it('the manifest key is the one shared/protocol knows, and hashes to the Chromium id', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { key: string; browser_specific_settings: { gecko: { id: string } } };
    expect(manifest.key).toBe(CHROMIUM_EXTENSION_KEY);
    const hex = createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
    const id = [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
    expect(id).toBe(CHROMIUM_EXTENSION_ID);
    expect(manifest.browser_specific_settings.gecko.id).toBe(FIREFOX_EXTENSION_ID);
  });
});
