/** The X.509 extensions the details need: key usage, extended key usage, basic constraints, SAN e-mails, QCStatements. */
import * as asn1js from 'asn1js';
import { OIDS } from '../protocol/oids.js';

export interface ExtensionFacts {
  keyUsage: string[];
  extendedKeyUsage: string[];
  isCA: boolean;
  subjectAltNameEmails: string[];
  qcStatements: string[];
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.20.2.2': 'msSmartcardLogin',
  '1.3.6.1.4.1.311.10.3.12': 'msDocumentSigning',
  '1.2.840.113583.1.1.5': 'adobePdfSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

export const QC_COMPLIANCE = '0.4.0.1862.1.1';

function parse(bytes: Uint8Array): asn1js.AsnType | undefined {
  const parsed = asn1js.fromBER(bytes);
  return parsed.offset === -1 ? undefined : parsed.result;
}

function keyUsageNames(value: asn1js.AsnType | undefined): string[] {
  if (!(value instanceof asn1js.BitString)) return [];
  const bytes = new Uint8Array(value.valueBlock.valueHexView);
  return KEY_USAGE_BITS.filter((_, bit) => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
}

function sequenceItems(value: asn1js.AsnType | undefined): asn1js.AsnType[] {
  return value instanceof asn1js.Sequence ? value.valueBlock.value : [];
}

export function readExtensions(extensions: asn1js.Sequence | undefined): ExtensionFacts {
  const facts: ExtensionFacts = { keyUsage: [], extendedKeyUsage: [], isCA: false, subjectAltNameEmails: [], qcStatements: [] };
  for (const extension of sequenceItems(extensions)) {
    const parts = (extension as asn1js.Sequence).valueBlock.value;
    const oid = (parts[0] as asn1js.ObjectIdentifier).valueBlock.toString();
    const octets = parts[parts.length - 1] as asn1js.OctetString;
    const value = parse(new Uint8Array(octets.valueBlock.valueHexView));
    switch (oid) {
      case OIDS.keyUsage:
        facts.keyUsage = keyUsageNames(value);
        break;
      case OIDS.extKeyUsage:
        facts.extendedKeyUsage = sequenceItems(value).map((item) => {
          const usage = (item as asn1js.ObjectIdentifier).valueBlock.toString();
          return EXTENDED_KEY_USAGES[usage] ?? usage;
        });
        break;
      case OIDS.basicConstraints: {
        const first = sequenceItems(value)[0];
        facts.isCA = first instanceof asn1js.Boolean && first.valueBlock.value;
        break;
      }
      case OIDS.subjectAltName:
        for (const name of sequenceItems(value)) {
          const block = name as asn1js.BaseBlock;
          if (block.idBlock.tagClass === 3 && block.idBlock.tagNumber === 1) {
            const bytes = new Uint8Array((block.valueBlock as unknown as { valueHexView: Uint8Array }).valueHexView);
            facts.subjectAltNameEmails.push(new TextDecoder().decode(bytes));
          }
        }
        break;
      case OIDS.qcStatements:
        facts.qcStatements = sequenceItems(value).map((statement) => ((statement as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString());
        break;
    }
  }
  return facts;
}
