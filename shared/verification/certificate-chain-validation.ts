/**
 * The chain from a signer certificate to a trust anchor, built from the certificates the signature
 * carries and the anchors the user gave (path building by issuer name, each link's signature checked
 * with pkijs over WebCrypto), every certificate checked at the signing time: the CAs must be CAs
 * (basicConstraints cA, keyCertSign when keyUsage is present) and within their validity.
 *
 * Revocation: only from CRLs the file embeds (CMS `crls`, adbe-revocationInfoArchival, a PDF's DSS);
 * a CRL counts when its issuer is in the chain and its signature verifies. Nothing is fetched.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { nameForSiui, nameFromAsn1 } from '../certificate/distinguished-name.js';
import { serialForms } from '../certificate/certificate-serial.js';
import { GOST_OIDS } from '../protocol/gost-algorithms.js';
import { checkSignatureValue, isGostSignature } from './signature-value-check.js';
import type { ChainCertificate, ChainReport, RevocationReport } from './verification-report.js';

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';

export function parseCertificate(der: Uint8Array): pkijs.Certificate | undefined {
  try {
    const parsed = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
    if (parsed.offset === -1) return undefined;
    return new pkijs.Certificate({ schema: parsed.result });
  } catch {
    return undefined;
  }
}

export function certificateDer(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema(true).toBER(false));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameCertificate(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return sameBytes(certificateDer(a), certificateDer(b));
}

/** Same subject and same public key: the anchor, even when re-issued (another serial, other dates). */
function sameEntity(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return a.subject.isEqual(b.subject) && sameBytes(new Uint8Array(a.subjectPublicKeyInfo.toSchema().toBER(false)), new Uint8Array(b.subjectPublicKeyInfo.toSchema().toBER(false)));
}

function extensionValue(certificate: pkijs.Certificate, oid: string): unknown {
  return certificate.extensions?.find((extension) => extension.extnID === oid)?.parsedValue;
}

function isCa(certificate: pkijs.Certificate): boolean {
  const constraints = extensionValue(certificate, BASIC_CONSTRAINTS) as pkijs.BasicConstraints | undefined;
  if (!constraints?.cA) return false;
  const keyUsage = extensionValue(certificate, KEY_USAGE) as asn1js.BitString | undefined;
  if (!keyUsage) return true;
  const bits = new Uint8Array(keyUsage.valueBlock.valueHexView);
  return ((bits[0] ?? 0) & 0x04) !== 0; // keyCertSign (bit 5)
}

function isoUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function describeChainCertificate(certificate: pkijs.Certificate, trustAnchor: boolean): ChainCertificate {
  return {
    subject: nameForSiui(nameFromAsn1(certificate.subject.toSchema())),
    issuer: nameForSiui(nameFromAsn1(certificate.issuer.toSchema())),
    serialNumber: serialForms(new Uint8Array(certificate.serialNumber.valueBlock.valueHexView)).serialNumber,
    notBefore: isoUtc(certificate.notBefore.value),
    notAfter: isoUtc(certificate.notAfter.value),
    trustAnchor,
  };
}

/** GOST R 34.10-2012 certificate signatures: over the TBS with the issuer's key (WebCrypto, hence pkijs, has no GOST). */
const GOST_CERTIFICATE_DIGESTS: Record<string, string> = {
  [GOST_OIDS.signatureWithDigest256]: GOST_OIDS.digest256,
  [GOST_OIDS.signatureWithDigest512]: GOST_OIDS.digest512,
};

