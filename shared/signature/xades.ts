/**
 * XAdES-BES enveloped signatures for XML (e-invoices, prescriptions) with xadesjs. xadesjs signs through
 * WebCrypto; its engine here hands `sign` for our token-backed keys to the Signer (hash the canonical
 * SignedInfo, the token signs the digest; ECDSA converted from DER to the r||s form XML-DSig wants)
 * and everything else to the platform's WebCrypto. In Node and service workers (no DOM) the XML DOM
 * comes from @xmldom/xmldom.
 */
import * as xmldom from '@xmldom/xmldom';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import * as xadesjs from 'xadesjs';
import xpath from 'xpath';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { DIGEST_LENGTHS } from '../protocol/token-types.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { schemeForCertificate } from './signature-algorithms.js';
import type { Signer } from './signer.js';
import { bytesToBase64 } from '../encoding/base64.js';

export interface XadesOptions {
  hashAlgorithm?: HashAlgorithm;
  signingTime?: Date;
}

const TOKEN_SIGNER = Symbol('cas-token signer');
type TokenKey = CryptoKey & { [TOKEN_SIGNER]: Signer };

function isTokenKey(key: unknown): key is TokenKey {
  return typeof key === 'object' && key !== null && TOKEN_SIGNER in key;
}

/** DER ECDSA-Sig-Value → r||s, each padded to the curve's size. */
function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  const sequence = asn1js.fromBER(der).result as asn1js.Sequence;
  const raw = new Uint8Array(size * 2);
  sequence.valueBlock.value.slice(0, 2).forEach((integer, index) => {
    let bytes = new Uint8Array((integer as asn1js.Integer).valueBlock.valueHexView);
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
    raw.set(bytes, index * size + (size - bytes.length));
  });
  return raw;
}

function curveSize(certificate: pkijs.Certificate): number {
  const params = certificate.subjectPublicKeyInfo.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined;
  const curve = params?.valueBlock?.toString();
  return curve === '1.3.132.0.34' ? 48 : curve === '1.3.132.0.35' ? 66 : 32;
}

let engineReady = false;

function ensureEngine(): void {
  if (engineReady) return;
  engineReady = true;
  if (typeof globalThis.DOMParser === 'undefined') {
    xadesjs.setNodeDependencies({
      XMLSerializer: xmldom.XMLSerializer,
      DOMParser: xmldom.DOMParser,
      DOMImplementation: xmldom.DOMImplementation,
      xpath,
    } as unknown as Parameters<typeof xadesjs.setNodeDependencies>[0]);
  }
  const platform = globalThis.crypto;
  const subtle = new Proxy(platform.subtle, {
    get(target, property) {
      if (property === 'sign') {
        return async (algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> => {
          if (!isTokenKey(key)) return target.sign(algorithm, key, data);
          const hash = ((key.algorithm as RsaHashedKeyAlgorithm).hash.name ?? 'SHA-256') as HashAlgorithm;
          const digest = new Uint8Array(await target.digest(hash, data));
          const signature = await key[TOKEN_SIGNER].signDigest(digest, hash);
          if (key.algorithm.name !== 'ECDSA') return signature.slice().buffer as ArrayBuffer;
          const size = (key as unknown as { curveSize: number }).curveSize;
          return ecdsaDerToRaw(signature, size).buffer as ArrayBuffer;
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  xadesjs.Application.setEngine('CAS Token', { subtle, getRandomValues: platform.getRandomValues.bind(platform) } as unknown as Crypto);
}

const base64 = bytesToBase64;

/** XML bytes as text: by the byte-order mark, else by the declared encoding (e.g. ISO-8859-2), else UTF-8. */
function decodeXml(bytes: Uint8Array): string {
  let label = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^\s*<\?xml[^?]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
    if (declared) label = declared;
  }
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new CasTokenError('INVALID_ARGUMENT', `This XML cannot be read as ${label}: check its encoding declaration.`);
  }
}

export async function signXades(xml: Uint8Array | string, signer: Signer, options: XadesOptions = {}): Promise<Uint8Array> {
  ensureEngine();
  const hash = options.hashAlgorithm ?? 'SHA-256';
  const text = typeof xml === 'string' ? xml : decodeXml(xml);
  let document: Document;
  try {
    document = xadesjs.Parse(text);
  } catch {
    throw new CasTokenError('INVALID_ARGUMENT', 'This is not well-formed XML.');
  }
  if (!document?.documentElement || document.getElementsByTagName('parsererror').length > 0) {
    throw new CasTokenError('INVALID_ARGUMENT', 'This is not well-formed XML.');
  }
  const certificate = pkijs.Certificate.fromBER(signer.certificate.slice().buffer as ArrayBuffer);
  const scheme = signer.scheme ?? schemeForCertificate(certificate);
  const algorithm =
    scheme === 'ecdsa'
      ? { name: 'ECDSA', hash: { name: hash } }
      : scheme === 'rsa-pss'
        ? { name: 'RSA-PSS', hash: { name: hash }, saltLength: DIGEST_LENGTHS[hash] }
        : { name: 'RSASSA-PKCS1-v1_5', hash: { name: hash } };
  const key = {
    type: 'private',
    extractable: false,
    usages: ['sign'],
    algorithm,
    curveSize: curveSize(certificate),
    [TOKEN_SIGNER]: signer,
  } as unknown as TokenKey;
  const signedXml = new xadesjs.SignedXml();
  const certificateBase64 = base64(signer.certificate);
  await signedXml.Sign(algorithm as unknown as Algorithm, key, document, {
    references: [{ uri: '', hash, transforms: ['enveloped', 'c14n'] }],
    x509: [certificateBase64, ...(signer.certificateChain ?? []).map(base64)],
    signingCertificateV2: certificateBase64,
    signingTime: { value: options.signingTime ?? new Date() },
  } as unknown as Parameters<typeof signedXml.Sign>[3]);
  document.documentElement.appendChild(signedXml.GetXml()!);
  const serialised = new (globalThis.XMLSerializer ?? xmldom.XMLSerializer)().serializeToString(document as never);
  // The output is UTF-8 whatever the input was: say so in the declaration (canonical XML, and so the
  // signature, does not cover the declaration).
  const declaration = /^\s*<\?xml[^?]*\?>/.exec(serialised);
  const withDeclaration = declaration
    ? serialised.replace(declaration[0], declaration[0].replace(/encoding\s*=\s*(["'])[^"']*\1/, 'encoding="UTF-8"'))
    : `<?xml version="1.0" encoding="UTF-8"?>\n${serialised}`;
  return new TextEncoder().encode(withDeclaration);
}
