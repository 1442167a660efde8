/**
 * The hint lines under a PKCS#11 failure (what to install, what to check), in the CLI's language. The
 * token code writes them in English (native-host/pkcs11: the extension and pages get them as they are);
 * here the ones it writes are recognised and said in Romanian or Russian. A hint not recognised (a new
 * one, or from another version) stays as written: English is better than nothing.
 */
import { missingModuleHint } from '../pkcs11/module-discovery.js';
import type { CliLanguage } from './cli-messages.js';

type Translated = Record<Exclude<CliLanguage, 'en'>, string>;

/** native-host/pkcs11/pkcs11-module.ts and pkcs11-addon.ts: fixed sentences. */
const FIXED: Record<string, Translated> = {
  'Check that the token driver is installed for this computer (64-bit) and that the path is right.': {
    ro: 'Verificați că driverul tokenului este instalat pentru acest calculator (64 de biți) și că este calea corectă.',
    ru: 'Проверьте, что драйвер токена установлен для этого компьютера (64-битный) и что путь указан верно.',
  },
  'Reinstall CAS Token: its pkcs11 addon is missing, damaged or built for another system.': {
    ro: 'Reinstalați CAS Token: modulul său pkcs11 lipsește, este deteriorat sau este construit pentru alt sistem.',
    ru: 'Переустановите CAS Token: его модуль pkcs11 отсутствует, повреждён или собран для другой системы.',
  },
};

/** What varies by OS in missingModuleHint() (native-host/pkcs11/module-discovery.ts), read back from its words. */
interface MissingModuleParts {
  openSc: string;
  variable: string;
  delimiter: string;
  config: string;
  example: string;
}

const MISSING_MODULE_TAIL = /other smart cards → (.+)\. If the driver is installed elsewhere, name its library in (\S+) \(several joined by "(.)"\) or in (.+) as (\{ "modules": \[.*\] \})\.$/;

const MISSING_MODULE: Record<Exclude<CliLanguage, 'en'>, (p: MissingModuleParts) => string> = {
  ro: (p) =>
    `Nu a fost găsit niciun driver de token (bibliotecă PKCS#11). Instalați-l pe cel al tokenului dumneavoastră: tokenuri certSIGN, AlfaSign / AlfaTrust și Trans Sped (SafeNet eToken 5110, IDPrime 940) → SafeNet Authentication Client (Thales); carduri Gemalto IDPrime → middleware-ul IDPrime sau SafeNet Authentication Client; tokenuri Bit4id → Bit4id Universal Middleware; Athena IDProtect → IDProtect Client; Feitian ePass2003 → middleware-ul ePass2003 sau OpenSC; Rutoken ECP → driverele Rutoken (Рутокен, librtpkcs11ecp); JaCarta → JaCarta Unified Client (Единый клиент JaCarta); alte carduri inteligente → ${p.openSc}. Dacă driverul este instalat în altă parte, numiți biblioteca lui în ${p.variable} (mai multe despărțite prin „${p.delimiter}”) sau în ${p.config} ca ${p.example}.`,
  ru: (p) =>
    `Драйвер токена (библиотека PKCS#11) не найден. Установите драйвер вашего токена: токены certSIGN, AlfaSign / AlfaTrust и Trans Sped (SafeNet eToken 5110, IDPrime 940) → SafeNet Authentication Client (Thales); карты Gemalto IDPrime → IDPrime middleware или SafeNet Authentication Client; токены Bit4id → Bit4id Universal Middleware; Athena IDProtect → IDProtect Client; Feitian ePass2003 → ePass2003 middleware или OpenSC; Рутокен ЭЦП → драйверы Рутокен (Rutoken, librtpkcs11ecp); JaCarta → Единый клиент JaCarta (JaCarta Unified Client); другие смарт-карты → ${p.openSc}. Если драйвер установлен в другом месте, укажите его библиотеку в ${p.variable} (несколько — через «${p.delimiter}») или в ${p.config} в виде ${p.example}.`,
};

/**
 * The parts of a missing-driver hint, when `hint` is word for word the one the token code writes on
 * this OS (a changed list of drivers is not translated from an old one: it stays English until this
 * file follows, and test/unit/cli/cli-hints.test.ts fails).
 */
function missingModuleParts(hint: string, platform: NodeJS.Platform): MissingModuleParts | undefined {
  if (hint !== missingModuleHint(platform)) return undefined;
  const match = MISSING_MODULE_TAIL.exec(hint);
  if (!match) return undefined;
  const [, openSc = '', variable = '', delimiter = '', config = '', example = ''] = match;
  return { openSc, variable, delimiter, config, example };
}

/** `hint` in `language` when it is one the token code writes; otherwise as it is. */
export function translatedHint(hint: string, language: CliLanguage, platform: NodeJS.Platform = process.platform): string {
  if (language === 'en') return hint;
  const fixed = FIXED[hint];
  if (fixed) return fixed[language];
  const parts = missingModuleParts(hint, platform);
  return parts ? MISSING_MODULE[language](parts) : hint;
}
