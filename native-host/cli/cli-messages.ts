/**
 * What `cas-token` says, in Romanian, English or Russian: the language comes from LC_ALL, then
 * LC_MESSAGES, then LANG (POSIX order; `ro_RO.UTF-8`, `ru_RU.UTF-8`, anything else English).
 * The error sentences are the extension's own (`public/_locales/<lang>/messages.json`, kept equal by
 * test/unit/cli/cli-messages.test.ts); the technical detail beneath them stays as the code wrote it.
 * Light on purpose: `cas-token help` loads this and nothing heavy.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ErrorCode } from '../../shared/protocol/error-codes.js';

export const CLI_LANGUAGES = ['ro', 'en', 'ru'] as const;
export type CliLanguage = (typeof CLI_LANGUAGES)[number];

/** The language the environment asks for (first of LC_ALL, LC_MESSAGES, LANG that is set and not empty). */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): CliLanguage {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '') ?? '';
  const language = locale.slice(0, 2).toLowerCase();
  return language === 'ro' || language === 'ru' ? language : 'en';
}

/** The language of the documents (signed files' names, the visible box's labels): --lang, else the terminal's. */
export function documentLanguage(value: string | undefined): CliLanguage {
  if (value === undefined) return cliLanguage();
  const language = value.trim().toLowerCase();
  if (language !== 'ro' && language !== 'en' && language !== 'ru') throw new CasTokenError('INVALID_ARGUMENT', `--lang takes ro, en or ru, not "${value}".`);
  return language;
}

type Catalogue = {
  usageTitle: string;
  usageWord: string;
  /** The notes under the command lines; `separator` joins CAS_TOKEN_MODULES paths on this OS. */
  usageNotes: (separator: string) => string;
  usageHint: string;
  unknownCommand: (name: string) => string;
  pinPrompt: (token: string) => string;
  signed: (input: string, output: string, format: string) => string;
  replacedExisting: string;
  partlySigned: (failures: number, total: number) => string;
  emptyWarning: (file: string) => string;
  usingCertificate: (serial: string, holder: string, token: string) => string;
  noQualifiedCertificate: (available: string) => string;
  severalQualifiedCertificates: (available: string) => string;
  wroteRequest: (file: string, signed: boolean) => string;
  attemptsLeft: (n: number) => string;
  noCertificates: string;
  certificateHeaders: [string, string, string, string, string, string, string];
  yes: string;
  no: string;
  formats: Record<'pades' | 'xades' | 'cades' | 'raw', string>;
  errors: { [C in ErrorCode]?: string };
};

const en: Catalogue = {
  usageTitle: 'cas-token — qualified certificates on USB tokens (PKCS#11) for CAS registration and signing',
  usageWord: 'Usage:',
  usageNotes: (separator) => `Modules: --module (repeatable) > CAS_TOKEN_MODULES (paths joined by '${separator}') > the config file > discovery.
The PIN is read from the environment variable named by --pin-env, or typed at a hidden prompt.
Without --cert, sign and request use the token's one qualified signing certificate (and say which).
--visible: a signature box on the PDF, PAGE,X,Y,W,H in points from the lower-left corner, or a corner
  (bottom-right, bottom-left, top-right, top-left; on the last page, or PAGE,CORNER); off by default.
--lang: the language of the box's labels and of signed files' names (factura-semnat.pdf, -signed, -подписан);
  default: LANG. Messages follow LC_ALL / LC_MESSAGES / LANG (ro, ru; English otherwise).`,
  usageHint: 'Run `cas-token help` for usage.',
  unknownCommand: (name) => `unknown command "${name}"`,
  pinPrompt: (token) => `PIN for token "${token}": `,
  signed: (input, output, format) => `signed ${input} -> ${output} (${format})`,
  replacedExisting: ' (replaced the file that was there)',
  partlySigned: (failures, total) => `${failures} of ${total} file(s) could not be signed (the first one's reason is the code); the others were written.`,
  emptyWarning: (file) => `warning: ${file} is empty (0 bytes): its signature covers no content.`,
  usingCertificate: (serial, holder, token) => `Using certificate ${serial} (${holder}, qualified signing) on token "${token}".`,
  noQualifiedCertificate: (available) => `No qualified signing certificate on the token; name one with --cert SERIAL_OR_ID.${available}`,
  severalQualifiedCertificates: (available) => `Several qualified signing certificates on the token; name one with --cert SERIAL_OR_ID.${available}`,
  wroteRequest: (file, signed) => `wrote ${file}${signed ? ' (signed, PAdES)' : ''}`,
  attemptsLeft: (n) => ` (${n} attempt(s) left)`,
  noCertificates: 'No certificate on the token(s).',
  certificateHeaders: ['Token', 'ID', 'Serial number', 'Subject CN', 'Valid to', 'Key', 'Qualified'],
  yes: 'yes',
  no: 'no',
  formats: { pades: 'signed PDF (PAdES)', xades: 'signed XML (XAdES)', cades: 'separate signature (CAdES)', raw: 'raw signature' },
  errors: {},
};

