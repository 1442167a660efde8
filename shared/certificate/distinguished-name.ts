/**
 * Distinguished names as CAS forms, RFC 4514 and Windows show them. Values are decoded from the raw
 * DER of each attribute (UTF8String, PrintableString, IA5String, NumericString, VisibleString,
 * T61String as Latin-1 like OpenSSL, BMPString as UTF-16BE, UniversalString as UTF-32BE).
 */
import * as asn1js from 'asn1js';
import { bytesToHex } from '../encoding/hex.js';

export interface NameAttribute {
  oid: string;
  value: string;
}

/** One RDN (a SET): usually one attribute, several for a multi-valued RDN. */
export type RelativeName = NameAttribute[];

/** The names SIUI, RFC 4514 and OpenSSL all give these six. */
const COMMON_NAMES: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
};

/** Short names: the SIUI convention (C ST L O OU CN), E for emailAddress, OpenSSL's names for the rest. */
const SHORT_NAMES: Record<string, string> = {
  ...COMMON_NAMES,
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.5': 'serialNumber',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
  '2.5.4.12': 'title',
  '2.5.4.9': 'street',
  '2.5.4.17': 'postalCode',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.15': 'businessCategory',
  '2.5.4.13': 'description',
  '2.5.4.72': 'role',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.643.3.131.1.1': 'INN',
  '1.2.643.100.1': 'OGRN',
  '1.2.643.100.3': 'SNILS',
  '1.2.643.100.4': 'INNLE',
  '1.2.643.100.5': 'OGRNIP',
};

/** RFC 4514 names only the common ones; everything else is the dotted OID there. */
const RFC4514_NAMES: Record<string, string> = {
  ...COMMON_NAMES,
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** The OID of a short name (`C`, `CN`, `E`/`emailAddress`, `2.5.4.97`, `INN`, …), or undefined. */
export function oidOfShortName(name: string): string | undefined {
  if (/^\d+(\.\d+)+$/.test(name)) return name;
  if (name === 'emailAddress') return '1.2.840.113549.1.9.1';
  if (name === 'organizationIdentifier') return '2.5.4.97';
  return Object.entries(SHORT_NAMES).find(([, short]) => short.toLowerCase() === name.toLowerCase())?.[0];
}

export function shortNameOf(oid: string): string {
  return SHORT_NAMES[oid] ?? oid;
}

function decodeBytes(bytes: Uint8Array, encoding: 'utf-8' | 'latin1' | 'utf-16be' | 'utf-32be'): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  if (encoding === 'latin1') return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  const width = encoding === 'utf-16be' ? 2 : 4;
  const codePoints: number[] = [];
  for (let i = 0; i + width <= bytes.length; i += width) {
    codePoints.push(width === 2 ? (bytes[i]! << 8) | bytes[i + 1]! : ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  }
  if (width === 2) return String.fromCharCode(...codePoints); // surrogate pairs come out right
  return String.fromCodePoint(...codePoints);
}

/** The text of one attribute value (any ASN.1 string type), or `#` + hex of its DER when it is not a string. */
export function attributeValueText(value: asn1js.AsnType): string {
  const block = value as asn1js.BaseBlock;
  const tagClass = block.idBlock.tagClass;
  const tag = block.idBlock.tagNumber;
  const content = new Uint8Array((block.valueBlock as unknown as { valueHexView?: Uint8Array }).valueHexView ?? new Uint8Array());
  if (tagClass === 1) {
    switch (tag) {
      case 12: // UTF8String
        return decodeBytes(content, 'utf-8');
      case 18: // NumericString
      case 19: // PrintableString
      case 22: // IA5String
      case 26: // VisibleString
      case 20: // TeletexString (T61): Latin-1, as OpenSSL reads it
      case 21: // VideotexString
      case 25: // GraphicString
      case 27: // GeneralString
        return decodeBytes(content, 'latin1');
      case 30:
        return decodeBytes(content, 'utf-16be');
      case 28:
        return decodeBytes(content, 'utf-32be');
    }
  }
  const der = new Uint8Array(block.toBER(false));
  return '#' + bytesToHex(der);
}

export function nameFromAsn1(sequence: asn1js.AsnType): RelativeName[] {
  const rdns = (sequence as asn1js.Sequence).valueBlock.value;
  return rdns.map((set) =>
    (set as asn1js.Set).valueBlock.value.map((atv) => {
      const [type, value] = (atv as asn1js.Sequence).valueBlock.value;
      return { oid: (type as asn1js.ObjectIdentifier).valueBlock.toString(), value: attributeValueText(value!) };
    }),
  );
}

/** SIUI form: certificate (DER) order, `, ` between RDNs, ` + ` inside a multi-valued RDN, short names, values as they are. */
export function nameForSiui(name: RelativeName[]): string {
  return name.map((rdn) => rdn.map((a) => `${shortNameOf(a.oid)}=${a.value}`).join(' + ')).join(', ');
}

/** Windows display: reverse of certificate order, `CN = …` pairs. */
export function nameForWindows(name: RelativeName[]): string {
  return [...name]
    .reverse()
    .map((rdn) => rdn.map((a) => `${shortNameOf(a.oid)} = ${a.value}`).join(' + '))
    .join(', ');
}

function escapeRfc4514(value: string): string {
  if (value.startsWith('#') && /^#[0-9a-f]+$/.test(value)) return value; // already a hex string
  // eslint-disable-next-line no-control-regex -- RFC 4514 escapes NUL as \00
  let escaped = value.replace(/[\\,+"<>;=]/g, (c) => '\\' + c).replace(/\u0000/g, '\\00');
  if (escaped.startsWith(' ') || escaped.startsWith('#')) escaped = '\\' + escaped;
  if (escaped.endsWith(' ') && escaped.length > 1) escaped = escaped.slice(0, -1) + '\\ ';
  return escaped;
}

/** RFC 4514: reversed order, `,` between RDNs, `+` inside one, escaped values. */
export function nameForRfc4514(name: RelativeName[]): string {
  return [...name]
    .reverse()
    .map((rdn) => rdn.map((a) => `${RFC4514_NAMES[a.oid] ?? a.oid}=${escapeRfc4514(a.value)}`).join('+'))
    .join(',');
}

export function attributeValues(name: RelativeName[], oid: string): string[] {
  return name
    .flat()
    .filter((a) => a.oid === oid)
    .map((a) => a.value);
}
