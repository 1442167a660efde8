/**
 * CMS SignedData verification: CAdES files (`.p7s` detached over the given content, `.p7m` / `.sig`
 * with the content inside) and the CMS inside every PDF signature. Each SignerInfo is checked step by
 * step rather than with pkijs' SignedData.verify, so every step has its own outcome and reason:
 * the signer certificate (by issuer + serial or subject key identifier), the content's digest against
 * the messageDigest attribute, the signingCertificate(V2) reference, the signature value over the DER
 * of the signed attributes (WebCrypto), then the signer assessment (validity at the claimed signing
 * time, chain, embedded CRLs).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { base64ToBytes } from '../encoding/base64.js';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { streebog } from '../signature/streebog.js';
import { parseCrls, certificateDer } from './certificate-chain-validation.js';
import { checkSignatureValue, digestLabel, digestNameOfOid, signatureLabel } from './signature-value-check.js';
import type { DigestName } from './signature-value-check.js';
import { assessSigner, finishSignatureReport } from './signer-assessment.js';
import type { SignatureReportDraft, VerificationContext } from './signer-assessment.js';
import type { CheckOutcome, RevocationReport, SignatureFormat, SignatureReport, VerificationNote, VerificationReason } from './verification-report.js';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
  subjectKeyIdentifier: '2.5.29.14',
  sha256: '2.16.840.1.101.3.4.2.1',
};

const PEM_CMS = /-----BEGIN (PKCS7|CMS|PKCS #7 SIGNED DATA)-----([\s\S]*?)-----END \1-----/;
const SIGNED_DATA_OID_DER = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/** DER of a CMS in PEM or DER; undefined when the bytes are neither. */
function cmsDer(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes[0] === 0x30) {
    const head = bytes.subarray(0, 32);
    for (let i = 0; i + SIGNED_DATA_OID_DER.length <= head.length; i++) {
      if (SIGNED_DATA_OID_DER.every((b, j) => head[i + j] === b)) return bytes;
    }
    return undefined;
  }
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64)));
  if (!text.trimStart().startsWith('-----BEGIN ')) return undefined;
  const match = PEM_CMS.exec(new TextDecoder('latin1').decode(bytes));
  if (!match) return undefined;
  try {
    return base64ToBytes(match[2]!.replace(/[^A-Za-z0-9+/=]/g, ''));
  } catch {
    return undefined;
  }
}

/** A CMS SignedData (DER ContentInfo, or PEM PKCS7/CMS), from the first bytes. */
export function looksLikeCms(bytes: Uint8Array): boolean {
  return cmsDer(bytes) !== undefined;
}

export function parseSignedData(der: Uint8Array): pkijs.SignedData | undefined {
  try {
    const parsed = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
    if (parsed.offset === -1) return undefined;
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) return undefined;
    return new pkijs.SignedData({ schema: info.content });
  } catch {
    return undefined;
  }
}

async function digestOfData(data: Uint8Array, name: DigestName): Promise<Uint8Array> {
  if (name === 'GOST3411-2012-256' || name === 'GOST3411-2012-512') return streebog(data, name);
  return new Uint8Array(await globalThis.crypto.subtle.digest(name, data.slice().buffer as ArrayBuffer));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function attribute(signerInfo: pkijs.SignerInfo, type: string): asn1js.AsnType | undefined {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === type)?.values[0];
}

function octets(node: asn1js.AsnType | undefined): Uint8Array | undefined {
  return node instanceof asn1js.OctetString ? new Uint8Array(node.getValue()) : undefined;
}

function subjectKeyIdentifier(certificate: pkijs.Certificate): Uint8Array | undefined {
  const value = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue as asn1js.OctetString | undefined;
  return value instanceof asn1js.OctetString ? new Uint8Array(value.valueBlock.valueHexView) : undefined;
}

function findSigner(signerInfo: pkijs.SignerInfo, certificates: pkijs.Certificate[]): pkijs.Certificate | undefined {
  const sid = signerInfo.sid as unknown;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // subjectKeyIdentifier [0] IMPLICIT OCTET STRING: asn1js reads it as a context-tagged primitive.
  const keyId =
    sid instanceof asn1js.Constructed
      ? octets(sid.valueBlock.value[0])
      : sid instanceof asn1js.BaseBlock && 'valueHexView' in (sid.valueBlock as object)
        ? new Uint8Array((sid.valueBlock as unknown as { valueHexView: Uint8Array }).valueHexView)
        : undefined;
  if (!keyId) return undefined;
  return certificates.find((c) => {
    const ski = subjectKeyIdentifier(c);
    return ski !== undefined && sameBytes(ski, keyId);
  });
}

/**
 * The signingCertificateV2 (or V1) attribute against the signer certificate: 'passed' when its first
 * hash is the certificate's, 'failed' when it names another, undefined when there is none.
 */