const ro: Catalogue = {
  usageTitle: 'cas-token — certificate calificate pe tokenuri USB (PKCS#11) pentru înregistrarea la CAS și semnare',
  usageWord: 'Utilizare:',
  usageNotes: (separator) => `Module: --module (se poate repeta) > CAS_TOKEN_MODULES (căi despărțite prin '${separator}') > fișierul de configurare > căutare automată.
PIN-ul se citește din variabila de mediu numită de --pin-env sau se tastează la un prompt ascuns.
Fără --cert, sign și request folosesc singurul certificat calificat de semnătură de pe token (și spun care).
--visible: o casetă de semnătură pe PDF, PAGINĂ,X,Y,L,Î în puncte de la colțul din stânga jos, sau un colț
  (bottom-right / jos-dreapta, bottom-left, top-right, top-left; pe ultima pagină, sau PAGINĂ,COLȚ); implicit dezactivată.
--lang: limba etichetelor din casetă și a numelor fișierelor semnate (factura-semnat.pdf, -signed, -подписан);
  implicit: LANG. Mesajele urmează LC_ALL / LC_MESSAGES / LANG (ro, ru; altfel engleză).`,
  usageHint: 'Rulați `cas-token help` pentru instrucțiuni.',
  unknownCommand: (name) => `comandă necunoscută „${name}”`,
  pinPrompt: (token) => `PIN-ul tokenului „${token}”: `,
  signed: (input, output, format) => `semnat ${input} -> ${output} (${format})`,
  replacedExisting: ' (a înlocuit fișierul existent)',
  partlySigned: (failures, total) => `${failures} din ${total} fișiere nu au putut fi semnate (codul este motivul primului); celelalte au fost scrise.`,
  emptyWarning: (file) => `atenție: ${file} este gol (0 octeți): semnătura lui nu acoperă niciun conținut.`,
  usingCertificate: (serial, holder, token) => `Folosesc certificatul ${serial} (${holder}, semnătură calificată) de pe tokenul „${token}”.`,
  noQualifiedCertificate: (available) => `Pe token nu este niciun certificat calificat de semnătură; alegeți unul cu --cert SERIE_SAU_ID.${available}`,
  severalQualifiedCertificates: (available) => `Pe token sunt mai multe certificate calificate de semnătură; alegeți unul cu --cert SERIE_SAU_ID.${available}`,
  wroteRequest: (file, signed) => `am scris ${file}${signed ? ' (semnat, PAdES)' : ''}`,
  attemptsLeft: (n) => ` (mai aveți ${n} încercări)`,
  noCertificates: 'Niciun certificat pe token(uri).',
  certificateHeaders: ['Token', 'ID', 'Număr de serie', 'Titular (CN)', 'Valabil până la', 'Cheie', 'Calificat'],
  yes: 'da',
  no: 'nu',
  formats: { pades: 'PDF semnat (PAdES)', xades: 'XML semnat (XAdES)', cades: 'semnătură separată (CAdES)', raw: 'semnătură brută' },
  errors: {
    HOST_UNAVAILABLE: 'Programul gazdă CAS Token nu poate fi contactat.',
    NO_MODULE: 'Nu este instalat niciun driver de token.',
    MODULE_LOAD_FAILED: 'Driverul tokenului nu poate fi încărcat.',
    NO_TOKEN: 'Tokenul nu este introdus (sau a fost scos). Introduceți-l și încercați din nou.',
    TOKEN_FAILED: 'Tokenul nu mai funcționează. Scoateți-l, introduceți-l din nou și reîncercați.',
    TOKEN_BUSY: 'Tokenul este ocupat cu altă cerere. Încercați din nou peste câteva momente.',
    CERTIFICATE_NOT_FOUND: 'Certificatul nu a fost găsit pe token.',
    KEY_NOT_FOUND: 'Tokenul conține certificatul, dar nu și cheia lui privată.',
    MECHANISM_NOT_SUPPORTED: 'Tokenul nu poate semna cu acest algoritm.',
    FORMAT_NOT_SUPPORTED: 'Un certificat cu cheie GOST semnează fișiere doar în format CAdES (.p7s sau .sig): semnăturile PDF (PAdES) și XML (XAdES) cu GOST nu se fac aici. Alegeți CAdES.',
    PIN_REQUIRED: 'Tokenul are nevoie de PIN.',
    PIN_INCORRECT: 'PIN greșit. Încercați din nou cu atenție.',
    PIN_LOCKED: 'PIN-ul tokenului este blocat. Deblocați-l cu aplicația furnizorului de certificat.',
    PIN_INVALID: 'Tokenul nu acceptă un PIN de această lungime sau cu aceste caractere.',
    DOCUMENT_LOCKED: 'Documentul nu permite o altă semnătură: este certificat împotriva modificărilor sau o semnătură existentă în el ar deveni invalidă.',
    DOCUMENT_DAMAGED: 'Documentul este deteriorat (structura internă nu este coerentă) și nu poate fi semnat în siguranță: deschideți-l și salvați-l din nou sau cereți o copie nouă.',
    SIGNATURE_PLACEMENT_INVALID: 'Caseta semnăturii vizibile nu încape în pagină: alegeți un colț sau o casetă în interiorul paginii, de cel puțin 40 × 16 puncte.',
    INVALID_ARGUMENT: 'Comanda nu poate fi executată așa cum a fost scrisă.',
    USER_CANCELLED: 'Anulat.',
    TIMEOUT: 'Niciun răspuns în timp util.',
    INTERNAL_ERROR: 'Ceva nu a mers bine.',
  },
};

