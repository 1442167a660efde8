/**
 * PKCS#10 certificate requests signed by a key that stays on the token: pkijs builds the request, the
 * token signs the digest of its to-be-signed part. The subject is copied byte for byte from the current
 * certificate (order, string types, diacritics, e-mail, organizationIdentifier kept) or typed by the
 * user in the SIUI form (`C=RO, O=…, CN=…, 2.5.4.97=VATRO-…`).
 *
 * GOST R 34.10-2012 keys: the Streebog of the key's size, signatureAlgorithm id-tc26-signwithdigest-
 * gost3410-12-256/-512 with absent parameters (RFC 9215), and the token's s||r as the BIT STRING, unchanged.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { isGostHash } from '../protocol/gost-algorithms.js';
import { ECDSA_SIGNATURE_OIDS, GOST_OIDS, OIDS, RSA_PKCS1_SIGNATURE_OIDS } from '../protocol/oids.js';
import type { GostHashAlgorithm } from '../protocol/gost-algorithms.js';
import { digestOf } from '../signature/signer.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { oidOfShortName } from './distinguished-name.js';
import { bytesToBase64 } from '../encoding/base64.js';

const ab = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** Parses `C=RO, O=Farmacia X, SRL, CN=…` (values may contain `, `: a new RDN starts only at `NAME=`). */
export function parseSubject(text: string): [string, string][] {
  const parts = text.split(/,\s*(?=(?:[A-Za-z][A-Za-z0-9]*|\d+(?:\.\d+)+)\s*=)/);
  return parts.map((part) => {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (at <= 0 || value === '' || !oidOfShortName(name)) {
      throw new CasTokenError('INVALID_ARGUMENT', `Cannot read "${part.trim()}" in the subject: write NAME=value pairs such as C=RO, O=…, CN=…, 2.5.4.97=VATRO-….`);
    }
    return [name, value];
  });
}

function valueFor(oid: string, value: string): asn1js.AsnType {
  if (oid === OIDS.countryName || oid === OIDS.serialNumber) return new asn1js.PrintableString({ value });
  if (oid === OIDS.emailAddress) return new asn1js.IA5String({ value });
  if (oid.startsWith('1.2.643.')) return new asn1js.NumericString({ value });
  return new asn1js.Utf8String({ value });
}

function nameFromAttributes(attributes: [string, string][]): pkijs.RelativeDistinguishedNames {
  const sequence = new asn1js.Sequence({
    value: attributes.map(([name, value]) => {
      const oid = oidOfShortName(name);
      if (!oid) throw new CasTokenError('INVALID_ARGUMENT', `Unknown subject attribute "${name}": use C, ST, L, O, OU, CN, E, serialNumber, 2.5.4.97 (organizationIdentifier) or an OID.`);
      return new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), valueFor(oid, value)] })] });
    }),
  });
  // Decoded from bytes so pkijs keeps one RDN per attribute (its own encoder would put them in one SET).
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER(false));
}

/** The subject Name of a certificate (DER of the whole certificate in, pkijs Name out, bytes kept). */
export function subjectOfCertificate(certificateDer: Uint8Array): pkijs.RelativeDistinguishedNames {
  return pkijs.Certificate.fromBER(ab(certificateDer)).subject;
}

export interface CertificateRequestOptions {
  subject: pkijs.RelativeDistinguishedNames | [string, string][];
  subjectPublicKeyInfo: Uint8Array;
  hashAlgorithm?: HashAlgorithm;
  /** Signs the digest of the request with the new key (on the token): RSA PKCS#1 v1.5, ECDSA as DER, GOST s||r. */
  signDigest(digest: Uint8Array, hashAlgorithm: HashAlgorithm): Promise<Uint8Array>;
}

export interface CertificateRequest {
  der: Uint8Array;
  pem: string;
}

export async function createCertificateRequest(options: CertificateRequestOptions): Promise<CertificateRequest> {
  const publicKey = pkijs.PublicKeyInfo.fromBER(ab(options.subjectPublicKeyInfo));
  const keyOid = publicKey.algorithm.algorithmId;
  const ecdsa = keyOid === OIDS.ecPublicKey;
  const gost = keyOid === GOST_OIDS.publicKey256 || keyOid === GOST_OIDS.publicKey512;
  const gostHash: GostHashAlgorithm = keyOid === GOST_OIDS.publicKey512 ? 'GOST3411-2012-512' : 'GOST3411-2012-256';
  const hash = options.hashAlgorithm ?? (gost ? gostHash : 'SHA-256');
  if (gost !== isGostHash(hash) || (gost && hash !== gostHash)) {
    throw new CasTokenError('INVALID_ARGUMENT', gost ? `A GOST R 34.10-2012 key signs its request with ${gostHash}, not ${hash}.` : `${hash} goes with GOST keys only.`);
  }
  const request = new pkijs.CertificationRequest({
    version: 0,
    subject: Array.isArray(options.subject) ? nameFromAttributes(options.subject) : options.subject,
    subjectPublicKeyInfo: publicKey,
    attributes: [], // RFC 2986: the [0] attributes field is always present, empty here
  });
  // The signature algorithm is known before signing (key type + hash), so the request is complete but for
  // the signature value: its public toSchema(true) encodes the to-be-signed part, which we keep as the
  // request's tbs so that the bytes the token signs are the bytes written out.
  if (isGostHash(hash)) {
    request.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: hash === 'GOST3411-2012-256' ? GOST_OIDS.signatureWithDigest256 : GOST_OIDS.signatureWithDigest512 });
  } else {
    request.signatureAlgorithm = new pkijs.AlgorithmIdentifier({
      algorithmId: ecdsa ? ECDSA_SIGNATURE_OIDS[hash] : RSA_PKCS1_SIGNATURE_OIDS[hash],
      ...(ecdsa ? {} : { algorithmParams: new asn1js.Null() }),
    });
  }
  const tbs = new Uint8Array(request.toSchema(true).valueBlock.value[0]!.toBER(false));
  request.tbsView = tbs;
  const digest = await digestOf(tbs, hash);
  request.signatureValue = new asn1js.BitString({ valueHex: ab(await options.signDigest(digest, hash)) });
  const der = new Uint8Array(request.toSchema(false).toBER(false)); // false: the tbs kept above, as signed
  const base64 = bytesToBase64(der);
  const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE REQUEST-----\n`;
  return { der, pem };
}
