/**
 * The CMS SignedData both CAdES and PAdES produce: detached (or, for CAdES, attached: the content
 * inside), signed attributes contentType, messageDigest, (signingTime), signingCertificateV2; the
 * signature over the DER of the signed attributes comes from the Signer (the token). Attributes are
 * DER-sorted (SET OF), as verifiers re-encode them before checking.
 *
 * GOST R 34.10-2012 keys: pkijs only assembles the structures here (it has no GOST crypto, and none is
 * asked of it): the Streebog digests come from digestOf, the AlgorithmIdentifiers are written as
 * OpenSSL's gost engine writes them (digest OID + NULL; signature: the key OID + NULL), and the
 * signature is the token's s||r as it is.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { digestAlgorithmIdentifier, schemeForCertificate, signatureAlgorithmIdentifier } from './signature-algorithms.js';
import { digestOf } from './signer.js';
import { OIDS } from '../protocol/oids.js';
import type { Signer } from './signer.js';

const OID = OIDS;

export interface CmsSignatureOptions {
  hashAlgorithm?: HashAlgorithm;
  /** Absent = no signingTime attribute (PAdES baseline puts the time in the signature dictionary). */
  signingTime?: Date;
  /** The content itself, to carry inside the SignedData (attached); absent = detached. */
  attachedContent?: Uint8Array;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

/** ESS signingCertificateV2 (RFC 5035): the hash of the signing certificate and its issuer + serial. */
async function signingCertificateV2(certificate: pkijs.Certificate, der: Uint8Array, hash: HashAlgorithm): Promise<pkijs.Attribute> {
  const certHash = await digestOf(der, hash);
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })] }),
      certificate.serialNumber,
    ],
  });
  const essCertId = new asn1js.Sequence({
    value: [
      ...(hash === 'SHA-256' ? [] : [digestAlgorithmIdentifier(hash).toSchema()]), // sha256 is the DEFAULT: omitted in DER
      new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }),
      issuerSerial,
    ],
  });
  return new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })] });
}

function derOf(attribute: pkijs.Attribute): Uint8Array {
  return new Uint8Array(attribute.toSchema().toBER(false));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** CMS SignedData (DER) over content whose digest is `contentDigest`: detached unless `attachedContent`. */
export async function createDetachedSignedData(contentDigest: Uint8Array, signer: Signer, options: CmsSignatureOptions = {}): Promise<Uint8Array> {
  const hash = options.hashAlgorithm ?? 'SHA-256';
  const certificate = parseCertificate(signer.certificate);
  const scheme = signer.scheme ?? schemeForCertificate(certificate);
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(contentDigest) })] }),
    ...(options.signingTime ? [new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: options.signingTime })] })] : []),
    await signingCertificateV2(certificate, signer.certificate, hash),
  ].sort((a, b) => compareBytes(derOf(a), derOf(b)));

  const signedAttributesDer = new Uint8Array(new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(false));
  const signature = await signer.signDigest(await digestOf(signedAttributesDer, hash), hash);

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: digestAlgorithmIdentifier(hash),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm: signatureAlgorithmIdentifier(scheme, hash),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [digestAlgorithmIdentifier(hash)],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.data,
      ...(options.attachedContent ? { eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(options.attachedContent) }) } : {}),
    }),
    certificates: [certificate, ...(signer.certificateChain ?? []).map(parseCertificate)],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
