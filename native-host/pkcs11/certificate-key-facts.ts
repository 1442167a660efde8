/**
 * What the signing path needs to know of a certificate on a token, read from the certificate itself:
 * its serial number and the type of its key. asn1js, so loaded with the signing code, not at start-up.
 */
import * as asn1js from 'asn1js';
import { serialForms } from '../../shared/certificate/certificate-serial.js';
import { GOST_OIDS, OIDS } from '../../shared/protocol/oids.js';
import type { TokenKeyType } from './signature-mechanism.js';

const RSA_OIDS = new Set<string>([OIDS.rsaEncryption, OIDS.rsassaPss]);
const EC_OID = OIDS.ecPublicKey;

export interface CertificateKeyFacts {
  /** The certificate serial as upper-case hex without the DER sign byte. */
  serialNumberHex: string;
  /** `GOST2001`: a GOST R 34.10-2001 key, no longer qualified; refused for signing. */
  keyType: TokenKeyType | 'GOST2001' | 'other';
  /** GOST R 34.10-2012 keys: 256 or 512. */
  gostKeyBits?: 256 | 512;
}

/** Facts of certificates already read, by their bytes (the same certificate is signed with again and again). */
const knownFacts = new Map<string, CertificateKeyFacts>();
/** The same, by the very array the token's certificate was read into (kept per insertion): no key to build. */
const factsOfArray = new WeakMap<Uint8Array, CertificateKeyFacts>();

/** What the signing path needs from a certificate, read from the certificate itself (never CKA_SERIAL_NUMBER). */
export function certificateKeyFacts(der: Uint8Array): CertificateKeyFacts {
  const known = factsOfArray.get(der);
  if (known) return known;
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let facts = knownFacts.get(key);
  if (!facts) {
    facts = parseKeyFacts(der);
    if (knownFacts.size >= 64) knownFacts.delete(knownFacts.keys().next().value!);
    knownFacts.set(key, facts);
  }
  factsOfArray.set(der, facts);
  return facts;
}

function parseKeyFacts(der: Uint8Array): CertificateKeyFacts {
  // asn1js rather than a full certificate parser: this runs on every signing and host start-up time counts.
  const parsed = asn1js.fromBER(Uint8Array.from(der));
  const tbs = (parsed.result as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  if (parsed.offset === -1 || !(tbs instanceof asn1js.Sequence)) throw new Error('not an X.509 certificate');
  const fields = tbs.valueBlock.value.filter((field) => !(field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 0));
  const serial = fields[0] as asn1js.Integer;
  const spki = fields[5] as asn1js.Sequence;
  const algorithm = ((spki.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
  const serialNumberHex = serialForms(new Uint8Array(serial.valueBlock.valueHexView)).serialNumber;
  if (algorithm === GOST_OIDS.publicKey256 || algorithm === GOST_OIDS.publicKey512) {
    return { serialNumberHex, keyType: 'GOST', gostKeyBits: algorithm === GOST_OIDS.publicKey256 ? 256 : 512 };
  }
  if (algorithm === GOST_OIDS.publicKey2001) return { serialNumberHex, keyType: 'GOST2001' };
  const keyType = RSA_OIDS.has(algorithm) ? 'RSA' : algorithm === EC_OID ? 'EC' : 'other';
  return { serialNumberHex, keyType };
}