const ru: Catalogue = {
  usageTitle: 'cas-token — квалифицированные сертификаты на USB-токенах (PKCS#11): регистрация в CAS и подпись',
  usageWord: 'Использование:',
  usageNotes: (separator) => `Модули: --module (можно повторять) > CAS_TOKEN_MODULES (пути через '${separator}') > файл настроек > автоматический поиск.
PIN-код читается из переменной окружения, названной в --pin-env, или вводится скрыто в терминале.
Без --cert команды sign и request используют единственный квалифицированный сертификат подписи на токене (и называют его).
--visible: поле подписи на PDF, СТРАНИЦА,X,Y,Ш,В в пунктах от левого нижнего угла, или угол
  (bottom-right / снизу-справа, bottom-left, top-right, top-left; на последней странице, или СТРАНИЦА,УГОЛ); по умолчанию выключено.
--lang: язык надписей в поле и имён подписанных файлов (factura-semnat.pdf, -signed, -подписан);
  по умолчанию: LANG. Сообщения следуют LC_ALL / LC_MESSAGES / LANG (ro, ru; иначе английский).`,
  usageHint: 'Справка: `cas-token help`.',
  unknownCommand: (name) => `неизвестная команда «${name}»`,
  pinPrompt: (token) => `PIN-код токена «${token}»: `,
  signed: (input, output, format) => `подписано ${input} -> ${output} (${format})`,
  replacedExisting: ' (заменён существовавший файл)',
  partlySigned: (failures, total) => `Не удалось подписать файлов: ${failures} из ${total} (код — причина первой ошибки); остальные записаны.`,
  emptyWarning: (file) => `внимание: ${file} пуст (0 байт): его подпись не охватывает никакого содержимого.`,
  usingCertificate: (serial, holder, token) => `Используется сертификат ${serial} (${holder}, квалифицированная подпись) на токене «${token}».`,
  noQualifiedCertificate: (available) => `На токене нет квалифицированного сертификата подписи; укажите сертификат: --cert СЕРИЙНЫЙ_НОМЕР_ИЛИ_ID.${available}`,
  severalQualifiedCertificates: (available) => `На токене несколько квалифицированных сертификатов подписи; укажите один: --cert СЕРИЙНЫЙ_НОМЕР_ИЛИ_ID.${available}`,
  wroteRequest: (file, signed) => `записан ${file}${signed ? ' (подписан, PAdES)' : ''}`,
  attemptsLeft: (n) => ` (осталось попыток: ${n})`,
  noCertificates: 'На токене (токенах) нет сертификатов.',
  certificateHeaders: ['Токен', 'ID', 'Серийный номер', 'Владелец (CN)', 'Действует до', 'Ключ', 'Квалиф.'],
  yes: 'да',
  no: 'нет',
  formats: { pades: 'подписанный PDF (PAdES)', xades: 'подписанный XML (XAdES)', cades: 'отдельная подпись (CAdES)', raw: 'простая подпись' },
  errors: {
    HOST_UNAVAILABLE: 'Программа-хост CAS Token недоступна.',
    NO_MODULE: 'Драйвер токена не установлен.',
    MODULE_LOAD_FAILED: 'Не удаётся загрузить драйвер токена.',
    NO_TOKEN: 'Токен не вставлен (или был извлечён). Вставьте его и повторите попытку.',
    TOKEN_FAILED: 'Токен перестал работать. Извлеките его, вставьте снова и повторите попытку.',
    TOKEN_BUSY: 'Токен занят другим запросом. Повторите попытку через несколько секунд.',
    CERTIFICATE_NOT_FOUND: 'Сертификат не найден на токене.',
    KEY_NOT_FOUND: 'На токене есть сертификат, но нет его закрытого ключа.',
    MECHANISM_NOT_SUPPORTED: 'Токен не может подписать этим алгоритмом.',
    FORMAT_NOT_SUPPORTED: 'Сертификат с ключом ГОСТ подписывает файлы только в формате CAdES (.p7s или .sig): подписи PDF (PAdES) и XML (XAdES) по ГОСТ здесь не создаются. Выберите CAdES.',
    PIN_REQUIRED: 'Токену нужен PIN-код.',
    PIN_INCORRECT: 'Неверный PIN-код. Повторите внимательно.',
    PIN_LOCKED: 'PIN-код токена заблокирован. Разблокируйте его программой поставщика сертификата.',
    PIN_INVALID: 'Токен не принимает PIN-код такой длины или с такими символами.',
    DOCUMENT_LOCKED: 'Документ не допускает новой подписи: он заверен против изменений, или уже имеющаяся в нём подпись стала бы недействительной.',
    DOCUMENT_DAMAGED: 'Документ повреждён (его внутренняя структура нарушена), и его нельзя надёжно подписать: откройте и сохраните его заново или запросите новую копию.',
    SIGNATURE_PLACEMENT_INVALID: 'Поле видимой подписи не помещается на странице: выберите угол или поле внутри страницы размером не менее 40 × 16 пунктов.',
    INVALID_ARGUMENT: 'Команду нельзя выполнить в таком виде.',
    USER_CANCELLED: 'Отменено.',
    TIMEOUT: 'Нет ответа вовремя.',
    INTERNAL_ERROR: 'Что-то пошло не так.',
  },
};

const CATALOGUES: Record<CliLanguage, Catalogue> = { ro, en, ru };

/** The messages in the environment's language (read once per process). */
let current: Catalogue | undefined;
export function messages(): Catalogue {
  current ??= CATALOGUES[cliLanguage()];
  return current;
}

export function catalogueFor(language: CliLanguage): Catalogue {
  return CATALOGUES[language];
}