async function signingCertificateReference(signerInfo: pkijs.SignerInfo, signerDer: Uint8Array): Promise<'passed' | 'failed' | undefined> {
  for (const [type, v2] of [
    [OID.signingCertificateV2, true],
    [OID.signingCertificate, false],
  ] as const) {
    const value = attribute(signerInfo, type);
    if (!(value instanceof asn1js.Sequence)) continue;
    const certs = value.valueBlock.value[0];
    const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
    if (!(first instanceof asn1js.Sequence)) return 'failed';
    const parts = first.valueBlock.value;
    let hashOid = v2 ? OID.sha256 : '1.3.14.3.2.26';
    let at = 0;
    if (v2 && parts[0] instanceof asn1js.Sequence) {
      hashOid = (parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
      at = 1;
    }
    const expected = octets(parts[at]);
    const digest = digestNameOfOid(hashOid);
    if (!expected || !digest) return undefined;
    return sameBytes(await digestOfData(signerDer, digest), expected) ? 'passed' : 'failed';
  }
  return undefined;
}

function signingTimeOf(signerInfo: pkijs.SignerInfo): Date | undefined {
  const value = attribute(signerInfo, OID.signingTime);
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) return value.toDate();
  return undefined;
}

/** CRLs in the adbe-revocationInfoArchival signed attribute (Acrobat's way of embedding them). */
function adobeRevocationCrls(signerInfo: pkijs.SignerInfo): Uint8Array[] {
  const value = attribute(signerInfo, OID.adbeRevocationInfoArchival);
  if (!(value instanceof asn1js.Sequence)) return [];
  const crlField = value.valueBlock.value.find((part) => part.idBlock.tagClass === 3 && part.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  const list = crlField?.valueBlock.value[0];
  if (!(list instanceof asn1js.Sequence)) return [];
  return list.valueBlock.value.map((crl) => new Uint8Array(crl.toBER(false)));
}

export interface SignedDataOptions {
  format: SignatureFormat;
  /** The signed content of a detached signature (the PDF ranges, the given file); an attached eContent always wins. */
  content?: Uint8Array;
  contentSource?: SignatureReport['contentSource'];
  /** PAdES: the signature dictionary's /M when the CMS has no signingTime. */
  fallbackSigningTime?: Date;
  /** More revocation data (a PDF's DSS). */
  extraCrls?: Uint8Array[];
  extraCertificates?: pkijs.Certificate[];
}

/** One SignerInfo checked: the report without its verdict yet (PAdES adds its own reasons). */
export interface SignerInfoOutcome {
  draft: SignatureReportDraft;
  reasons: VerificationReason[];
  notes: VerificationNote[];
}

export async function verifySignedData(signedData: pkijs.SignedData, options: SignedDataOptions, context: VerificationContext): Promise<SignerInfoOutcome[]> {
  const embedded = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const certificates = [...embedded, ...(options.extraCertificates ?? [])];
  const cmsCrls = (signedData.crls ?? []).filter((c): c is pkijs.CertificateRevocationList => c instanceof pkijs.CertificateRevocationList);
  // An attached signature is over its own content: a file given beside it does not replace that.
  const eContent = signedData.encapContentInfo.eContent;
  let content = options.content;
  let contentSource = options.contentSource;
  if (eContent) {
    content = new Uint8Array(eContent.getValue());
    contentSource = 'attached';
  }
  const outcomes: SignerInfoOutcome[] = [];
  for (const [index, signerInfo] of signedData.signerInfos.entries()) {
    const reasons: VerificationReason[] = [];
    const notes: VerificationNote[] = [];
    const digestOid = signerInfo.digestAlgorithm.algorithmId;
    const signatureOid = signerInfo.signatureAlgorithm.algorithmId;
    const digest = digestNameOfOid(digestOid);
    const signer = findSigner(signerInfo, [...certificates, ...context.trustAnchors]);
    const signedAttributes = signerInfo.signedAttrs ? new Uint8Array(signerInfo.signedAttrs.encodedValue) : undefined;

    let signedDataIntact: CheckOutcome = 'not-checked';
    if (!digest) reasons.push('UNSUPPORTED_ALGORITHM');
    else if (!content) reasons.push('SIGNED_CONTENT_MISSING');
    else {
      const actual = await digestOfData(content, digest);
      const expected = signedAttributes ? octets(attribute(signerInfo, OID.messageDigest)) : undefined;
      if (signedAttributes) {
        signedDataIntact = expected !== undefined && sameBytes(actual, expected) ? 'passed' : 'failed';
        if (signedDataIntact === 'failed') reasons.push('SIGNED_DATA_CHANGED');
      }
    }

    let signatureValue: CheckOutcome = 'not-checked';
    if (!signer) reasons.push('SIGNER_CERTIFICATE_NOT_FOUND');
    else if (!digest) reasons.push('UNSUPPORTED_ALGORITHM');
    else {
      const data = signedAttributes ?? content;
      if (data) {
        const outcome = await checkSignatureValue({
          publicKey: signer.subjectPublicKeyInfo,
          signatureAlgorithm: signerInfo.signatureAlgorithm,
          digestOid,
          data,
          signature: new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
        });
        if (outcome === 'unsupported') reasons.push('UNSUPPORTED_ALGORITHM');
        else signatureValue = outcome;
        if (outcome === 'failed') reasons.push('SIGNATURE_VALUE_WRONG');
        // Without signed attributes the signature is over the content itself: its check is the digest's too.
        if (!signedAttributes && outcome !== 'unsupported') {
          signedDataIntact = outcome;
          if (outcome === 'failed') reasons.push('SIGNED_DATA_CHANGED');
        }
      }
    }
    if (signer && (await signingCertificateReference(signerInfo, certificateDer(signer))) === 'failed') reasons.push('SIGNING_CERTIFICATE_MISMATCH');

    const signingTime = signingTimeOf(signerInfo) ?? options.fallbackSigningTime;
    const crls = parseCrls([...cmsCrls.map((crl) => new Uint8Array(crl.toSchema().toBER(false))), ...adobeRevocationCrls(signerInfo), ...(options.extraCrls ?? [])]);
    const crlSource: NonNullable<RevocationReport['source']> = cmsCrls.length > 0 ? 'cms-crls' : adobeRevocationCrls(signerInfo).length > 0 ? 'adbe-revocation-info' : 'pdf-dss';
    const assessment = await assessSigner({ signer, certificates, signingTime, crls, crlSource }, context);
    reasons.push(...assessment.reasons);
    notes.push(...assessment.notes);
    outcomes.push({
      draft: {
        index: index + 1,
        format: options.format,
        ...(assessment.signer ? { signer: assessment.signer } : {}),
        ...(signingTime ? { signingTime: signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
        digestAlgorithm: digestLabel(digestOid),
        signatureAlgorithm: signatureLabel(signatureOid),
        checks: { signedDataIntact, signatureValue, certificateValidAtSigningTime: assessment.certificateValidAtSigningTime, nonRepudiation: assessment.nonRepudiation },
        chain: assessment.chain,
        revocation: assessment.revocation,
        qcStatements: assessment.qcStatements,
        contentSource: contentSource ?? 'missing',
      },
      reasons,
      notes,
    });
  }
  return outcomes;
}

/** A signature whose structure cannot be read: invalid, with nothing else known. */
export function unreadableSignature(index: number, format: SignatureFormat, trustAnchors: number): SignerInfoOutcome {
  return {
    draft: {
      index,
      format,
      checks: { signedDataIntact: 'not-checked', signatureValue: 'not-checked', certificateValidAtSigningTime: 'not-checked', nonRepudiation: false },
      chain: { status: trustAnchors === 0 ? 'no-trust-anchor' : 'not-trusted', certificates: [] },
      revocation: { status: 'not-checked' },
      qcStatements: [],
    },
    reasons: ['SIGNATURE_FORMAT_ERROR'],
    notes: [],
  };
}

/**
 * A SignedData without a SignerInfo signs nothing: most often a certificate bundle (.p7b, .p7c, a CA's
 * chain), which a user may well pick to verify. Bad input (NO_SIGNATURE_FOUND), not an invalid signature.
 */
function noSignerError(name: string, signedData: pkijs.SignedData): CasTokenError {
  const certificates = (signedData.certificates ?? []).length;
  if (certificates === 0) return new CasTokenError('NO_SIGNATURE_FOUND', `${name} is a CMS file with no signature in it.`);
  return new CasTokenError(
    'NO_SIGNATURE_FOUND',
    `${name} holds ${certificates === 1 ? '1 certificate' : `${certificates} certificates`} and no signature: it is a certificate bundle, not a signed file.`,
  );
}

/** A CAdES file (`name` only for the error of a file that signs nothing): every SignerInfo of its SignedData, over the given content or the one inside. */
export async function verifyCmsFile(name: string, bytes: Uint8Array, content: Uint8Array | undefined, context: VerificationContext): Promise<SignatureReport[]> {
  const der = cmsDer(bytes);
  const signedData = der ? parseSignedData(der) : undefined;
  if (signedData && signedData.signerInfos.length === 0) throw noSignerError(name, signedData);
  if (!signedData) {
    return [finishSignatureReport(unreadableSignature(1, 'cades', context.trustAnchors.length).draft, ['SIGNATURE_FORMAT_ERROR'], [])];
  }
  const outcomes = await verifySignedData(signedData, { format: 'cades', ...(content ? { content, contentSource: 'given' as const } : {}) }, context);
  return outcomes.map(({ draft, reasons, notes }) => finishSignatureReport(draft, reasons, notes));
}