async function signedBy(certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean | 'unsupported'> {
  const digestOid = GOST_CERTIFICATE_DIGESTS[certificate.signatureAlgorithm.algorithmId];
  if (digestOid) {
    const outcome = await checkSignatureValue({
      publicKey: issuer.subjectPublicKeyInfo,
      signatureAlgorithm: certificate.signatureAlgorithm,
      digestOid,
      data: new Uint8Array(certificate.tbsView),
      signature: new Uint8Array(certificate.signatureValue.valueBlock.valueHexView),
    });
    return outcome === 'unsupported' ? 'unsupported' : outcome === 'passed';
  }
  if (isGostSignature(certificate.signatureAlgorithm.algorithmId)) return 'unsupported';
  try {
    return await certificate.verify(issuer);
  } catch {
    return false; // a broken key, or an algorithm WebCrypto does not have
  }
}

function withinValidity(certificate: pkijs.Certificate, at: Date): boolean {
  return certificate.notBefore.value.getTime() <= at.getTime() && at.getTime() <= certificate.notAfter.value.getTime();
}

export interface ChainInput {
  signer: pkijs.Certificate;
  /** Certificates the signature carries (and any others that may help build the path). */
  intermediates: pkijs.Certificate[];
  trustAnchors: pkijs.Certificate[];
  /** The claimed signing time, or now. */
  at: Date;
  /** The time of verification: the CAs must be valid then too (nothing proves the signature older). */
  now: Date;
}

export interface ChainResult {
  report: ChainReport;
  /** The chain as built, signer first. */
  path: pkijs.Certificate[];
  /** A link could not be checked: its signature algorithm (GOST R 34.10) is not one WebCrypto has. */
  unsupportedAlgorithm?: boolean;
}

const MAX_CHAIN_LENGTH = 10;

/** Builds and checks the chain; `report.status` says whether it reaches a trust anchor. */
export async function validateCertificateChain(input: ChainInput): Promise<ChainResult> {
  const path: pkijs.Certificate[] = [input.signer];
  const isAnchor = (certificate: pkijs.Certificate): boolean => input.trustAnchors.some((anchor) => sameCertificate(anchor, certificate) || sameEntity(anchor, certificate));
  const describe = (): ChainCertificate[] => path.map((certificate) => describeChainCertificate(certificate, isAnchor(certificate)));
  const problems: string[] = [];
  let reachedAnchor = isAnchor(input.signer);

  let current = input.signer;
  while (!reachedAnchor && path.length < MAX_CHAIN_LENGTH) {
    if (current.subject.isEqual(current.issuer) && (await signedBy(current, current)) === true) break; // a self-signed root that is not an anchor
    const candidates = [...input.trustAnchors, ...input.intermediates].filter((candidate) => candidate.subject.isEqual(current.issuer) && !path.some((known) => sameCertificate(known, candidate)));
    let issuer: pkijs.Certificate | undefined;
    let unsupported = false;
    for (const candidate of candidates) {
      const outcome = await signedBy(current, candidate);
      if (outcome === 'unsupported') unsupported = true;
      if (outcome === true) {
        issuer = candidate;
        break;
      }
    }
    if (!issuer) {
      if (unsupported) {
        const detail = `the signature of "${describeChainCertificate(current, false).subject}" by its issuer uses an algorithm or GOST parameter set not checked here`;
        return { path, unsupportedAlgorithm: true, report: { status: input.trustAnchors.length === 0 ? 'no-trust-anchor' : 'not-trusted', certificates: describe(), detail } };
      }
      if (candidates.length > 0) problems.push(`the signature of "${describeChainCertificate(current, false).subject}" does not verify with the key of its issuer's certificate`);
      break;
    }
    path.push(issuer);
    reachedAnchor = isAnchor(issuer);
    current = issuer;
  }

  if (input.trustAnchors.length === 0) return { path, report: { status: 'no-trust-anchor', certificates: describe() } };
  // Not reaching an anchor is "not trusted" even when a certificate names a trusted CA as its issuer but
  // is not signed by it: an unknown CA with a lookalike name.
  if (!reachedAnchor) return { path, report: { status: 'not-trusted', certificates: describe(), ...(problems.length > 0 ? { detail: problems.join('; ') } : {}) } };
  for (const ca of path.slice(1)) {
    const { subject } = describeChainCertificate(ca, false);
    if (!isCa(ca)) problems.push(`"${subject}" is not a CA certificate`);
    for (const time of new Set([input.at.getTime(), input.now.getTime()])) {
      if (!withinValidity(ca, new Date(time))) problems.push(`the CA certificate "${subject}" is not valid at ${isoUtc(new Date(time))}`);
    }
  }
  if (problems.length > 0) return { path, report: { status: 'invalid', certificates: describe(), detail: problems.join('; ') } };
  return { path, report: { status: 'trusted', certificates: describe() } };
}

/** CRLs (DER) embedded in the file, parsed; the unreadable ones left out. */
export function parseCrls(ders: Uint8Array[]): pkijs.CertificateRevocationList[] {
  const crls: pkijs.CertificateRevocationList[] = [];
  for (const der of ders) {
    try {
      const parsed = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
      if (parsed.offset !== -1) crls.push(new pkijs.CertificateRevocationList({ schema: parsed.result }));
    } catch {
      // not a CRL: ignored, as if it were not there
    }
  }
  return crls;
}

/** The signer certificate's revocation status from the embedded CRLs issued by its issuer. */
export async function revocationFromCrls(
  signer: pkijs.Certificate,
  issuer: pkijs.Certificate | undefined,
  crls: pkijs.CertificateRevocationList[],
  source: NonNullable<RevocationReport['source']>,
  signingTime: Date,
): Promise<RevocationReport> {
  if (!issuer) return { status: 'not-checked' };
  for (const crl of crls) {
    if (!crl.issuer.isEqual(issuer.subject)) continue;
    let verified = false;
    try {
      verified = await crl.verify({ issuerCertificate: issuer });
    } catch {
      verified = false;
    }
    if (!verified) continue;
    const serial = new Uint8Array(signer.serialNumber.valueBlock.valueHexView);
    const entry = crl.revokedCertificates?.find((revoked) => sameBytes(new Uint8Array(revoked.userCertificate.valueBlock.valueHexView), serial));
    if (entry) {
      const revokedAt = entry.revocationDate.value;
      if (revokedAt.getTime() <= signingTime.getTime()) return { status: 'revoked', source, revokedAt: isoUtc(revokedAt) };
      return { status: 'good', source };
    }
    return { status: 'good', source };
  }
  return { status: 'not-checked' };
}
