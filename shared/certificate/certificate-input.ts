/**
 * Certificates from what a user has: a PEM file (one or several CERTIFICATE blocks, or a PKCS7 block),
 * a DER certificate, or a DER/PEM PKCS#7 certs-only bundle (a chain, as CAs deliver them).
 */
import * as asn1js from 'asn1js';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { OIDS } from '../protocol/oids.js';
import { base64ToBytes } from '../encoding/base64.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const SIGNED_DATA = OIDS.signedData;

function base64Bytes(text: string): Uint8Array {
  return base64ToBytes(text.replace(/[^A-Za-z0-9+/=]/g, ''));
}

function isCertificate(node: asn1js.AsnType): boolean {
  if (!(node instanceof asn1js.Sequence) || node.valueBlock.value.length !== 3) return false;
  const tbs = node.valueBlock.value[0];
  return tbs instanceof asn1js.Sequence && tbs.valueBlock.value.length >= 6;
}

/** Certificates inside a ContentInfo { signedData, SignedData { …, [0] certificates } }. */
function certificatesOfPkcs7(node: asn1js.AsnType): Uint8Array[] | undefined {
  if (!(node instanceof asn1js.Sequence)) return undefined;
  const [type, content] = node.valueBlock.value;
  if (!(type instanceof asn1js.ObjectIdentifier) || type.valueBlock.toString() !== SIGNED_DATA) return undefined;
  const signedData = (content as asn1js.Constructed | undefined)?.valueBlock.value[0];
  if (!(signedData instanceof asn1js.Sequence)) return [];
  const certificates = signedData.valueBlock.value.find((part) => part.idBlock.tagClass === 3 && part.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  return (certificates?.valueBlock.value ?? []).filter(isCertificate).map((cert) => new Uint8Array(cert.toBER(false)));
}

function certificatesOfDer(bytes: Uint8Array): Uint8Array[] | undefined {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) return undefined;
  if (isCertificate(parsed.result)) return [bytes.slice(0, parsed.offset)];
  return certificatesOfPkcs7(parsed.result);
}

export function readCertificates(bytes: Uint8Array): Uint8Array[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, Math.min(bytes.length, 1 << 20)));
  const found: Uint8Array[] = [];
  if (text.includes('-----BEGIN ')) {
    for (const [, label, body] of text.matchAll(PEM_BLOCK)) {
      if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE' || label === 'PKCS7' || label === 'CMS') {
        found.push(...(certificatesOfDer(base64Bytes(body!)) ?? []));
      }
    }
  } else {
    found.push(...(certificatesOfDer(bytes) ?? []));
  }
  if (found.length === 0) {
    throw new CasTokenError('INVALID_ARGUMENT', 'No certificate found: give a PEM or DER certificate, or a PKCS#7 (.p7b/.p7c) chain.');
  }
  return found;
}
