/**
 * The hint lines under a PKCS#11 failure are said in the CLI's language: every hint the token code
 * writes (read from its sources, and the missing-driver hint of each OS) has its Romanian and Russian
 * words; English and hints not known stay as written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translatedHint } from '../../../native-host/cli/cli-hints.js';
import { MODULES_ENV_VARIABLE, missingModuleHint } from '../../../native-host/pkcs11/module-discovery.js';

const PKCS11_SOURCES = join(import.meta.dirname, '../../../native-host/pkcs11');

/** The fixed hint sentences the token code writes (`hint: '…'`). */
function fixedHints(): string[] {
  return readdirSync(PKCS11_SOURCES)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => [...readFileSync(join(PKCS11_SOURCES, name), 'utf8').matchAll(/\bhint: '([^']+)'/g)].map((match) => match[1]!));
}

describe('CLI hints in the user language', () => {
  it('every fixed hint of the token code has its Romanian and Russian sentence', () => {
    const hints = fixedHints();
    expect(hints.length).toBeGreaterThan(0);
    for (const hint of hints) {
      expect(translatedHint(hint, 'ro'), hint).not.toBe(hint);
      expect(translatedHint(hint, 'ru'), hint).not.toBe(hint);
    }
    expect(translatedHint('Check that the token driver is installed for this computer (64-bit) and that the path is right.', 'ro')).toBe(
      'Verificați că driverul tokenului este instalat pentru acest calculator (64 de biți) și că este calea corectă.',
    );
  });

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`the missing-driver hint on ${platform}: in Romanian and Russian, with the same variable, config file and example`, () => {
      const hint = missingModuleHint(platform);
      const [, config, example] = / or in (.+) as (\{ "modules": \[.*\] \})\.$/.exec(hint)!;
      const ro = translatedHint(hint, 'ro', platform);
      const ru = translatedHint(hint, 'ru', platform);
      expect(ro).toMatch(/^Nu a fost găsit niciun driver de token \(bibliotecă PKCS#11\)\. Instalați-l pe cel al tokenului dumneavoastră: tokenuri certSIGN/);
      expect(ru).toMatch(/^Драйвер токена \(библиотека PKCS#11\) не найден\. Установите драйвер вашего токена: токены certSIGN/);
      for (const translated of [ro, ru]) {
        for (const kept of [MODULES_ENV_VARIABLE, config!, example!, 'SafeNet Authentication Client (Thales)', 'OpenSC']) expect(translated).toContain(kept);
        expect(translated).not.toMatch(/Install the one|If the driver is installed elsewhere|other smart cards/);
      }
    });
  }

  it('English, and a hint the token code does not write, stay as written', () => {
    expect(translatedHint(missingModuleHint('linux'), 'en', 'linux')).toBe(missingModuleHint('linux'));
    expect(translatedHint('Ask the vendor for a 64-bit driver.', 'ro')).toBe('Ask the vendor for a 64-bit driver.');
    // The missing-driver hint of another OS is not this OS's: not taken for it.
    expect(translatedHint(missingModuleHint('win32'), 'ro', 'linux')).toBe(missingModuleHint('win32'));
  });
});
